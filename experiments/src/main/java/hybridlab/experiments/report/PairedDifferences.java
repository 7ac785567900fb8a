package hybridlab.experiments.report;

import hybridlab.experiments.train.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The comparisons a sweep's tables invite (pre vs post fusion, CPE on vs off, PCM on vs off):
 * for every key of the series that takes exactly two values in the sweep, each pair of variants
 * that differ only in it, and per seed both ran, the difference first value minus second. The
 * mean difference with its 95% interval (Student t, n - 1 degrees of freedom) tells whether the
 * seeds resolve it; pairing by seed removes what a seed does to both variants alike.
 */
final class PairedDifferences {
    private PairedDifferences() {
    }

    /**
     * One pair: {@code key} is {@code first} in {@code a} and {@code second} in {@code b}; {@code seeds}
     * both finished; {@code diffs} per metric and seed; {@code matched} the same at matched
     * training loss, for the seeds both have there (empty when either was not compared).
     */
    record Pair(String key, String first, String second, VariantResult a, VariantResult b, String label, List<Integer> seeds,
                Map<Metric, double[]> diffs, Map<Integer, Double> matched) {
        Stats stats(Metric m) {
            return Stats.of(diffs.get(m));
        }

        Stats matchedStats() {
            return Stats.of(matched.values().stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /** The keys compared, each with its two values in sweep order. */
    static Map<String, List<String>> twoValued(Partition p) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String k : p.seriesKeys) {
            List<String> values = p.results.variants().stream().map(v -> v.coordinate(k)).filter(Objects::nonNull).distinct().toList();
            if (values.size() == 2) {
                out.put(k, values);
            }
        }
        return out;
    }

    static List<Pair> of(Partition p, List<MatchedLoss.Comparison> matched) {
        List<Pair> out = new ArrayList<>();
        List<String> keys = p.results.spec().keys();
        for (Map.Entry<String, List<String>> kv : twoValued(p).entrySet()) {
            String k = kv.getKey();
            List<String> others = keys.stream().filter(x -> !x.equals(k)).toList();
            for (VariantResult a : p.results.variants()) {
                if (!kv.getValue().get(0).equals(a.coordinate(k)) || a.finished().isEmpty()) {
                    continue;
                }
                for (VariantResult b : p.results.variants()) {
                    if (kv.getValue().get(1).equals(b.coordinate(k)) && !b.finished().isEmpty()
                            && a.coordinates(others).equals(b.coordinates(others))) {
                        Pair pair = pair(k, kv.getValue(), a, b, Labels.of(others, a.coordinates(others)), matched);
                        if (!pair.seeds().isEmpty()) {
                            out.add(pair);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static Pair pair(String key, List<String> values, VariantResult a, VariantResult b, String label,
                             List<MatchedLoss.Comparison> matched) {
        Map<Integer, RunRecord> bySeed = new LinkedHashMap<>();
        b.finished().forEach(r -> bySeed.put(r.seed(), r));
        List<RunRecord[]> runs = new ArrayList<>();
        for (RunRecord ra : a.finished()) {
            RunRecord rb = bySeed.get(ra.seed());
            if (rb != null) {
                runs.add(new RunRecord[] {ra, rb});
            }
        }
        Map<Metric, double[]> diffs = new LinkedHashMap<>();
        for (Metric m : Metric.deterministic()) {
            if (m.dependsOnSeed()) {
                diffs.put(m, runs.stream().mapToDouble(x -> m.of(x[0]) - m.of(x[1])).toArray());
            }
        }
        Map<Integer, Double> atLoss = new LinkedHashMap<>();
        for (MatchedLoss.Comparison c : matched) { // both in one comparison, so at one level
            MatchedLoss.Entry ea = entry(c, a), eb = entry(c, b);
            if (ea != null && eb != null && ea.compared() && eb.compared()) {
                for (RunRecord[] x : runs) {
                    Double va = ea.bySeed().get(x[0].seed()), vb = eb.bySeed().get(x[0].seed());
                    if (va != null && vb != null) {
                        atLoss.put(x[0].seed(), va - vb);
                    }
                }
            }
        }
        return new Pair(key, values.get(0), values.get(1), a, b, label, runs.stream().map(x -> x[0].seed()).toList(), diffs, atLoss);
    }

    private static MatchedLoss.Entry entry(MatchedLoss.Comparison c, VariantResult v) {
        return c.entries().stream().filter(e -> e.variant() == v).findFirst().orElse(null);
    }
}
