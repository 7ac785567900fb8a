package hybridlab.models.coatnet;

import hybridlab.kernels.RelAttention;
import hybridlab.nn.Graph;
import hybridlab.nn.Init;
import hybridlab.nn.Module;
import hybridlab.nn.Param;
import hybridlab.nn.Tensor;
import hybridlab.nn.layers.Linear;
import hybridlab.nn.ops.Attention;
import hybridlab.nn.ops.Pointwise;

/**
 * Multi-head attention with a learned relative-position bias table {@code ((2h-1)(2w-1), heads)},
 * initialised to zero, added before the softmax ({@code pre}), after it ({@code post}) or not at
 * all ({@code none}). qkv without bias, output projection with bias.
 *
 * <p>The bias used is {@code tableScale * table}. With Adam a parameter moves about the learning
 * rate per step whatever its gradient's size, so a zero-initialised table stored at {@code 1 /
 * tableScale} of the bias learns {@code tableScale} times faster: the same model, a per-parameter
 * learning-rate multiplier. 1 is the paper's table.
 */
public final class RelativeAttention extends Module {
    private final Linear qkv, out;
    private final Param table;
    private final int heads, headDim, h, w;
    private final RelAttention.Fusion fusion;
    private final float tableScale;

    public RelativeAttention(int in, int width, int headDim, int h, int w, RelAttention.Fusion fusion) {
        this(in, width, headDim, h, w, fusion, Init.LINEAR, 1f);
    }

    public RelativeAttention(int in, int width, int headDim, int h, int w, RelAttention.Fusion fusion, Init linearInit,
                             float tableScale) {
        if (!(tableScale > 0)) {
            throw new IllegalArgumentException("relative bias table scale must be positive, got " + tableScale);
        }
        this.tableScale = tableScale;
        this.heads = width / headDim;
        this.headDim = headDim;
        this.h = h;
        this.w = w;
        this.fusion = fusion;
        int inner = heads * headDim;
        qkv = child("qkv", new Linear(in, 3 * inner, false, linearInit));
        out = child("out", new Linear(inner, width, true, linearInit));
        table = fusion == RelAttention.Fusion.NONE ? null
                : param("table", Init.ZEROS, false, (2 * h - 1) * (2 * w - 1), heads);
    }

    /** Tokens {@code (B, h*w, in) -> (B, h*w, width)}. */
    public Tensor forward(Graph g, Tensor x) {
        Tensor t = table == null ? null : g.param(table);
        if (t != null && tableScale != 1f) {
            t = Pointwise.scale(g, t, tableScale);
        }
        Tensor y = Attention.relative(g, qkv.forward(g, x), t, heads, headDim, h, w, fusion);
        return out.forward(g, y);
    }
}
