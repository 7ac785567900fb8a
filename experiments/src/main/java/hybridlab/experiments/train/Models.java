package hybridlab.experiments.train;

import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.DidYouMean;
import hybridlab.experiments.config.RunConfig;
import hybridlab.models.Knobs;
import hybridlab.models.ModelConfig;
import hybridlab.models.Preset;
import hybridlab.models.Zoo;

/**
 * Resolves a run config's model key and knobs to a model configuration, or a config error; also
 * rejects the recipe combinations no single key can check.
 */
public final class Models {
    private Models() {
    }

    public static Preset preset(RunConfig cfg, String where) {
        Preset p = Zoo.all().get(cfg.model());
        if (p == null) {
            throw ConfigException.at(where, "model", "unknown model '" + cfg.model() + "'"
                    + DidYouMean.suggest(cfg.model(), Zoo.all().keySet()) + "; known: " + String.join(", ", Zoo.all().keySet()));
        }
        return p;
    }

    /** The preset with the run's knobs applied; impossible combinations fail here, before training. */
    public static ModelConfig resolve(RunConfig cfg, String where) {
        if (cfg.minLr() > cfg.lr()) {
            throw ConfigException.at(where, "min_lr", cfg.minLr() + " is above lr " + cfg.lr()
                    + " (the cosine schedule decays from lr to min_lr)");
        }
        Preset p = preset(cfg, where);
        Knobs knobs = new Knobs(cfg.layout(), cfg.fusion(), cfg.dropPath(), cfg.crpeWindows(), cfg.cpe(),
                cfg.parallelDepth(), cfg.prmDilations(), cfg.pcm());
        try {
            ModelConfig mc = p.config().with(knobs);
            mc.build();
            return mc;
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            int colon = msg.indexOf(": ");
            if (colon > 0 && knobs.setNames().contains(msg.substring(0, colon))) {
                throw ConfigException.at(where, msg.substring(0, colon), msg.substring(colon + 2) + " (model " + cfg.model() + ")");
            }
            throw ConfigException.at(where, "model", cfg.model() + ": " + msg);
        }
    }
}
