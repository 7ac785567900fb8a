package hybridlab.experiments.report;

import hybridlab.experiments.train.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's three charts, built from the results only (XChart). */
final class Plots {
    private Plots() {
    }

    static final int WIDTH = 1100, HEIGHT = 650;

    /**
     * Test accuracy against training loss, one curve per variant with a point per epoch (means
     * over seeds): the CoAtNet paper's way to compare generalization at equal training loss.
     */
    static XYChart lossVsAccuracy(SweepResults r) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Test accuracy vs training loss (per epoch, mean over seeds)")
                .xAxisTitle("training loss (as trained, epoch mean)").yAxisTitle("test accuracy (%)").build();
        style(chart.getStyler());
        for (VariantResult v : r.variants()) {
            double[][] curve = v.curve();
            if (curve.length == 0) {
                continue;
            }
            double[] x = new double[curve.length], y = new double[curve.length];
            for (int e = 0; e < curve.length; e++) {
                x[e] = curve[e][0];
                y[e] = 100 * curve[e][1];
            }
            chart.addSeries(v.label(r.spec().keys()), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /** Generalization gap per variant (row keys), one bar per value of the column keys, std as error bars. */
    static CategoryChart gapBars(SweepResults r) {
        ReportSpec spec = r.spec();
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Generalization gap: train - test accuracy (eval mode, mean ± std over seeds)")
                .xAxisTitle(String.join(", ", spec.rows())).yAxisTitle("gap (accuracy points)").build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLabelRotation(30);
        Set<List<String>> rowValues = new LinkedHashSet<>(), colValues = new LinkedHashSet<>();
        for (VariantResult v : r.variants()) {
            rowValues.add(v.coordinates(spec.rows()));
            colValues.add(v.coordinates(spec.columns()));
        }
        List<String> categories = rowValues.stream().map(rv -> Labels.of(spec.rows(), rv)).toList();
        for (List<String> cv : colValues) {
            List<Double> gaps = new ArrayList<>(), errors = new ArrayList<>();
            for (List<String> rv : rowValues) {
                Stats s = r.variants().stream()
                        .filter(v -> v.coordinates(spec.rows()).equals(rv) && v.coordinates(spec.columns()).equals(cv))
                        .findFirst().map(v -> v.stats(Metric.GAP_ACC)).orElse(Stats.of(new double[0]));
                gaps.add(s.n() == 0 ? null : 100 * s.mean());
                errors.add(s.n() == 0 ? null : 100 * s.std());
            }
            String name = spec.columns().isEmpty() ? "gap" : Labels.of(spec.columns(), cv);
            if (gaps.contains(null)) {
                chart.addSeries(name, categories, gaps); // XChart draws no error bars for series with gaps
            } else {
                chart.addSeries(name, categories, gaps, errors);
            }
        }
        return chart;
    }

    /** Training and inference images/s per variant, one bar series per device. */
    static CategoryChart throughput(SweepResults r) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Throughput per device (images/s, mean over seeds)").xAxisTitle("variant").yAxisTitle("images/s").build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLabelRotation(30);
        List<String> categories = r.variants().stream().map(v -> v.label(r.spec().keys())).toList();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        Set<String> devices = new LinkedHashSet<>();
        r.variants().forEach(v -> devices.addAll(DisplayTables.byDevice(v.finished()).keySet()));
        for (String device : devices.stream().sorted().toList()) {
            for (Metric m : List.of(Metric.TRAIN_IMG_S, Metric.INFER_IMG_S)) {
                List<Double> values = new ArrayList<>();
                for (VariantResult v : r.variants()) {
                    List<RunRecord> on = DisplayTables.byDevice(v.finished()).get(device);
                    values.add(on == null ? null : Stats.of(on.stream().mapToDouble(m::of).toArray()).mean());
                }
                series.put((m == Metric.TRAIN_IMG_S ? "train, " : "inference, ") + device, values);
            }
        }
        series.forEach((name, values) -> chart.addSeries(name, categories, values));
        return chart;
    }

    /** Legend below the plot, white background; axis numbers in {@code Locale.ROOT} whatever the machine's locale. */
    private static void style(AxesChartStyler s) {
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setChartBackgroundColor(java.awt.Color.WHITE);
        s.setAntiAlias(true);
        s.setLocale(java.util.Locale.ROOT);
    }
}
