package hybridlab.experiments.cli;

import hybridlab.experiments.Main;
import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.report.Report;
import hybridlab.experiments.report.SweepResults;
import hybridlab.experiments.sweep.Outcome;
import hybridlab.experiments.sweep.Selection;
import hybridlab.experiments.sweep.Shard;
import hybridlab.experiments.sweep.Sweep;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code experiments run SWEEP.yaml}: validate the whole sweep, train what has no record yet, write the report. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a sweep: validate every run, train the runs without a record (resume), write the report.",
            "Records go to OUTPUT/runs/<run-id>.json, the report to OUTPUT/report/."})
public final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SWEEP.yaml", description = "sweep file (see README, 'Sweeps')")
    Path file;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "set a run key for every run (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--dry-run", description = "validate and list the runs, train nothing")
    boolean dryRun;

    @Option(names = "--shard", paramLabel = "i/n", description = "run only shard i of n (runs whose index mod n is i-1); auto: the shard of this Slurm job array task")
    String shard;

    @Option(names = "--only", paramLabel = "KEY=VALUE", description = "run only the runs with this value (repeatable), e.g. seed=0")
    List<String> only = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N", description = "host threads of every run, over the sweep's (never changes results)")
    Integer threads;

    @Option(names = "--output", paramLabel = "DIR", description = "output folder (default: the file's 'output', else runs/<name>)")
    Path output;

    @Option(names = {"-q", "--quiet"}, description = "no progress output")
    boolean quiet;

    @Option(names = "--progress-every", paramLabel = "SECONDS",
            description = "when not on a terminal, a progress line every SECONDS (default 30)")
    int progressEvery = (int) Progress.DEFAULT_EVERY.toSeconds();

    @Override
    public Integer call() throws Exception {
        Selection part = Selection.of(shard == null ? Shard.ALL : Shard.parse(shard), only);
        if (progressEvery < 1) {
            throw ConfigException.at("--progress-every", null, progressEvery + " is not a number of seconds >= 1");
        }
        LocalExecutor executor = new LocalExecutor(quiet, Duration.ofSeconds(progressEvery), threads);
        Sweep sweep = Sweep.prepare(file, sets, output, executor);
        if (dryRun) {
            sweep.describe(part, System.out);
            return 0;
        }
        Outcome o = sweep.run(part, executor, System.err);
        SweepResults r = ReportCommand.writeReport(sweep.output());
        System.out.printf("%s: %d trained (%d diverged), %d already recorded, %d recorded by other processes, %d failed; "
                + "sweep %d/%d runs recorded%n", sweep.plan().file().name(), o.trained(), o.diverged(), o.skipped(), o.elsewhere(),
                o.failed().size(), r.finished() + r.diverged(), r.planned());
        System.out.println("report: " + Report.dir(sweep.output()).resolve("report.md"));
        if (!o.failed().isEmpty()) {
            System.err.println("error: " + o.failed().size() + " run(s) failed; run the sweep again to retry them:");
            o.failed().forEach(f -> System.err.println("  " + f));
            return Main.RUN_FAILED;
        }
        return 0;
    }
}
