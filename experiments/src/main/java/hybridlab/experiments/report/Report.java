package hybridlab.experiments.report;

import hybridlab.experiments.config.Files;
import hybridlab.experiments.train.RunRecord;
import java.awt.AWTError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Builds a sweep's report from its output folder alone ({@code sweep.json} and
 * {@code runs/*.json}) into {@code OUTPUT/report/}: {@code report.md}, {@code tables.tex},
 * {@code metrics.csv}, {@code epochs.csv}, {@code throughput.csv} and three plots as PNG and
 * SVG. Every file is a function of the records (sorted, fixed formats, no timestamps), so
 * rebuilding from the same records gives byte-identical files.
 */
public final class Report {
    private Report() {
    }

    public static final String DIR = "report", RUNS = "runs";

    public static Path dir(Path output) {
        return output.resolve(DIR);
    }

    /** Reads the output folder and writes the report; unusable records are skipped with a warning. */
    public static SweepResults write(Path output, PrintStream warnings) throws IOException {
        Manifest m = Manifest.read(output);
        Map<String, RunRecord> records = Records.readAll(output.resolve(RUNS), warnings);
        SweepResults r = SweepResults.of(m, records);
        Path dir = dir(output);
        Files.writeAtomic(dir.resolve("metrics.csv"), Csv.table(DataTables.metrics(r)));
        Files.writeAtomic(dir.resolve("epochs.csv"), Csv.table(DataTables.epochs(r)));
        Files.writeAtomic(dir.resolve("throughput.csv"), Csv.table(DataTables.throughput(r)));
        Files.writeAtomic(dir.resolve("tables.tex"), latex(r));
        List<String> plots = plots(r, dir, warnings);
        Files.writeAtomic(dir.resolve("report.md"), MarkdownReport.of(r, plots));
        return r;
    }

    private static String latex(SweepResults r) {
        StringBuilder sb = new StringBuilder("% Sweep '" + r.manifest().name() + "': tables for LaTeX (needs \\usepackage{booktabs}).\n");
        for (Metric m : r.spec().metrics()) {
            sb.append('\n').append(Latex.table(DisplayTables.metric(r, m), m.title() + ", mean ± std over seeds."));
        }
        sb.append('\n').append(Latex.table(DisplayTables.throughput(r), "Throughput per device (images/s), mean ± std over seeds."));
        return sb.toString();
    }

    /** Writes each chart that has data as PNG and SVG; returns their names. Tables do not depend on plots. */
    private static List<String> plots(SweepResults r, Path dir, PrintStream warnings) throws IOException {
        List<String> written = new ArrayList<>();
        try {
            Map<String, Chart<?, ?>> charts = new LinkedHashMap<>();
            charts.put("loss_vs_accuracy", Plots.lossVsAccuracy(r));
            charts.put("gap", Plots.gapBars(r));
            charts.put("throughput", Plots.throughput(r));
            for (Map.Entry<String, Chart<?, ?>> c : charts.entrySet()) {
                if (c.getValue().getSeriesMap().isEmpty()) {
                    continue;
                }
                Files.writeAtomic(dir.resolve(c.getKey() + ".png"), BitmapEncoder.getBitmapBytes(c.getValue(), BitmapEncoder.BitmapFormat.PNG));
                ByteArrayOutputStream svg = new ByteArrayOutputStream();
                VectorGraphicsEncoder.saveVectorGraphic(c.getValue(), svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
                Files.writeAtomic(dir.resolve(c.getKey() + ".svg"), svg.toByteArray());
                written.add(c.getKey());
            }
        } catch (AWTError | InternalError | LinkageError e) {
            // headless JDKs without fonts cannot draw text; the tables are still complete
            warnings.println("warning: plots skipped, this JVM cannot render charts: " + e);
        }
        return written;
    }
}
