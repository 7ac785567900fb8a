package hybridlab.experiments.sweep;

import hybridlab.experiments.report.Report;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A sweep file read, expanded and validated: nothing trains unless every run of the whole
 * sweep (not only this shard's) is valid. {@link #run} then trains this shard's runs that have
 * no record yet.
 */
public final class Sweep {
    private final SweepPlan plan;

    private Sweep(SweepPlan plan) {
        this.plan = plan;
    }

    /** Reads {@code file}, applies {@code --set} overrides, expands and validates; {@code output} overrides the file's. */
    public static Sweep prepare(Path file, List<String> sets, Path output, RunExecutor executor) {
        SweepPlan plan = Expansion.expand(SweepFile.read(file), sets, output);
        Validator.validate(plan, executor);
        return new Sweep(plan);
    }

    /** The plan of {@code file} with {@code sets}, expanded and checked for shape only (no data, backends or output folder). */
    public static SweepPlan plan(Path file, List<String> sets, Path output) {
        return Expansion.expand(SweepFile.read(file), sets, output);
    }

    public SweepPlan plan() {
        return plan;
    }

    public Path output() {
        return plan.output();
    }

    /** How claims are kept fresh, when they expire, and how often a runner looks at runs claimed elsewhere. */
    public record ClaimTiming(Duration heartbeat, Duration ttl, Duration poll) {
        public static final ClaimTiming DEFAULT = new ClaimTiming(RunClaims.DEFAULT_HEARTBEAT, RunClaims.DEFAULT_TTL,
                Duration.ofSeconds(5));
    }

    /** Writes the manifest, then trains the selection's unrecorded runs; records of other runs are untouched. */
    public Outcome run(Selection selection, RunExecutor executor, PrintStream log) throws IOException, InterruptedException {
        return run(selection, executor, log, ClaimTiming.DEFAULT);
    }

    public Outcome run(Selection selection, RunExecutor executor, PrintStream log, ClaimTiming timing)
            throws IOException, InterruptedException {
        Path runs = OutputFolder.create(plan.output(), Report.RUNS, plan.outputWhere());
        plan.manifest().write(plan.output());
        try (RunClaims claims = new RunClaims(runs, timing.heartbeat(), timing.ttl())) {
            return new SweepRunner(new RecordStore(runs, log), claims, executor, log, timing.poll()).run(plan.runs(selection));
        }
    }

    /** The plan without training: one line per run of the shard with its record's state. */
    public void describe(Selection part, PrintStream out) throws IOException {
        RecordStore store = new RecordStore(plan.output().resolve(Report.RUNS), out);
        List<SweepRun> runs = plan.runs(part);
        int done = 0;
        for (SweepRun r : runs) {
            RecordStore.State s = store.state(r.runId());
            done += s == RecordStore.State.DONE ? 1 : 0;
            String state = switch (s) {
                case DONE -> "done     ";
                case MISSING -> "to run   ";
                case UNUSABLE -> "re-run   "; // its record is unreadable
            };
            out.println(state + r.runId() + "  " + r.variant().origin() + ", seed " + r.seed());
        }
        out.printf("%s: %d runs (%d variants x %d seeds), all valid; %s: %d runs, %d done, %d to run; output %s%n",
                plan.file().source(), plan.runs().size(), plan.variants().size(), plan.runs().size() / plan.variants().size(),
                part, runs.size(), done, runs.size() - done, plan.output());
    }
}
