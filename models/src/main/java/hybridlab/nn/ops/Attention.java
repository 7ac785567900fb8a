package hybridlab.nn.ops;

import hybridlab.kernels.FactorAttention;
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

    /** Plain softmax self-attention over all N tokens of {@code qkv (B, N, 3 * heads * dim)}. */
    public static Tensor softmax(Graph g, Tensor qkv, int heads, int dim) {
        return relative(g, qkv, null, heads, dim, qkv.dim(1), 1, RelAttention.Fusion.NONE);
    }

    /**
     * CoaT's factorized attention {@code scale * Q (softmax_N(K)^T V)} per head; returns
     * {@code (B, N, heads * dim)}.
     */
    public static Tensor factorized(Graph g, Tensor qkv, int heads, int dim, float scale) {
        int B = qkv.dim(0), n = qkv.dim(1);
        if (qkv.dim(2) != 3 * heads * dim) {
            throw new IllegalArgumentException("qkv must be (B, N, " + 3 * heads * dim + ")");
        }
        FactorAttention.Shape s = new FactorAttention.Shape(B, n, heads, dim);
        Tensor y = g.like(new Tensor[] {qkv}, B, n, heads * dim);
        Slice ksoft = g.scratch(B * heads * n * dim), kv = g.scratch(B * heads * dim * dim);
        g.emit(new FactorAttention.Forward(s, scale, qkv.data(), y.data(), ksoft, kv));
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy != null && qkv.requiresGrad()) {
                Graph.GradTarget dq = g.grad(qkv);
                g.emit(new FactorAttention.Backward(s, scale, qkv.data(), ksoft, kv, dy, dq.slice(), dq.accumulate()));
            }
        });
        return y;
    }
}
