package hybridlab.experiments.sweep;

import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.data.Data;
import hybridlab.experiments.data.DataException;
import hybridlab.experiments.train.Models;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a whole sweep before anything trains: every variant's model and knobs, every data
 * source (once each), that each training subset holds at least one batch, every backend (once
 * each) and that the output folder can be written.
 */
final class Validator {
    private Validator() {
    }

    static void validate(SweepPlan plan, RunExecutor executor) {
        String src = plan.file().source();
        for (Variant v : plan.variants()) {
            Located.at(src + ": " + v.origin() + ": ", () -> Models.resolve(v.config(), null));
        }
        Set<List<Object>> sources = new HashSet<>(), backends = new HashSet<>();
        for (Variant v : plan.variants()) {
            RunConfig c = v.config();
            if (sources.add(List.of(c.dataset(), c.dataDir(), c.syntheticTrain(), c.syntheticTest()))) {
                Data.check(c, src);
            }
            batchFits(src, v);
            if (backends.add(List.of(c.backend(), c.device()))) {
                executor.checkBackend(c, src);
            }
        }
        OutputFolder.checkWritable(plan.output(), plan.outputWhere());
    }

    private static void batchFits(String src, Variant v) {
        RunConfig c = v.config();
        int images;
        try {
            images = Data.trainCount(c);
        } catch (DataException e) {
            throw ConfigException.at(src, "dataset", e.getMessage());
        }
        if (c.batch() > images) {
            throw new ConfigException(src + ": " + v.origin() + ": batch: " + c.batch() + " is larger than the training set ("
                    + images + " images at train_fraction " + Display.of(c.trainFraction()) + ")");
        }
    }
}
