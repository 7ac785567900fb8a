package hybridlab.experiments.report;

import hybridlab.experiments.train.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Generalization at matched training loss, the CoAtNet paper's comparison: per group and facet,
 * the test accuracy of every variant where its training loss <em>as trained</em> (the mean batch
 * loss of an epoch, train mode) first reaches a common level, interpolated linearly between the
 * two epochs around it. The level is the lowest training loss that every variant reaches. A
 * variant can also start below it (its first epoch already fits better than the level); then no
 * single level covers all of them, and the level is the one that covers the most variants
 * (ties: the lowest), the others named with the reason.
 */
final class MatchedLoss {
    private MatchedLoss() {
    }

    /** Why a variant has no value at the level. */
    enum Miss {
        NEVER_REACHES("never reaches it"), STARTS_BELOW("is below it from its first epoch");

        final String text;

        Miss(String text) {
            this.text = text;
        }
    }

    /**
     * One variant at the level: test accuracy per seed (compared) or why not (missed);
     * {@code lowest} is the lowest loss all its seeds reach, {@code first} the highest first-epoch loss they share.
     */
    record Entry(VariantResult variant, String label, Map<Integer, Double> bySeed, List<String> segments, Miss miss,
                 double lowest, double first) {
        Stats stats() {
            return Stats.of(bySeed.values().stream().mapToDouble(Double::doubleValue).toArray());
        }

        boolean compared() {
            return miss == null;
        }
    }

    record Comparison(String group, List<String> facet, double level, String setBy, List<Entry> entries) {
        List<Entry> compared() {
            return entries.stream().filter(Entry::compared).toList();
        }

        List<Entry> missed() {
            return entries.stream().filter(e -> !e.compared()).toList();
        }
    }

    /** Every group and facet with at least two variants to compare. */
    static List<Comparison> of(Partition p) {
        List<Comparison> out = new ArrayList<>();
        for (String g : p.groups) {
            for (List<String> f : p.facets) {
                List<VariantResult> vs = p.variants(g, f).stream().filter(v -> v.finished().stream().allMatch(r -> !r.epochs().isEmpty())).toList();
                if (vs.size() >= 2) {
                    out.add(compare(p, g, f, vs));
                }
            }
        }
        return out;
    }

    static Comparison compare(Partition p, String group, List<String> facet, List<VariantResult> vs) {
        int n = vs.size();
        double[] lowest = new double[n], first = new double[n];
        for (int i = 0; i < n; i++) {
            lowest[i] = Double.NEGATIVE_INFINITY;
            first[i] = Double.POSITIVE_INFINITY;
            for (RunRecord r : vs.get(i).finished()) {
                lowest[i] = Math.max(lowest[i], r.epochs().stream().mapToDouble(RunRecord.Epoch::trainLoss).min().orElseThrow());
                first[i] = Math.min(first[i], r.epochs().get(0).trainLoss());
            }
        }
        int best = -1, bestCount = 0;
        for (int c = 0; c < n; c++) {
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (lowest[i] <= lowest[c] && lowest[c] <= first[i]) {
                    count++;
                }
            }
            if (best < 0 || count > bestCount || count == bestCount && lowest[c] < lowest[best]) {
                best = c;
                bestCount = count;
            }
        }
        double level = lowest[best];
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            VariantResult v = vs.get(i);
            String label = p.label(group, p.place(v).series());
            Miss miss = lowest[i] > level ? Miss.NEVER_REACHES : first[i] < level ? Miss.STARTS_BELOW : null;
            Map<Integer, Double> bySeed = new LinkedHashMap<>();
            List<String> segments = new ArrayList<>();
            if (miss == null) {
                for (RunRecord r : v.finished()) {
                    Crossing c = crossing(r.epochs(), level);
                    bySeed.put(r.seed(), c.testAcc());
                    if (!segments.contains(c.segment())) {
                        segments.add(c.segment());
                    }
                }
            }
            entries.add(new Entry(v, label, bySeed, segments, miss, lowest[i], first[i]));
        }
        return new Comparison(group, facet, level, p.label(group, p.place(vs.get(best)).series()), entries);
    }

    /** Test accuracy where the curve first reaches {@code level}, and the epochs around it ("3-4", or "1" at the first epoch). */
    record Crossing(double testAcc, String segment) {
    }

    /** Linear interpolation between the last epoch above {@code level} and the first at or below it; the curve must start at or above it and reach it. */
    static Crossing crossing(List<RunRecord.Epoch> epochs, double level) {
        if (epochs.get(0).trainLoss() <= level) {
            if (epochs.get(0).trainLoss() < level) {
                throw new IllegalArgumentException("the curve starts below " + level);
            }
            return new Crossing(epochs.get(0).testAcc(), String.valueOf(epochs.get(0).epoch()));
        }
        for (int e = 1; e < epochs.size(); e++) {
            RunRecord.Epoch a = epochs.get(e - 1), b = epochs.get(e);
            if (b.trainLoss() <= level) {
                double t = (a.trainLoss() - level) / (a.trainLoss() - b.trainLoss());
                return new Crossing(a.testAcc() + t * (b.testAcc() - a.testAcc()), a.epoch() + "-" + b.epoch());
            }
        }
        throw new IllegalArgumentException("the curve never reaches " + level);
    }

    /** The sentence under a comparison's table naming the variants without a value. */
    static String missedText(Comparison c) {
        List<String> parts = new ArrayList<>();
        for (Entry e : c.missed()) {
            parts.add(e.label() + " " + e.miss().text + (e.miss() == Miss.NEVER_REACHES
                    ? " (lowest " + loss(e.lowest()) + ")" : " (first epoch " + loss(e.first()) + ")"));
        }
        return String.join("; ", parts);
    }

    static String loss(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
