package hybridlab.experiments.config;

import hybridlab.models.KnobException;
import hybridlab.models.Knobs;
import hybridlab.models.ModelConfig;
import hybridlab.models.Preset;
import hybridlab.models.Zoo;
import java.util.List;

/**
 * The model of a run: a preset and the ablation knobs set on it (unset knobs keep the preset's
 * value; a knob of another family is an error).
 */
public record ModelSpec(
        @Key(name = "model", def = "coatnet-nano-CCCC", help = "model preset (experiments info --list)") String name,
        @Key(help = "CoAtNet stage layout, replacing the preset's") Layout layout,
        @Key(help = "relative-bias fusion of CoAtNet and ViT-REL: before (pre) or after (post) the softmax, or none") Fusion fusion,
        @Key(min = 0, max = 0.95, help = "stochastic-depth rate of the last block") Double dropPath,
        @Key(help = "CoaT CRPE window -> heads map, or off") CrpeWindows crpeWindows,
        @Key(help = "CoaT convolutional position encoding on/off") Boolean cpe,
        @Key(min = 0, max = 64, help = "CoaT parallel blocks (0: CoaT-Lite)") Integer parallelDepth,
        @Key(help = "ViTAE dilations of the first reduction cell's pyramid", example = "[1, 2, 3]") List<Integer> prmDilations,
        @Key(help = "ViTAE parallel convolutional modules on/off") Boolean pcm) {

    public ModelSpec {
        prmDilations = prmDilations == null ? null : List.copyOf(prmDilations);
    }

    /** The knobs as the model families take them; null: the preset's value. */
    public Knobs knobs() {
        return new Knobs(layout == null ? null : layout.toString(), fusion == null ? null : fusion.toString(),
                dropPath == null ? null : dropPath.floatValue(), crpeWindows == null ? null : crpeWindows.headsPerWindow(), cpe,
                parallelDepth, prmDilations, pcm);
    }

    /** The preset named by {@code model}, or a config error at {@code where} listing the known ones. */
    public Preset preset(String where) {
        Preset p = Zoo.all().get(name);
        if (p == null) {
            throw ConfigException.at(where, "model", "unknown model '" + name + "'" + DidYouMean.suggest(name, Zoo.all().keySet())
                    + "; known: " + String.join(", ", Zoo.all().keySet()));
        }
        return p;
    }

    /** The preset with the knobs applied and built once (so impossible combinations fail here, before training). */
    public ModelConfig resolve(String where) {
        return checked(where, () -> {
            ModelConfig mc = preset(where).config().with(knobs());
            mc.build();
            return mc;
        });
    }

    /**
     * {@link #resolve} for images of {@code channels} channels and {@code classes} classes: a
     * preset that fits its data takes them; any other keeps its own (and the caller checks).
     */
    public ModelConfig resolveFor(int channels, int classes, String where) {
        Preset p = preset(where);
        if (!p.fitsData()) {
            return resolve(where);
        }
        return checked(where, () -> {
            ModelConfig mc = p.config().withData(channels, classes).with(knobs());
            mc.build();
            return mc;
        });
    }

    /** The model config as {@link #resolve} makes it, without building it, for comparisons. */
    public ModelConfig configured(String where) {
        return checked(where, () -> preset(where).config().with(knobs()));
    }

    /** Runs {@code make}; a model's refusal becomes a config error naming the knob (or the model) at {@code where}. */
    private ModelConfig checked(String where, java.util.function.Supplier<ModelConfig> make) {
        try {
            return make.get();
        } catch (KnobException e) {
            throw ConfigException.at(where, e.knob(), e.problem() + " (model " + name + ")");
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(where, "model", name + ": " + e.getMessage());
        }
    }
}
