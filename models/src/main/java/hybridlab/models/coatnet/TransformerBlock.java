package hybridlab.models.coatnet;

import hybridlab.nn.Graph;
import hybridlab.nn.Init;
import hybridlab.nn.Module;
import hybridlab.nn.Tensor;
import hybridlab.nn.layers.Conv2d;
import hybridlab.nn.layers.LayerNorm;
import hybridlab.nn.layers.Linear;
import hybridlab.nn.ops.Pointwise;
import hybridlab.nn.ops.Pooling;
import hybridlab.nn.ops.Shapes;

/**
 * CoAtNet's T block on a flattened map: {@code y = s + Attn(LN(p)); y = y + FFN(LN(y))} with
 * {@code p = maxpool(x), s = proj(p)} when downsampling (the reference code's order; the paper's
 * {@code Attn(pool(LN(x)))} differs), else {@code p = s = x}. Takes a map {@code (B, C, H, W)}
 * or tokens {@code (B, N, C)} and returns tokens at its own resolution.
 */
public final class TransformerBlock extends Module {
    private final boolean down;
    private final int h, w;
    private final Conv2d proj;
    private final LayerNorm ln1, ln2;
    private final RelativeAttention attn;
    private final Ffn ffn;
    private final float dropPath;

    /** {@code h x w} is the block's output resolution. */
    public TransformerBlock(int in, int out, int h, int w, boolean down, Spec spec, float dropPath) {
        if (!down && in != out) {
            throw new IllegalArgumentException("a non-downsampling transformer block keeps its width");
        }
        this.down = down;
        this.h = h;
        this.w = w;
        this.dropPath = dropPath;
        proj = down ? child("proj", new Conv2d(in, out, 1, 1, 0, 1, 1, false)) : null;
        ln1 = child("ln1", new LayerNorm(in));
        attn = child("attn", new RelativeAttention(in, out, spec.headDim(), h, w, spec.fusion(), spec.linearInit(),
                spec.tableScale()));
        ln2 = child("ln2", new LayerNorm(out));
        ffn = child("ffn", new Ffn(out, out * spec.ffnRatio(), spec.linearInit()));
    }

    /**
     * What a transformer block needs from its model's config: head width, FFN ratio, bias fusion,
     * the linear layers' initialiser and the bias table's scale (see {@link RelativeAttention}).
     */
    public record Spec(int headDim, int ffnRatio, hybridlab.kernels.RelAttention.Fusion fusion, Init linearInit,
                       float tableScale) {
        /** CoAtNet's block: linears at the seeds' std 0.02, the table as the paper has it. */
        public Spec(int headDim, int ffnRatio, hybridlab.kernels.RelAttention.Fusion fusion) {
            this(headDim, ffnRatio, fusion, Init.LINEAR, 1f);
        }
    }

    /** {@code Linear GELU Linear}, named {@code ffn.0} and {@code ffn.2}. */
    static final class Ffn extends Module {
        private final Linear fc1, fc2;

        Ffn(int width, int hidden, Init init) {
            fc1 = child("0", new Linear(width, hidden, true, init));
            fc2 = child("2", new Linear(hidden, width, true, init));
        }

        Tensor forward(Graph g, Tensor x) {
            return fc2.forward(g, Pointwise.gelu(g, fc1.forward(g, x)));
        }
    }

    public Tensor forward(Graph g, Tensor x) {
        Tensor tokens, shortcut;
        if (down) {
            Tensor map = x.rank() == 4 ? x : Shapes.toMap(g, x, 2 * h, 2 * w);
            Tensor p = Pooling.maxPool(g, map, 3, 2, 1);
            tokens = Shapes.toTokens(g, p);
            shortcut = Shapes.toTokens(g, proj.forward(g, p));
        } else {
            tokens = x.rank() == 4 ? Shapes.toTokens(g, x) : x;
            shortcut = tokens;
        }
        Tensor y = Pointwise.add(g, shortcut, Pointwise.dropPath(g, attn.forward(g, ln1.forward(g, tokens)), dropPath));
        return Pointwise.add(g, y, Pointwise.dropPath(g, ffn.forward(g, ln2.forward(g, y)), dropPath));
    }
}
