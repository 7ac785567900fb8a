package hybridlab.experiments.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Test accuracy against training-set size, the axis of the CoAtNet paper's claim (convolutions
 * generalize better with little data, attention catches up with more): per group and the facet
 * without {@code train_fraction}, one line per series over its training fractions, at the
 * records' {@code final.train_images}. Two lines cross where the sign of their difference
 * changes between two sizes both have.
 */
final class DataSize {
    private DataSize() {
    }

    record Point(String fraction, double images, Stats testAcc) {
    }

    record Line(String group, List<String> facet, List<String> series, String label, List<Point> points) {
        /** Recorded at two training fractions or more: one size alone is no curve. */
        boolean isCurve() {
            return points.size() >= 2;
        }
    }

    /** Where {@code above} overtakes {@code below}: between two sizes, at {@code images} by log-linear interpolation. */
    record Crossover(Line below, Line above, double from, double to, double images) {
    }

    /** True when some series has finished runs at two or more training fractions. */
    static boolean applies(Partition p) {
        return p.facetKeys.contains(Partition.FRACTION) && lines(p).stream().anyMatch(Line::isCurve);
    }

    /** The facet keys other than the fraction: what still splits the data-size panels. */
    static List<String> facetKeys(Partition p) {
        return p.facetKeys.stream().filter(k -> !k.equals(Partition.FRACTION)).toList();
    }

    static List<Line> lines(Partition p) {
        int fi = p.facetKeys.indexOf(Partition.FRACTION);
        List<Line> out = new ArrayList<>();
        if (fi < 0) {
            return out;
        }
        for (String g : p.groups) {
            Map<List<Object>, List<Point>> byLine = new LinkedHashMap<>();
            for (VariantResult v : p.variants(g)) {
                Partition.Place place = p.place(v);
                List<String> facet = new ArrayList<>(place.facet());
                String fraction = facet.remove(fi);
                double images = v.finished().stream().mapToInt(r -> r.result().trainImages()).average().orElseThrow();
                byLine.computeIfAbsent(List.of(facet, place.series()), k -> new ArrayList<>())
                        .add(new Point(fraction, images, v.stats(Metric.TEST_ACC)));
            }
            byLine.forEach((k, pts) -> {
                @SuppressWarnings("unchecked")
                List<String> facet = (List<String>) k.get(0), series = (List<String>) k.get(1);
                List<Point> sorted = new ArrayList<>(pts);
                sorted.sort(java.util.Comparator.comparingDouble(Point::images));
                out.add(new Line(g, facet, series, p.label(g, series), List.copyOf(sorted)));
            });
        }
        return out;
    }

    /** Every crossing of two lines of one group and facet, over the sizes both have. */
    static List<Crossover> crossovers(List<Line> lines) {
        List<Crossover> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            for (int j = i + 1; j < lines.size(); j++) {
                Line a = lines.get(i), b = lines.get(j);
                if (!a.group().equals(b.group()) || !a.facet().equals(b.facet())) {
                    continue;
                }
                List<double[]> common = new ArrayList<>(); // images, a - b
                for (Point pa : a.points()) {
                    for (Point pb : b.points()) {
                        if (pa.fraction().equals(pb.fraction())) {
                            common.add(new double[] {pa.images(), pa.testAcc().mean() - pb.testAcc().mean()});
                        }
                    }
                }
                double[] prev = null;
                for (double[] c : common) {
                    if (c[1] == 0) {
                        continue;
                    }
                    if (prev != null && Math.signum(prev[1]) != Math.signum(c[1])) {
                        double t = prev[1] / (prev[1] - c[1]);
                        double at = Math.exp(Math.log(prev[0]) + t * (Math.log(c[0]) - Math.log(prev[0])));
                        out.add(c[1] > 0 ? new Crossover(b, a, prev[0], c[0], at) : new Crossover(a, b, prev[0], c[0], at));
                    }
                    prev = c;
                }
            }
        }
        return out;
    }

    static String sentence(Crossover c) {
        return c.above().label() + " overtakes " + c.below().label() + " between " + images(c.from()) + " and " + images(c.to())
                + " training images (at about " + images(c.images()) + ", interpolated on the log scale)";
    }

    static String images(double v) {
        return String.format(Locale.ROOT, "%,d", Math.round(v));
    }
}
