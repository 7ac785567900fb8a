package hybridlab.experiments.cli;

import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.Files;
import hybridlab.experiments.config.OutputException;
import hybridlab.experiments.report.Manifest;
import hybridlab.experiments.report.Report;
import hybridlab.experiments.report.SweepResults;
import hybridlab.experiments.sweep.Sweep;
import hybridlab.experiments.sweep.SweepPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code experiments report OUTPUT}: rebuild a sweep's tables and plots from its records. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Rebuild a sweep's tables (Markdown, CSV, LaTeX) and figures from OUTPUT/sweep.json and OUTPUT/runs/.",
            "With --sweep, OUTPUT/sweep.json is first written from the sweep file (for records gathered from other folders)."})
public final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "OUTPUT", description = "a sweep's output folder")
    Path output;

    @Option(names = "--sweep", paramLabel = "SWEEP.yaml",
            description = "first write OUTPUT/sweep.json from this sweep file (records gathered from elsewhere)")
    Path sweep;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "with --sweep: the --set the runs were made with")
    List<String> sets = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (sweep != null) {
            SweepPlan plan = Sweep.plan(sweep, sets, output);
            Files.checkWritableFolder(output, "OUTPUT");
            plan.manifest().write(output);
        } else if (!sets.isEmpty()) {
            throw new ConfigException("--set: only with --sweep");
        }
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
