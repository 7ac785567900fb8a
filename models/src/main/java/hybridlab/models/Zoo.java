package hybridlab.models;

import hybridlab.kernels.RelAttention;
import hybridlab.models.coat.CoaTConfig;
import hybridlab.models.coatnet.CoAtNetConfig;
import hybridlab.models.coatnet.ViTRelConfig;
import hybridlab.models.vitae.ViTAEConfig;
import hybridlab.models.vitae.ViTAEConfig.ReductionCellSpec;
import hybridlab.nn.Init;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every preset by name: the paper configurations (224x224, 1000 classes) and the small ones for
 * 1x32x32 Fashion-MNIST. Registration fails on a duplicate name.
 */
public final class Zoo {
    private static final Map<String, Preset> PRESETS = new LinkedHashMap<>();
    private static final RelAttention.Fusion PRE = RelAttention.Fusion.PRE;

    static {
        for (String layout : CoAtNetConfig.LAYOUTS) {
            register("coatnet-nano-" + layout,
                    "CoAtNet " + layout + " for 1x32x32: D=[16,32,64,128,256], L=[2,2,2,2,1], head width 32 (pinned)",
                    new CoAtNetConfig(layout, new int[] {2, 2, 2, 2, 1}, new int[] {16, 32, 64, 128, 256}, 1, PRE, 32, 4,
                            0.25f, 4, 1, 32, 10, 0f), null);
        }
        register("vit-rel-nano", "ViT-REL for 1x32x32: 4x4 patches (8x8 tokens), width 96, 4 relative-attention blocks of 12 heads of width 8, "
                + "bias tables learning 100x faster, fan-in linear init",
                new ViTRelConfig(4, 96, 4, 8, 4, PRE, new Init.FanIn(), 100f, 1, 32, 10, 0f), null);
        register("coat-lite-nano", "CoaT-Lite for 1x32x32: patches 2,2,2,2, dims [32,64,128,160], 4 heads, CRPE {3:1,5:2,7:1} (pinned)",
                new CoaTConfig(new int[] {2, 2, 2, 2}, new int[] {32, 64, 128, 160}, new int[] {2, 2, 2, 2}, 0, 4,
                        new int[] {4, 4, 4, 4}, windows(3, 1, 5, 2, 7, 1), true, 3, 1, 32, 10, 0f), null);
        register("coat-nano", "CoaT with parallel blocks for 1x32x32: dims [32,64,64,64], serial [1,1,1,1], 2 parallel blocks",
                new CoaTConfig(new int[] {2, 2, 2, 2}, new int[] {32, 64, 64, 64}, new int[] {1, 1, 1, 1}, 2, 4,
                        new int[] {4, 4, 4, 4}, windows(3, 1, 5, 2, 7, 1), true, 3, 1, 32, 10, 0f), null);
        register("vitae-nano", "ViTAE for 1x32x32: RCs 32->16 (dilations 1,2,3) and 16->8 (1,2), 4 normal cells of width 64, 2 heads, fan-in linear init",
                new ViTAEConfig(List.of(new ReductionCellSpec(16, 32, 2, 3, List.of(1, 2, 3), 1),
                        new ReductionCellSpec(32, 64, 2, 3, List.of(1, 2), 1)), 4, 2, 2f, 16, true, new Init.FanIn(), 1, 32, 10, 0f), null);

        register("coatnet-0", "CoAtNet-0 (CCTT) at 224x224: L=[2,2,3,5,2], D=[64,96,192,384,768]",
                new CoAtNetConfig("CCTT", new int[] {2, 2, 3, 5, 2}, new int[] {64, 96, 192, 384, 768}, 2, PRE, 32, 4,
                        0.25f, 4, 3, 224, 1000, 0f), new Preset.PaperFigures(25, 4.2, "Dai et al. 2021, Table 3",
                        "This implementation follows the paper's Section 3 and its reference code: "
                        + "each MBConv widens 4x its input width, and a downsampling transformer block pools before "
                        + "attending. Widening 4x the output width instead (as timm's CoAtNet does) in each stage's first, "
                        + "downsampling MBConv gives 24.4 M parameters and 4.14 G multiply-adds with this code, within 2% of "
                        + "the published FLOPs; the paper does not say which width it expands."));
        register("vit-rel-s16", "ViT-REL at 224x224: 16x16 patches, width 384, 12 relative-attention blocks (ViT-S widths)",
                new ViTRelConfig(16, 384, 12, 32, 4, PRE, Init.LINEAR, 1f, 3, 224, 1000, 0f), null);
        register("coat-lite-tiny", "CoaT-Lite Tiny at 224x224: dims [64,128,256,320], serial [2,2,2,2], 8 heads, MLP [8,8,4,4]",
                lite224(new int[] {64, 128, 256, 320}), new Preset.PaperFigures(5.7, 1.6, "Xu et al. 2021, Table 2"));
        register("coat-lite-mini", "CoaT-Lite Mini at 224x224: dims [64,128,320,512], serial [2,2,2,2], 8 heads, MLP [8,8,4,4]",
                lite224(new int[] {64, 128, 320, 512}), new Preset.PaperFigures(11, 2.0, "Xu et al. 2021, Table 2"));
        register("coat-tiny", "CoaT Tiny at 224x224: dims 152 x 4, serial [2,2,2,2], 6 parallel blocks, MLP 4",
                coat224(new int[] {152, 152, 152, 152}), new Preset.PaperFigures(5.5, 4.4, "Xu et al. 2021, Table 2"));
        register("coat-mini", "CoaT Mini at 224x224: dims [152,216,216,216], serial [2,2,2,2], 6 parallel blocks, MLP 4",
                coat224(new int[] {152, 216, 216, 216}), new Preset.PaperFigures(10, 6.8, "Xu et al. 2021, Table 2"));
        register("vitae-t", "ViTAE-T at 224x224: RCs /4 (1,2,3,4), /2 (1,2,3), /2 (1,2; no attention), 7 normal cells of width 256, 4 heads",
                new ViTAEConfig(List.of(new ReductionCellSpec(64, 64, 4, 7, List.of(1, 2, 3, 4), 1),
                        new ReductionCellSpec(64, 64, 2, 3, List.of(1, 2, 3), 1),
                        new ReductionCellSpec(128, 256, 2, 3, List.of(1, 2), 0)), 7, 4, 2f, 64, true, Init.LINEAR, 3, 224, 1000, 0f),
                new Preset.PaperFigures(4.8, 1.5, "Xu et al. NeurIPS 2021, Table 2",
                        "The paper's first two reduction cells use Performer attention, linear in the number of tokens; "
                        + "this implementation uses exact softmax attention there, whose quadratic term alone is "
                        + "2 x 3136^2 x 64 = 1.26 G multiply-adds over the 56x56 tokens of the first cell. Parameters "
                        + "match, since Performer's random features are not learned."));
    }

    private Zoo() {
    }

    private static CoaTConfig lite224(int[] dims) {
        return new CoaTConfig(new int[] {4, 2, 2, 2}, dims, new int[] {2, 2, 2, 2}, 0, 8, new int[] {8, 8, 4, 4},
                windows(3, 2, 5, 3, 7, 3), true, 3, 3, 224, 1000, 0f);
    }

    private static CoaTConfig coat224(int[] dims) {
        return new CoaTConfig(new int[] {4, 2, 2, 2}, dims, new int[] {2, 2, 2, 2}, 6, 8, new int[] {4, 4, 4, 4},
                windows(3, 2, 5, 3, 7, 3), true, 3, 3, 224, 1000, 0f);
    }

    /** {@code window, heads, window, heads, ...} in order. */
    static Map<Integer, Integer> windows(int... pairs) {
        Map<Integer, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    static void register(String name, String description, ModelConfig config, Preset.PaperFigures paper) {
        // the small presets (32x32) adapt to a dataset's channels and classes; the 224x224 ones keep ImageNet's
        if (PRESETS.putIfAbsent(name, new Preset(name, description, config, paper, config.imageSize() == 32)) != null) {
            throw new IllegalStateException("duplicate preset name " + name);
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
