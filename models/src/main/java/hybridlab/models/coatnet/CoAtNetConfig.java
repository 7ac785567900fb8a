package hybridlab.models.coatnet;

import hybridlab.kernels.RelAttention;
import hybridlab.models.KnobException;
import hybridlab.models.Knobs;
import hybridlab.models.ModelConfig;
import hybridlab.nn.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A CoAtNet: stem S0 then four stages S1..S4, each made of {@code C} (MBConv) or {@code T}
 * (relative-attention transformer) blocks, each halving the resolution at its first block.
 *
 * @param layout    block type of S1..S4, e.g. {@code CCTT}
 * @param depths    blocks per stage S0..S4 (S0's entry counts its two convs as one stem)
 * @param dims      widths D0..D4
 * @param stemStride stride of the stem's first 3x3 conv (2 at 224, 1 for 32x32 inputs)
 * @param fusion    where the relative bias enters the attention
 * @param headDim   attention head width (heads = width / headDim)
 * @param dropPath  stochastic-depth rate of the last block (linearly increasing from 0)
 */
public record CoAtNetConfig(String layout, int[] depths, int[] dims, int stemStride, RelAttention.Fusion fusion,
                            int headDim, int expand, float seRatio, int ffnRatio, int inChannels, int imageSize,
                            int classes, float dropPath) implements ModelConfig {

    public enum Block { C, T }

    public static final List<String> LAYOUTS = List.of("CCCC", "CCCT", "CCTT", "CTTT");

    public CoAtNetConfig {
        depths = depths.clone();
        dims = dims.clone();
        if (layout == null || !layout.matches("[CT]{4}")) {
            throw new IllegalArgumentException("layout must be four of C/T (e.g. CCTT), got " + layout);
        }
        if (depths.length != 5 || dims.length != 5) {
            throw new IllegalArgumentException("depths and dims need 5 entries (S0..S4)");
        }
        int size = imageSize / stemStride;
        for (int s = 1; s <= 4; s++) {
            if (size % 2 != 0) {
                throw new IllegalArgumentException("image size " + imageSize + " cannot be halved at stage S" + s);
            }
            size /= 2;
            if (layout.charAt(s - 1) == 'T' && dims[s] % headDim != 0) {
                throw new IllegalArgumentException("width D" + s + "=" + dims[s] + " is not a multiple of the head width " + headDim);
            }
        }
    }

    @Override
    public String family() {
        return "coatnet";
    }

    @Override
    public Model build() {
        return new CoAtNet(this);
    }

    @Override
    public CoAtNetConfig with(Knobs k) {
        k.requireOnly(family(), java.util.Set.of("layout", "fusion", "drop_path"));
        CoAtNetConfig c = this;
        if (k.layout() != null) {
            if (!LAYOUTS.contains(k.layout())) {
                throw new KnobException("layout", "'" + k.layout() + "' is not one of " + LAYOUTS);
            }
            c = c.withLayout(k.layout());
        }
        if (k.fusion() != null) {
            c = c.withFusion(parseFusion(k.fusion()));
        }
        if (k.dropPath() != null) {
            c = c.withDropPath(k.dropPath());
        }
        return c;
    }

    /** {@code pre}, {@code post} or {@code none}. */
    public static RelAttention.Fusion parseFusion(String s) {
        for (RelAttention.Fusion f : RelAttention.Fusion.values()) {
            if (f.name().equalsIgnoreCase(s)) {
                return f;
            }
        }
        throw new KnobException("fusion", "'" + s + "' is not one of pre, post, none");
    }

    /** Without transformer stages the fusion mode is never used: fixed at {@code PRE}. */
    @Override
    public CoAtNetConfig canonical() {
        return layout.indexOf('T') < 0 ? withFusion(RelAttention.Fusion.PRE) : this;
    }

    public List<Block> blocks() {
        List<Block> b = new ArrayList<>();
        for (char c : layout.toCharArray()) {
            b.add(Block.valueOf(String.valueOf(c)));
        }
        return b;
    }

    public CoAtNetConfig withLayout(String l) {
        return new CoAtNetConfig(l, depths, dims, stemStride, fusion, headDim, expand, seRatio, ffnRatio, inChannels, imageSize, classes, dropPath);
    }

    public CoAtNetConfig withFusion(RelAttention.Fusion f) {
        return new CoAtNetConfig(layout, depths, dims, stemStride, f, headDim, expand, seRatio, ffnRatio, inChannels, imageSize, classes, dropPath);
    }

    @Override
    public CoAtNetConfig withData(int in, int cls) {
        return new CoAtNetConfig(layout, depths, dims, stemStride, fusion, headDim, expand, seRatio, ffnRatio, in, imageSize, cls, dropPath);
    }

    public CoAtNetConfig withDropPath(float p) {
        return new CoAtNetConfig(layout, depths, dims, stemStride, fusion, headDim, expand, seRatio, ffnRatio, inChannels, imageSize, classes, p);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CoAtNetConfig c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "CoAtNetConfig[layout=" + layout + ", depths=" + Arrays.toString(depths) + ", dims=" + Arrays.toString(dims)
                + ", stemStride=" + stemStride + ", fusion=" + fusion + ", headDim=" + headDim + ", expand=" + expand
                + ", seRatio=" + seRatio + ", ffnRatio=" + ffnRatio + ", in=" + inChannels + ", size=" + imageSize
                + ", classes=" + classes + ", dropPath=" + dropPath + "]";
    }
}
