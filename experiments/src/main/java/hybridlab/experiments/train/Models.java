package hybridlab.experiments.train;

import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.data.Dataset;
import hybridlab.models.ModelConfig;

/**
 * A run config's model, with the checks no single key can make: the recipe's combinations, and
 * that the model takes the dataset's images and predicts its classes.
 */
public final class Models {
    private Models() {
    }

    /** The preset with the run's knobs applied; impossible combinations fail here, before training. */
    public static ModelConfig resolve(RunConfig cfg, String where) {
        if (cfg.schedule().minLr() > cfg.optim().lr()) {
            throw ConfigException.at(where, "min_lr", cfg.schedule().minLr() + " is above lr " + cfg.optim().lr()
                    + " (the cosine schedule decays from lr to min_lr)");
        }
        return cfg.model().resolve(where);
    }

    /**
     * The model for {@code data}: a small preset takes the data's channels and classes, and every
     * model must then take its images (channels, size) and predict its classes.
     */
    public static ModelConfig forData(RunConfig cfg, Dataset data, String where) {
        resolve(cfg, where);
        ModelConfig mc = cfg.model().resolveFor(data.channels(), data.classes(), where);
        checkInput(mc, cfg.model().name(), data, where);
        return mc;
    }

    /** Fails unless {@code mc} takes {@code data}'s images (channels, size) and predicts its classes. */
    public static void checkInput(ModelConfig mc, String model, Dataset data, String where) {
        String got = data.channels() + "x" + data.size() + "x" + data.size() + " images of " + data.classes() + " classes";
        String want = mc.inChannels() + "x" + mc.imageSize() + "x" + mc.imageSize() + " images of " + mc.classes() + " classes";
        if (mc.inChannels() != data.channels() || mc.imageSize() != data.size() || mc.classes() != data.classes()) {
            throw ConfigException.at(where, "model", model + " takes " + want + ", but " + data.name() + " has " + got
                    + "; choose a model for this data (experiments info --list)");
        }
    }
}
