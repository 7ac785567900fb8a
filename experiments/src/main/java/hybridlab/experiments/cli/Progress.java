package hybridlab.experiments.cli;

import hybridlab.backend.Backend;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.data.Data;
import hybridlab.experiments.train.RunRecord;
import hybridlab.experiments.train.Trainer;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar per epoch on an interactive terminal; one summary line per epoch otherwise. */
final class Progress implements Trainer.Listener, AutoCloseable {
    private final String name;
    private final boolean interactive = System.console() != null && System.getenv("CI") == null;
    private ProgressBar bar;
    private int step;

    Progress(String name) {
        this.name = name;
    }

    /** Trains one run, with progress output unless {@code quiet}; the bar ends whatever happens. */
    static RunRecord train(RunConfig cfg, Data data, Backend backend, boolean quiet) {
        if (quiet) {
            return Trainer.run(cfg, data, backend, new Trainer.Listener() { });
        }
        try (Progress p = new Progress(cfg.model())) {
            return Trainer.run(cfg, data, backend, p);
        }
    }

    @Override
    public void epochStart(int epoch, int epochs, int steps) {
        if (interactive) {
            bar = new ProgressBarBuilder().setTaskName(name + " epoch " + (epoch + 1) + "/" + epochs).setInitialMax(steps)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).setUnit(" steps", 1).build();
        }
        step = 0;
    }

    @Override
    public void step(int s, double loss, double acc) {
        step = s + 1;
        if (bar != null) {
            bar.stepTo(step);
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f acc %.4f", loss, acc));
        }
    }

    @Override
    public void epochEnd(RunRecord.Epoch e) {
        close();
        System.err.printf(Locale.ROOT, "epoch %d: train loss %.4f acc %.4f | test loss %.4f acc %.4f%n",
                e.epoch(), e.trainLoss(), e.trainAcc(), e.testLoss(), e.testAcc());
    }

    /** Ends the bar (its thread redraws until closed), also when a run diverges or fails. */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
