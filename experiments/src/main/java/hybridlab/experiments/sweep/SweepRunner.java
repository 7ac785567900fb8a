package hybridlab.experiments.sweep;

import hybridlab.experiments.train.RunRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Trains the runs that have no record yet, one after another, writing each record as soon as
 * its run ends. A diverged run is recorded like a finished one (and so is never retrained); a
 * run that throws is reported and skipped, and the others still run.
 */
final class SweepRunner {
    private final RecordStore store;
    private final RunExecutor executor;
    private final PrintStream log;

    SweepRunner(RecordStore store, RunExecutor executor, PrintStream log) {
        this.store = store;
        this.executor = executor;
        this.log = log;
    }

    Outcome run(List<SweepRun> runs) throws IOException {
        int trained = 0, skipped = 0, diverged = 0;
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            SweepRun run = runs.get(i);
            if (store.done(run.runId(), log)) {
                skipped++;
                continue;
            }
            log.printf("[%d/%d] %s: %s, seed %d%n", i + 1, runs.size(), run.runId(), run.variant().origin(), run.seed());
            long t0 = System.nanoTime();
            RunRecord r;
            try {
                r = executor.train(run.config());
                store.write(r);
            } catch (Exception e) {
                failed.add(run.runId() + ": " + e);
                log.println("error: " + run.runId() + " failed: " + e + "; going on with the other runs");
                continue;
            }
            trained++;
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (RunRecord.DIVERGED.equals(r.status())) {
                diverged++;
                log.printf(Locale.ROOT, "  diverged at step %d (loss %s), recorded (%.0f s)%n", r.divergence().step(), r.divergence().loss(), seconds);
            } else {
                log.printf(Locale.ROOT, "  test acc %.4f, train acc (eval) %.4f, gap %.4f (%.0f s)%n",
                        r.result().testAcc(), r.result().trainAcc(), r.result().gapAcc(), seconds);
            }
        }
        return new Outcome(trained, skipped, diverged, List.copyOf(failed));
    }
}
