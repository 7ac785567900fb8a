package hybridlab.experiments.cli;

import hybridlab.experiments.train.RunRecord;
import hybridlab.experiments.train.Trainer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar per epoch on an interactive terminal; one summary line per epoch otherwise. */
final class Progress implements Trainer.Listener {
    private final String name;
    private final boolean interactive = System.console() != null && System.getenv("CI") == null;
    private ProgressBar bar;
    private int step;

    Progress(String name) {
        this.name = name;
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
            bar.setExtraMessage(String.format(" loss %.4f acc %.4f", loss, acc));
        }
    }

    @Override
    public void epochEnd(RunRecord.Epoch e) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        System.err.printf("epoch %d: train loss %.4f acc %.4f | test loss %.4f acc %.4f%n",
                e.epoch(), e.trainLoss(), e.trainAcc(), e.testLoss(), e.testAcc());
    }
}
