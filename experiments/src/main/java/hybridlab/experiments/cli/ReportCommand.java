package hybridlab.experiments.cli;

import hybridlab.experiments.report.Report;
import hybridlab.experiments.report.SweepResults;
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
    public Integer call() throws Exception {
        SweepResults r = Report.write(output, System.err);
        System.out.printf("%s: %d of %d runs recorded (%d diverged, %d missing)%n", r.manifest().name(),
                r.finished() + r.diverged(), r.planned(), r.diverged(), r.missing());
        System.out.println("report: " + Report.dir(output).resolve("report.md"));
        return 0;
    }
}
