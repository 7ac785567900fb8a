package hybridlab.experiments.cli;

import hybridlab.backend.Backend;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.data.Data;
import hybridlab.experiments.train.RunRecord;
import hybridlab.experiments.train.Trainer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of one run on standard error, with the same figures everywhere: epoch and step, the
 * epoch's mean loss and accuracy so far, training images/s, the time left in the epoch and in the
 * whole run (evaluations included), and while evaluating, the split and batch. On a terminal one
 * line is redrawn in place, with a bar, at most four times a second; elsewhere (a log file, CI, a
 * cluster job) the line is printed every {@code every} (default 30 s). Each epoch ends with a
 * line of its results either way.
 */
final class Progress implements Trainer.Listener {
    static final Duration DEFAULT_EVERY = Duration.ofSeconds(30);
    private static final long REDRAW_NANOS = 250_000_000L;

    private final String name;
    private final PrintStream out;
    private final boolean terminal;
    private final int width;
    private final long everyNanos;
    private final LongSupplier clock;

    private Trainer.Work work;
    private int epoch;
    /** Steps and evaluation batches timed here, and those a resumed run had done before. */
    private long stepsDone, batchesDone, stepsBefore, batchesBefore, stepNanos, evalNanos, lastMark, lastPrint;
    private String line = "";

    Progress(String name, PrintStream out, boolean terminal, int width, Duration every, LongSupplier clock) {
        this.name = name;
        this.out = out;
        this.terminal = terminal;
        this.width = width;
        this.everyNanos = every.toNanos();
        this.clock = clock;
    }

    /**
     * On standard error, redrawn in place when it is a terminal (not in CI). Java cannot ask
     * whether standard error is a terminal, so {@code bin/experiments} tells it
     * ({@code -Dhybridlab.stderr.terminal}); without that, the console stands in for it.
     */
    static Progress onStandardError(String name, Duration every) {
        String told = System.getProperty("hybridlab.stderr.terminal");
        boolean terminal = (told != null ? Boolean.parseBoolean(told) : System.console() != null && System.console().isTerminal())
                && System.getenv("CI") == null;
        return new Progress(name, System.err, terminal, terminalWidth(), every, System::nanoTime);
    }

    /** Trains one run, with progress unless {@code quiet}. */
    static RunRecord train(RunConfig cfg, Data data, Backend backend, boolean quiet, Duration every, Path runsDir) {
        Trainer.Listener l = quiet ? new Trainer.Listener() { } : onStandardError(cfg.model().name(), every);
        return Trainer.run(cfg, data, backend, l, runsDir);
    }

    private static int terminalWidth() {
        try {
            int w = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "").trim());
            return w >= 40 ? w : 100;
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    @Override
    public void start(Trainer.Work w) {
        work = w;
        lastMark = lastPrint = clock.getAsLong();
    }

    @Override
    public void resumed(int e, int step, long global) {
        stepsBefore = global;
        batchesBefore = (long) e * work.evalBatchesPerEpoch();
        out.printf(Locale.ROOT, "%s: resumed from its checkpoint at epoch %d/%d, step %d/%d%n", name, e + 1, work.epochs(), step,
                work.stepsPerEpoch());
    }

    @Override
    public void epochStart(int e) {
        epoch = e;
    }

    @Override
    public void step(int step, double loss, double acc) {
        stepNanos += lap();
        stepsDone++;
        show(String.format(Locale.ROOT, "%s epoch %d/%d %s step %d/%d loss %.4f acc %.4f | %.0f img/s | epoch ETA %s | run ETA %s",
                name, epoch + 1, work.epochs(), bar(step + 1, work.stepsPerEpoch()), step + 1, work.stepsPerEpoch(), loss, acc,
                imagesPerSecond(), clockTime(epochLeftNanos()), clockTime(runLeftNanos())));
    }

    @Override
    public void evaluated(String split, int batch, int batches) {
        evalNanos += lap();
        batchesDone++;
        String when = split.equals("train") ? "final" : "epoch " + (epoch + 1) + "/" + work.epochs();
        show(String.format(Locale.ROOT, "%s %s evaluating %s %s batch %d/%d | run ETA %s", name, when, split,
                bar(batch + 1, batches), batch + 1, batches, clockTime(runLeftNanos())));
    }

    @Override
    public void epochEnd(RunRecord.Epoch e) {
        lastMark = clock.getAsLong();
        clearLine();
        out.printf(Locale.ROOT, "%s epoch %d/%d: train loss %.4f acc %.4f | test loss %.4f acc %.4f | run ETA %s%n", name,
                e.epoch(), work.epochs(), e.trainLoss(), e.trainAcc(), e.testLoss(), e.testAcc(), clockTime(runLeftNanos()));
    }

    private long lap() {
        long now = clock.getAsLong(), d = now - lastMark;
        lastMark = now;
        return d;
    }

    private void show(String text) {
        long now = clock.getAsLong();
        if (terminal) {
            if (now - lastPrint >= REDRAW_NANOS) {
                String fitted = text.length() > width - 1 ? text.substring(0, width - 1) : text;
                out.print("\r" + fitted + " ".repeat(Math.max(0, line.length() - fitted.length())));
                out.flush();
                line = fitted;
                lastPrint = now;
            }
        } else if (now - lastPrint >= everyNanos) {
            out.println(text);
            lastPrint = now;
        }
    }

    private void clearLine() {
        if (terminal && !line.isEmpty()) {
            out.print("\r" + " ".repeat(line.length()) + "\r");
            line = "";
        }
    }

    private double imagesPerSecond() {
        return stepNanos == 0 ? 0 : stepsDone * work.batch() / (stepNanos / 1e9);
    }

    private double nanosPerStep() {
        return stepsDone == 0 ? 0 : (double) stepNanos / stepsDone;
    }

    /** Measured once evaluation has run; before that, a forward pass is taken as a third of a training step per image. */
    private double nanosPerEvalBatch() {
        return batchesDone > 0 ? (double) evalNanos / batchesDone : nanosPerStep() * work.evalBatch() / work.batch() / 3;
    }

    private long epochLeftNanos() {
        long left = (long) (epoch + 1) * work.stepsPerEpoch() - stepsBefore - stepsDone;
        return (long) (left * nanosPerStep() + work.evalBatchesPerEpoch() * nanosPerEvalBatch());
    }

    private long runLeftNanos() {
        return (long) ((work.trainingSteps() - stepsBefore - stepsDone) * nanosPerStep()
                + (work.evaluationBatches() - batchesBefore - batchesDone) * nanosPerEvalBatch());
    }

    static String bar(int done, int total) {
        int cells = 20, full = total == 0 ? cells : (int) ((long) done * cells / total);
        return "[" + "#".repeat(full) + ".".repeat(cells - full) + "]";
    }

    static String clockTime(long nanos) {
        long s = Math.max(0, Math.round(nanos / 1e9));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
