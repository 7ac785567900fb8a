package hybridlab.experiments.sweep;

import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.Display;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.data.Data;
import hybridlab.experiments.data.DataException;
import hybridlab.experiments.data.Dataset;
import hybridlab.experiments.train.Models;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a whole sweep before anything trains (its models were resolved when it was expanded):
 * every data source (once each), that each model takes its data's images and classes, that each
 * training subset holds at least one batch, every backend (once each) and that the output folder
 * can be written.
 */
final class Validator {
    private Validator() {
    }

    static void validate(SweepPlan plan, RunExecutor executor) {
        String src = plan.file().source();
        Map<String, Dataset> sources = new HashMap<>();
        Set<List<Object>> backends = new HashSet<>();
        for (Variant v : plan.variants()) {
            RunConfig c = v.config();
            Dataset train = sources.computeIfAbsent(Data.source(c), k -> Data.check(c, src));
            Located.at(src + ": " + v.origin() + ": ", () -> {
                Models.forData(c, train, null);
                return null;
            });
            batchFits(src, v);
            if (backends.add(List.of(c.backend().backend(), c.backend().deviceOrDefault()))) {
                executor.checkBackend(c, src);
            }
        }
        OutputFolder.checkWritable(plan.output(), plan.outputWhere());
    }

    private static void batchFits(String src, Variant v) {
        RunConfig c = v.config();
        int images, held;
        try {
            images = Data.trainCount(c);
            held = Data.valCount(c);
        } catch (DataException e) {
            throw ConfigException.at(src, "dataset", e.getMessage());
        }
        if (c.data().valFraction() > 0 && held == 0) {
            throw new ConfigException(src + ": " + v.origin() + ": val_fraction: " + Display.of(c.data().valFraction())
                    + " holds out no image of this training set (too small a share of each class)");
        }
        if (c.schedule().batch() > images) {
            throw new ConfigException(src + ": " + v.origin() + ": batch: " + c.schedule().batch() + " is larger than the training set ("
                    + images + " images at train_fraction " + Display.of(c.data().trainFraction()) + ")");
        }
    }
}
