package hybridlab.experiments.report;

import hybridlab.experiments.train.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The records of one variant's runs (one per seed), split into finished, diverged and missing.
 * Lists follow the manifest's run order, so everything computed from them is reproducible.
 */
public record VariantResult(Manifest.Variant variant, List<RunRecord> finished, List<RunRecord> diverged, List<String> missing) {

    static VariantResult of(Manifest.Variant v, Map<String, RunRecord> records) {
        List<RunRecord> fin = new ArrayList<>(), div = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String id : v.runs()) {
            RunRecord r = records.get(id);
            if (r == null) {
                missing.add(id);
            } else if (RunRecord.FINISHED.equals(r.status())) {
                fin.add(r);
            } else {
                div.add(r);
            }
        }
        return new VariantResult(v, List.copyOf(fin), List.copyOf(div), List.copyOf(missing));
    }

    /** A record of this variant to read its model and config from: the first finished, else the first diverged one that has them. */
    public RunRecord anyRecord() {
        if (!finished.isEmpty()) {
            return finished.get(0);
        }
        return diverged.stream().filter(r -> r.model() != null).findFirst().orElse(diverged.isEmpty() ? null : diverged.get(0));
    }

    public int planned() {
        return variant.runs().size();
    }

    public Stats stats(Metric m) {
        return Stats.of(finished.stream().mapToDouble(m::of).toArray());
    }

    /** The value of coordinate {@code key} (null when the variant leaves it at its default). */
    public String coordinate(String key) {
        return variant.coordinates().get(key);
    }

    /** The values of {@code keys}, for grouping variants into table rows or columns. */
    public List<String> coordinates(List<String> keys) {
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            out.add(coordinate(k));
        }
        return out;
    }

    /** A short name for plots: the model, then {@code key=value} for the other coordinates that are set. */
    public String label(List<String> keys) {
        return Labels.of(keys, coordinates(keys));
    }

    /**
     * Mean training loss (as trained) and test accuracy per epoch over the finished seeds, for
     * the epochs every finished seed reached: {@code [epoch][0 = loss, 1 = accuracy]}.
     */
    public double[][] curve() {
        int epochs = finished.stream().mapToInt(r -> r.epochs().size()).min().orElse(0);
        double[][] out = new double[epochs][2];
        for (int e = 0; e < epochs; e++) {
            for (RunRecord r : finished) {
                out[e][0] += r.epochs().get(e).trainLoss() / finished.size();
                out[e][1] += r.epochs().get(e).testAcc() / finished.size();
            }
        }
        return out;
    }
}
