package hybridlab.experiments.cli;

import hybridlab.experiments.config.Files;
import hybridlab.experiments.config.OutputException;
import hybridlab.experiments.report.Manifest;
import hybridlab.experiments.report.Report;
import hybridlab.experiments.report.SweepResults;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code experiments report OUTPUT}: rebuild a sweep's tables and plots from its records. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Rebuild a sweep's tables (Markdown, CSV, LaTeX) and plots from OUTPUT/sweep.json and OUTPUT/runs/.")
public final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "OUTPUT", description = "a sweep's output folder")
    Path output;

    @Override
    public Integer call() {
        Manifest.read(output);
        SweepResults r = writeReport(output);
        System.out.printf("%s: %d of %d runs recorded (%d diverged, %d missing)%n", r.manifest().name(),
                r.finished() + r.diverged(), r.planned(), r.diverged(), r.missing());
        System.out.println("report: " + Report.dir(output).resolve("report.md"));
        return 0;
    }

    /** The report of {@code output}: its folder checked before any work, a write that fails anyway a user error naming it. */
    static SweepResults writeReport(Path output) {
        Files.checkWritableFolder(Report.dir(output), "report");
        try {
            return Report.write(output, System.err);
        } catch (IOException e) {
            throw new OutputException(Report.dir(output) + ": the report cannot be written (" + Files.reason(e) + ")");
        }
    }
}
