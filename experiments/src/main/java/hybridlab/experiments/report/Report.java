package hybridlab.experiments.report;

import hybridlab.experiments.config.Files;
import hybridlab.experiments.report.figure.Figure;
import hybridlab.experiments.report.figure.Typeface;
import hybridlab.experiments.train.RunRecord;
import java.awt.AWTError;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a sweep's report from its output folder alone ({@code sweep.json} and
 * {@code runs/*.json}) into {@code OUTPUT/report/}: {@code report.md}, {@code tables.tex},
 * {@code metrics.csv}, {@code epochs.csv}, {@code matched_loss.csv}, {@code paired.csv},
 * {@code data_size.csv} (when the sweep varies the training fraction), {@code throughput.csv},
 * and the figures as PNG, SVG and PDF. Every file is a function of the records (sorted, fixed
 * formats, one font read from its file, no timestamps), so rebuilding from the same records
 * gives byte-identical files.
 */
public final class Report {
    private Report() {
    }

    public static final String DIR = "report", RUNS = "runs";
    static final List<String> FORMATS = List.of("png", "svg", "pdf");

    public static Path dir(Path output) {
        return output.resolve(DIR);
    }

    /** Reads the output folder and writes the report; unusable records are skipped with a warning. */
    public static SweepResults write(Path output, PrintStream warnings) throws IOException {
        Manifest m = Manifest.read(output);
        Map<String, RunRecord> records = Records.readAll(output.resolve(RUNS), warnings);
        SweepResults r = SweepResults.of(m, records);
        MarkdownReport.Analysis a = MarkdownReport.Analysis.of(r);
        Path dir = dir(output);
        Files.writeAtomic(dir.resolve("metrics.csv"), Csv.table(DataTables.metrics(r)));
        Files.writeAtomic(dir.resolve("epochs.csv"), Csv.table(DataTables.epochs(r)));
        Files.writeAtomic(dir.resolve("matched_loss.csv"), Csv.table(DataTables.matchedLoss(a.partition(), a.matched())));
        Files.writeAtomic(dir.resolve("paired.csv"), Csv.table(DataTables.paired(a.partition(), a.pairs())));
        if (!a.dataSize().isEmpty()) {
            Files.writeAtomic(dir.resolve("data_size.csv"), Csv.table(DataTables.dataSize(a.partition(), a.dataSize())));
        } else {
            java.nio.file.Files.deleteIfExists(dir.resolve("data_size.csv"));
        }
        Files.writeAtomic(dir.resolve("throughput.csv"), Csv.table(DataTables.throughput(r)));
        Files.writeAtomic(dir.resolve("tables.tex"), latex(r, a));
        List<String> plots = plots(a, dir, warnings);
        Files.writeAtomic(dir.resolve("report.md"), MarkdownReport.of(r, a, plots));
        return r;
    }

    private static String latex(SweepResults r, MarkdownReport.Analysis a) {
        StringBuilder sb = new StringBuilder("% Sweep '" + r.manifest().name() + "': tables for LaTeX (needs \\usepackage{booktabs}).\n");
        for (Metric m : r.spec().metrics()) {
            sb.append('\n').append(Latex.table(DisplayTables.metric(r, m), m.title() + (m.dependsOnSeed() ? ", mean ± std [95% CI] over seeds."
                    : ", mean over seeds.")));
        }
        for (MatchedLoss.Comparison c : a.matched()) {
            if (c.compared().isEmpty()) {
                continue;
            }
            String missed = c.missed().isEmpty() ? "" : " Not compared: " + MatchedLoss.missedText(c) + ".";
            sb.append('\n').append(Latex.table(DisplayTables.matchedLoss(c), "Test accuracy (%) of " + a.partition().heading(c.group(), c.facet())
                    + " at training loss " + MatchedLoss.loss(c.level()) + " (training loss as trained, per epoch; the lowest that every "
                    + "compared variant reaches), interpolated between epochs; mean ± std [95% CI] over seeds." + missed));
        }
        for (Map.Entry<String, List<PairedDifferences.Pair>> e : a.pairsByKey().entrySet()) {
            PairedDifferences.Pair p = e.getValue().get(0);
            sb.append('\n').append(Latex.table(DisplayTables.paired(e.getKey(), p.first(), p.second(), e.getValue()),
                    "Paired differences in test accuracy (points), " + e.getKey() + " " + p.first() + " - " + p.second()
                            + ", matched by seed: mean and 95% CI (Student t)."));
        }
        for (String g : a.partition().groups) {
            if (a.dataSize().stream().anyMatch(l -> l.group().equals(g))) {
                sb.append('\n').append(Latex.table(DisplayTables.dataSize(a.dataSize(), g),
                        "Test accuracy (%) of " + g + " against training-set size, mean ± std over seeds; † best at each size."));
            }
        }
        Table validation = DisplayTables.validation(r);
        if (!validation.rows().isEmpty()) {
            sb.append('\n').append(Latex.table(validation, "Test accuracy at the epoch of best validation accuracy, mean ± std [95% CI]."));
        }
        sb.append('\n').append(Latex.table(DisplayTables.throughput(r), "Throughput per device (images/s), mean ± std over seeds."));
        return sb.toString();
    }

    /** Writes each figure that has data as PNG, SVG and PDF; returns their names. Tables do not depend on figures. */
    private static List<String> plots(MarkdownReport.Analysis a, Path dir, PrintStream warnings) throws IOException {
        List<String> written = new ArrayList<>();
        try {
            Typeface face = Typeface.find();
            for (Map.Entry<String, Figure> f : Plots.all(a.partition(), a.matched()).entrySet()) {
                List<byte[]> files = f.getValue().encode(face);
                for (int i = 0; i < FORMATS.size(); i++) {
                    Files.writeAtomic(dir.resolve(f.getKey() + "." + FORMATS.get(i)), files.get(i));
                }
                written.add(f.getKey());
            }
            for (String name : Plots.NAMES) {
                if (!written.contains(name)) { // a figure the records no longer have data for
                    for (String format : FORMATS) {
                        java.nio.file.Files.deleteIfExists(dir.resolve(name + "." + format));
                    }
                }
            }
        } catch (Typeface.Missing e) {
            warnings.println("warning: figures skipped: " + e.getMessage());
        } catch (AWTError | InternalError | LinkageError e) {
            // headless JDKs without font support cannot draw text; the tables are still complete
            warnings.println("warning: figures skipped, this JVM cannot render them: " + e);
        }
        return written;
    }
}
