package hybridlab.experiments.report;

import hybridlab.experiments.report.figure.Figure;
import hybridlab.experiments.report.figure.Panel;
import hybridlab.experiments.report.figure.Panel.Bar;
import hybridlab.experiments.report.figure.Panel.Point;
import hybridlab.experiments.report.figure.Panel.Series;
import hybridlab.experiments.train.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The report's figures, built from the results only: a panel column per group and a row per
 * facet, each series in its own style in every figure, only variants that have finished runs,
 * and error bars (95% intervals) only where a mean is over two or more seeds.
 */
final class Plots {
    private Plots() {
    }

    static final String CI_NOTE = "Error bars: 95% confidence interval of the mean (Student t, n - 1 degrees of freedom), "
            + "none where n = 1.";

    /** Test accuracy against training loss, a point per epoch (means over seeds), the matched loss dashed. */
    static Figure lossVsAccuracy(Partition p, List<MatchedLoss.Comparison> matched) {
        Grid grid = new Grid(p, p.facets, p.facets.stream().map(p::facetLabel).toList());
        for (int c = 0; c < p.groups.size(); c++) {
            String g = p.groups.get(c);
            for (int r = 0; r < p.facets.size(); r++) {
                List<String> f = p.facets.get(r);
                List<Series> series = new ArrayList<>();
                for (VariantResult v : p.variants(g, f)) {
                    double[][] curve = v.curve();
                    List<Point> pts = new ArrayList<>();
                    for (double[] e : curve) {
                        pts.add(new Point(e[0], 100 * e[1], Double.NaN));
                    }
                    if (!pts.isEmpty()) {
                        series.add(new Series(p.label(g, p.place(v).series()), p.style(g, p.place(v).series()), pts));
                    }
                }
                List<Panel.Guide> guides = matched.stream().filter(m -> m.group().equals(g) && m.facet().equals(f))
                        .map(m -> new Panel.Guide(m.level(), "matched " + MatchedLoss.loss(m.level()))).toList();
                if (!series.isEmpty()) {
                    grid.put(c, r, new Panel.Lines("training loss (as trained)", "test accuracy (%)", false, series, guides, Panel.Range.PERCENT));
                }
            }
        }
        return grid.figure("loss_vs_accuracy", true,
                "Each point is one epoch: training loss as trained (mean batch loss over the epoch, train mode) and test accuracy "
                        + "after it, averaged over the n seeds. Dashed: the matched training loss of the panel (report.md).");
    }

    /** The generalization gap (train - test accuracy, eval mode) per series. */
    static Figure gap(Partition p) {
        return bars(p, "gap", "gap (accuracy points)", Metric.GAP_ACC,
                "Generalization gap: training minus test accuracy, both in eval mode, mean over n seeds. " + CI_NOTE
                        + " Read it beside the training loss: a model that fits less has a smaller gap.");
    }

    /** Training (dark) and inference (light) images/s per series, a row per facet and device. */
    static Figure throughput(Partition p) {
        Set<String> devices = new LinkedHashSet<>();
        p.results.variants().forEach(v -> devices.addAll(DisplayTables.byDevice(v.finished()).keySet()));
        List<String> sorted = devices.stream().sorted().toList();
        List<List<String>> rows = new ArrayList<>();
        List<String> rowLabels = new ArrayList<>();
        for (List<String> f : p.facets) {
            for (String d : sorted) {
                rows.add(f);
                String fl = p.facetLabel(f);
                rowLabels.add(sorted.size() > 1 ? (fl.isEmpty() ? d : fl + ", " + d) : fl);
            }
        }
        Grid grid = new Grid(p, rows, rowLabels);
        for (int c = 0; c < p.groups.size(); c++) {
            String g = p.groups.get(c);
            for (int r = 0; r < rows.size(); r++) {
                String device = sorted.get(r % sorted.size());
                List<Bar> bars = new ArrayList<>();
                for (VariantResult v : p.variants(g, rows.get(r))) {
                    List<RunRecord> on = DisplayTables.byDevice(v.finished()).get(device);
                    if (on != null) {
                        Stats train = Stats.of(on.stream().mapToDouble(Metric.TRAIN_IMG_S::of).toArray());
                        Stats infer = Stats.of(on.stream().mapToDouble(Metric.INFER_IMG_S::of).toArray());
                        bars.add(new Bar(grid.barLabel(g, v, on.size()), p.style(g, p.place(v).series()).color(), train.mean(),
                                train.halfWidth95(), infer.mean(), infer.halfWidth95()));
                    }
                }
                if (!bars.isEmpty()) {
                    grid.put(c, r, new Panel.Bars("images/s", bars, Panel.Range.NON_NEGATIVE));
                }
            }
        }
        return grid.figure("throughput", false,
                "Dark bars: training, light bars: inference images/s (steady state, measured), mean over the n runs on the device"
                        + (sorted.size() == 1 ? " " + sorted.get(0) : "") + ". " + CI_NOTE + " Intervals are cut at 0.");
    }

    /**
     * Test accuracy against the number of training images (log scale), a line per series; a series recorded at one size
     * only is no curve and is left out (a group with no curve has no panel).
     */
    static Figure dataSize(Partition p) {
        List<DataSize.Line> lines = DataSize.lines(p);
        List<String> keys = DataSize.facetKeys(p);
        List<List<String>> facets = lines.stream().map(DataSize.Line::facet).distinct().toList();
        Grid grid = new Grid(p, facets, facets.stream().map(f -> keys.isEmpty() ? "" : Labels.of(keys, f)).toList());
        for (int c = 0; c < p.groups.size(); c++) {
            String g = p.groups.get(c);
            for (int r = 0; r < facets.size(); r++) {
                List<String> f = facets.get(r);
                List<Series> series = new ArrayList<>();
                for (DataSize.Line l : lines) {
                    if (l.group().equals(g) && l.facet().equals(f) && l.isCurve()) {
                        List<Point> pts = l.points().stream()
                                .map(x -> new Point(x.images(), 100 * x.testAcc().mean(), 100 * x.testAcc().halfWidth95())).toList();
                        series.add(new Series(l.label(), p.style(g, l.series()), pts));
                    }
                }
                if (!series.isEmpty()) {
                    grid.put(c, r, new Panel.Lines("training images (log scale)", "test accuracy (%)", true, series, List.of(), Panel.Range.PERCENT));
                }
            }
        }
        return grid.figure("data_size", true,
                "Test accuracy after training on a stratified subset of the training set, mean over the n seeds, against the "
                        + "subset's size; variants recorded at one size only are left out. " + CI_NOTE
                        + " Intervals are cut at 0 and 100%.");
    }

    /** A bar per series of {@code m} (in percent points) over the finished seeds. */
    private static Figure bars(Partition p, String name, String yTitle, Metric m, String note) {
        Grid grid = new Grid(p, p.facets, p.facets.stream().map(p::facetLabel).toList());
        for (int c = 0; c < p.groups.size(); c++) {
            String g = p.groups.get(c);
            for (int r = 0; r < p.facets.size(); r++) {
                List<Bar> bars = new ArrayList<>();
                for (VariantResult v : p.variants(g, p.facets.get(r))) {
                    Stats s = v.stats(m);
                    bars.add(Bar.of(grid.barLabel(g, v, s.n()), p.style(g, p.place(v).series()).color(), 100 * s.mean(), 100 * s.halfWidth95()));
                }
                if (!bars.isEmpty()) {
                    grid.put(c, r, new Panel.Bars(yTitle, bars, Panel.Range.ANY));
                }
            }
        }
        return grid.figure(name, false, note);
    }

    /**
     * The panels of one figure on the partition's grid, with the legends. n (seeds, or runs on a
     * device) is said once in the note when every mean of the report is over the same number,
     * else beside each legend entry or bar label.
     */
    private static final class Grid {
        final Partition p;
        final List<List<String>> rows;
        final Panel[][] cells;
        final Set<Integer> ns = new LinkedHashSet<>();
        final List<String> rowLabels;

        Grid(Partition p, List<List<String>> rows, List<String> rowLabels) {
            this.p = p;
            this.rows = rows;
            this.rowLabels = rowLabels;
            cells = new Panel[p.groups.size()][rows.size()];
            for (String g : p.groups) {
                p.variants(g).forEach(v -> ns.add(v.finished().size()));
            }
        }

        boolean uniform() {
            return ns.size() <= 1;
        }

        void put(int c, int r, Panel panel) {
            cells[c][r] = panel;
        }

        String barLabel(String g, VariantResult v, int n) {
            return p.label(g, p.place(v).series()) + (uniform() ? "" : " (n=" + n + ")");
        }

        /** Drops empty rows and columns. */
        Figure figure(String name, boolean legend, String note) {
            List<Integer> keepRows = IntStream.range(0, rows.size())
                    .filter(r -> IntStream.range(0, cells.length).anyMatch(c -> cells[c][r] != null)).boxed().toList();
            List<Figure.Column> columns = new ArrayList<>();
            for (int c = 0; c < cells.length; c++) {
                int cc = c;
                if (keepRows.stream().noneMatch(r -> cells[cc][r] != null)) {
                    continue;
                }
                String g = p.groups.get(c);
                List<Panel> col = new ArrayList<>();
                keepRows.forEach(r -> col.add(cells[cc][r]));
                List<Figure.Entry> entries = new ArrayList<>();
                if (legend) {
                    for (List<String> s : p.series(g)) {
                        if (drawn(col, p.label(g, s))) {
                            entries.add(new Figure.Entry(p.label(g, s) + (uniform() ? "" : " (n=" + seeds(g, s) + ")"), p.style(g, s)));
                        }
                    }
                }
                columns.add(new Figure.Column(g, col, entries));
            }
            int n = ns.isEmpty() ? 0 : ns.iterator().next();
            String nNote = ns.isEmpty() || !uniform() ? "" : " n = " + n + (n == 1 ? " seed." : " seeds.");
            return new Figure(name, columns, keepRows.stream().map(rowLabels::get).toList(), note + nNote);
        }

        private String seeds(String g, List<String> s) {
            List<Integer> values = p.variants(g).stream().filter(v -> p.place(v).series().equals(s)).map(v -> v.finished().size())
                    .distinct().sorted().toList();
            return values.size() == 1 ? String.valueOf(values.get(0)) : values.get(0) + "-" + values.get(values.size() - 1);
        }

        private static boolean drawn(List<Panel> col, String label) {
            for (Panel panel : col) {
                if (panel instanceof Panel.Lines l && l.series().stream().anyMatch(s -> s.label().equals(label))) {
                    return true;
                }
            }
            return false;
        }
    }

    static final List<String> NAMES = List.of("loss_vs_accuracy", "gap", "data_size", "throughput");

    /** Every figure the results have data for, by file name (one of {@link #NAMES}). */
    static Map<String, Figure> all(Partition p, List<MatchedLoss.Comparison> matched) {
        Map<String, Figure> out = new java.util.LinkedHashMap<>();
        out.put("loss_vs_accuracy", lossVsAccuracy(p, matched));
        out.put("gap", gap(p));
        if (DataSize.applies(p)) {
            out.put("data_size", dataSize(p));
        }
        out.put("throughput", throughput(p));
        out.values().removeIf(Figure::isEmpty);
        return out;
    }
}
