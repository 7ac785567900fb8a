package hybridlab.nn.ops;

import hybridlab.kernels.RelAttention;
import hybridlab.kernels.Slice;
import hybridlab.nn.Graph;
import hybridlab.nn.Tensor;

/** Fused attention kernels on a packed {@code (B, N, 3, heads, d)} qkv tensor. */
public final class Attention {
    private Attention() {
    }

    /**
     * Relative-position self-attention over an {@code h x w} map of tokens (CoAtNet); the bias
     * table is {@code ((2h-1)(2w-1), heads)} and ignored (may be null) when fusion is NONE.
     * Returns {@code (B, N, heads * d)}.
     */
    public static Tensor relative(Graph g, Tensor qkv, Tensor table, int heads, int dim, int h, int w,
                                  RelAttention.Fusion fusion) {
        int B = qkv.dim(0), n = h * w;
        RelAttention.Shape s = new RelAttention.Shape(B, heads, dim, h, w);
        if (qkv.dim(1) != n || qkv.dim(2) != 3 * heads * dim) {
            throw new IllegalArgumentException("qkv must be (B, " + n + ", " + 3 * heads * dim + ")");
        }
        Tensor bias = fusion == RelAttention.Fusion.NONE ? null : table;
        Tensor y = g.like(new Tensor[] {qkv, bias}, B, n, heads * dim);
        Slice probs = g.scratch(B * heads * n * n);
        g.emit(new RelAttention.Forward(s, fusion, qkv.data(), bias == null ? null : bias.data(), y.data(), probs));
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy == null || !qkv.requiresGrad()) {
                return;
            }
            Slice src = bias == null ? null : g.scratch(B * heads * n * n);
            Graph.GradTarget dqkv = g.grad(qkv);
            g.emit(new RelAttention.Backward(s, fusion, qkv.data(), bias == null ? null : bias.data(), probs, dy,
                    dqkv.slice(), src, dqkv.accumulate()));
            if (bias != null && bias.requiresGrad()) {
                Graph.GradTarget dt = g.grad(bias);
                g.emit(new RelAttention.BiasGrad(s, src, dt.slice(), dt.accumulate()));
            }
        });
        return y;
    }
}
