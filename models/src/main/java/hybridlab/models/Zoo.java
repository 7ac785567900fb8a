package hybridlab.models;

import hybridlab.kernels.RelAttention;
import hybridlab.models.coatnet.CoAtNetConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every preset by name. Registration fails on a duplicate name. */
public final class Zoo {
    private static final Map<String, Preset> PRESETS = new LinkedHashMap<>();

    static {
        for (String layout : CoAtNetConfig.LAYOUTS) {
            register(new Preset("coatnet-nano-" + layout,
                    "CoAtNet " + layout + " for 1x32x32 inputs: D=[16,32,64,128,256], L=[2,2,2,2,1], head width 32",
                    nano(layout), null));
        }
        register(new Preset("coatnet-0", "CoAtNet-0 (CCTT) at 224x224, ImageNet head",
                new CoAtNetConfig("CCTT", new int[] {2, 2, 3, 5, 2}, new int[] {64, 96, 192, 384, 768}, 2,
                        RelAttention.Fusion.PRE, 32, 4, 0.25f, 4, 3, 224, 1000, 0f),
                new Preset.PaperFigures(25, 4.2, "Dai et al. 2021, Table 3")));
    }

    private Zoo() {
    }

    static CoAtNetConfig nano(String layout) {
        return new CoAtNetConfig(layout, new int[] {2, 2, 2, 2, 1}, new int[] {16, 32, 64, 128, 256}, 1,
                RelAttention.Fusion.PRE, 32, 4, 0.25f, 4, 1, 32, 10, 0f);
    }

    static void register(Preset p) {
        if (PRESETS.putIfAbsent(p.name(), p) != null) {
            throw new IllegalStateException("duplicate preset name " + p.name());
        }
    }

    public static Map<String, Preset> all() {
        return Collections.unmodifiableMap(PRESETS);
    }

    /** The preset named {@code name}, or an error listing the known names. */
    public static Preset get(String name) {
        Preset p = PRESETS.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", PRESETS.keySet()));
        }
        return p;
    }
}
