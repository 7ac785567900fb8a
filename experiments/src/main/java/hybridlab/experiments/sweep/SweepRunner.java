package hybridlab.experiments.sweep;

import hybridlab.experiments.config.OutputException;
import hybridlab.experiments.train.RunRecord;
import hybridlab.experiments.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Trains the runs that have no record yet, one after another, each under a claim in the output
 * folder, and writes each record as soon as its run ends. Runs claimed by another live process
 * are left to it; once its own runs are done, the runner waits for those, and trains any whose
 * owner dies. A diverged run is recorded like a finished one (and so is never retrained); a run
 * that throws is reported and skipped, and the others still run. A record that cannot be written
 * is saved to a fallback file named in the failure.
 */
final class SweepRunner {
    private final RecordStore store;
    private final RunClaims claims;
    private final RunExecutor executor;
    private final PrintStream log;
    private final Duration poll;
    private int trained, skipped, elsewhere, diverged;
    private final List<String> failed = new ArrayList<>();

    SweepRunner(RecordStore store, RunClaims claims, RunExecutor executor, PrintStream log, Duration poll) {
        this.store = store;
        this.claims = claims;
        this.executor = executor;
        this.log = log;
        this.poll = poll;
    }

    Outcome run(List<SweepRun> runs) throws IOException, InterruptedException {
        List<SweepRun> heldElsewhere = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            SweepRun run = runs.get(i);
            if (store.done(run.runId(), log)) {
                skipped++;
            } else if (!attempt(run, i, runs.size())) {
                heldElsewhere.add(run);
            }
        }
        if (!heldElsewhere.isEmpty()) {
            log.printf("waiting for %d run(s) being trained by other processes sharing %s%n", heldElsewhere.size(), store.runs());
        }
        while (!heldElsewhere.isEmpty()) {
            Thread.sleep(poll.toMillis());
            for (int i = 0; i < heldElsewhere.size(); i++) {
                SweepRun run = heldElsewhere.get(i);
                if (store.done(run.runId(), log)) {
                    elsewhere++;
                } else if (!attempt(run, runs.indexOf(run), runs.size())) {
                    continue;
                }
                heldElsewhere.remove(i--);
            }
        }
        return new Outcome(trained, skipped, elsewhere, diverged, List.copyOf(failed));
    }

    /** Trains {@code run} if this process can claim it; false when another live process holds it. */
    private boolean attempt(SweepRun run, int position, int count) throws IOException {
        Optional<RunClaims.Claim> claim = claims.tryClaim(run.runId());
        if (claim.isEmpty()) {
            return false;
        }
        try (RunClaims.Claim c = claim.get()) {
            if (store.done(run.runId(), log)) { // finished by its last owner just before we claimed it
                elsewhere++;
                return true;
            }
            log.printf("[%d/%d] %s: %s, seed %d%n", position + 1, count, run.runId(), run.variant().origin(), run.seed());
            long t0 = System.nanoTime();
            RunRecord r;
            try {
                r = executor.train(run.config(), store.runs());
            } catch (Exception e) {
                failed.add(run.runId() + ": " + e);
                log.println("error: " + run.runId() + " failed: " + e + "; going on with the other runs");
                return true;
            }
            if (!write(r)) {
                return true;
            }
            Trainer.finished(run.config(), store.runs());
            trained++;
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (RunRecord.DIVERGED.equals(r.status())) {
                diverged++;
                log.printf(Locale.ROOT, "  diverged at step %d (loss %s), recorded (%.0f s)%n", r.divergence().step(),
                        r.divergence().loss(), seconds);
            } else {
                log.printf(Locale.ROOT, "  test acc %.4f, train acc (eval) %.4f, gap %.4f (%.0f s)%n",
                        r.result().testAcc(), r.result().trainAcc(), r.result().gapAcc(), seconds);
            }
            return true;
        }
    }

    /** Writes the record; if that fails (it is then kept in a fallback file), counts the run as failed. */
    private boolean write(RunRecord r) {
        try {
            store.write(r);
            return true;
        } catch (OutputException e) {
            failed.add(r.runId() + ": " + e.getMessage());
            log.println("error: " + e.getMessage());
            return false;
        }
    }
}
