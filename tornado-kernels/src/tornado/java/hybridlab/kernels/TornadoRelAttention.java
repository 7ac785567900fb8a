package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceLimits;
import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device twins of {@link RelAttention}: multi-head self-attention over the tokens of an
 * {@code h x w} map with a relative position bias table, {@code qkv} laid out as
 * {@code (B, N, 3, heads, d)}, output {@code (B, N, heads d)}, probabilities
 * {@code (B, heads, N, N)}. {@code fusion} is {@link RelAttention.Fusion#ordinal()}.
 *
 * <p>Where the JVM runs each (image, head) as GEMM blocks on one thread, the device runs each
 * product for every image and head at once on the device GEMM ({@link TornadoGemm}: heads are
 * its groups), with small passes between them: the scores' scale and bias, the row softmax
 * ({@link TornadoSoftmax}), POST's bias added to the weights; backward, the softmax gradient per
 * row of the attention matrix, in the device workspace.
 */
public final class TornadoRelAttention {
    private TornadoRelAttention() {
    }

    static final int PRE = 0, POST = 1;

    /** Index of the bias table row for tokens i, j of an {@code h x w} map. */
    static int rel(int i, int j, int h, int w) {
        return ((i / w) - (j / w) + h - 1) * (2 * w - 1) + ((i % w) - (j % w) + w - 1);
    }

    /**
     * The scores' epilogue, after the GEMM wrote {@code q_i.k_j} into {@code probs}: scaled by
     * {@code 1 / sqrt(d)}, plus {@code table[rel(i, j), hd]} for PRE. args: tOff, pOff, batch,
     * heads, dim, h, w, fusion.
     */
    public static void scaleScores(FloatArray mem, IntArray args) {
        int tOff = args.get(0), pOff = args.get(1), batch = args.get(2), heads = args.get(3), dim = args.get(4), h = args.get(5),
                w = args.get(6), fusion = args.get(7);
        int n = h * w;
        float scale = TornadoFastMath.rsqrt(dim);
        for (@Parallel int j = 0; j < Math.max(0, n); j++) {
            for (@Parallel int i = 0; i < Math.max(0, n); i++) {
                for (@Parallel int bh = 0; bh < batch * heads; bh++) {
                    int o = pOff + (bh * n + i) * n + j;
                    float sc = mem.get(o) * scale;
                    if (fusion == PRE) {
                        sc += mem.get(tOff + rel(i, j, h, w) * heads + bh % heads);
                    }
                    mem.set(o, sc);
                }
            }
        }
    }

    /** POST's attention matrix {@code A = P + table[rel(i, j), hd]}, into {@code dst}. args: tOff, pOff, dst, batch, heads, h, w. */
    public static void addBias(FloatArray mem, IntArray args) {
        int tOff = args.get(0), pOff = args.get(1), dst = args.get(2), batch = args.get(3), heads = args.get(4), h = args.get(5),
                w = args.get(6);
        int n = h * w;
        for (@Parallel int j = 0; j < Math.max(0, n); j++) {
            for (@Parallel int i = 0; i < Math.max(0, n); i++) {
                for (@Parallel int bh = 0; bh < batch * heads; bh++) {
                    int e = (bh * n + i) * n + j;
                    mem.set(dst + e, mem.get(pOff + e) + mem.get(tOff + rel(i, j, h, w) * heads + bh % heads));
                }
            }
        }
    }

    /**
     * One work-item per row of the attention matrix: {@code dS = P (dA - rowsum(dA P))} in place
     * in the workspace, scaled by {@code 1 / sqrt(d)} for the query and key products; the bias
     * gradient source is {@code dA} (POST) or the unscaled {@code dS} (PRE); {@code srcOff < 0}:
     * none (NONE). args: pOff, wsOff, srcOff, rows, n, fusion, dim.
     */
    public static void softmaxGrad(FloatArray mem, IntArray args) {
        int pOff = args.get(0), wsOff = args.get(1), srcOff = args.get(2), rows = args.get(3), n = args.get(4), fusion = args.get(5);
        float scale = TornadoFastMath.rsqrt(args.get(6));
        for (@Parallel int r = 0; r < Math.max(0, rows); r++) {
            int p0 = pOff + r * n, a0 = wsOff + r * n;
            float dot = 0f;
            for (int j = 0; j < n; j++) {
                float da = mem.get(a0 + j);
                if (fusion == POST) {
                    mem.set(srcOff + r * n + j, da);
                }
                dot += da * mem.get(p0 + j);
            }
            for (int j = 0; j < n; j++) {
                float ds = mem.get(p0 + j) * (mem.get(a0 + j) - dot);
                mem.set(a0 + j, ds * scale);
                if (fusion == PRE) {
                    mem.set(srcOff + r * n + j, ds);
                }
            }
        }
    }

    /**
     * {@link RelAttention.BiasGrad}: {@code dtable[r, hd] (+)= sum over images, then tokens i (j = i - offset r), of biasSrc}.
     * args: srcOff, tOff, batch, heads, h, w, accumulate.
     */
    public static void biasGrad(FloatArray mem, IntArray args) {
        int srcOff = args.get(0), tOff = args.get(1), batch = args.get(2), heads = args.get(3), h = args.get(4), w = args.get(5),
                accumulate = args.get(6);
        int n = h * w, cols = 2 * w - 1;
        for (@Parallel int e = 0; e < (2 * h - 1) * cols * heads; e++) {
            int hd = e % heads, r = e / heads;
            int dy = r / cols - (h - 1), dx = r % cols - (w - 1);
            float v = accumulate != 0 ? mem.get(tOff + e) : 0f;
            for (int b = 0; b < batch; b++) {
                int base = srcOff + (b * heads + hd) * n * n;
                for (int i = 0; i < n; i++) {
                    int yj = i / w - dy, xj = i % w - dx;
                    if (yj >= 0 && yj < h && xj >= 0 && xj < w) {
                        v += mem.get(base + i * n + yj * w + xj);
                    }
                }
            }
            mem.set(tOff + e, v);
        }
    }

    // Task bindings: the device tasks each step of RelAttention adds to a graph (called by the backend's dispatch).

    /**
     * Scores {@code Q K^T} on the device GEMM (K^T packed into the workspace first where the
     * blocked GEMM needs unit-stride rows), their scale and PRE bias, the row softmax, then
     * {@code A V} on the GEMM ({@code A = P}, or for POST {@code P + bias} written into the
     * workspace).
     */
    public static void bind(DeviceTasks t, RelAttention.Forward s) {
        RelAttention.Shape sh = s.s();
        int fusion = s.fusion().ordinal(), n = sh.tokens(), d = sh.dim(), heads = sh.heads(), inner = sh.inner(), row = 3 * inner;
        int qkv = t.at(s.qkv()), probs = t.at(s.probs()), ws = t.workspace();
        Slice table = s.fusion() == RelAttention.Fusion.NONE ? null : s.table();
        TornadoGemm.Call scores = new TornadoGemm.Call().a(qkv, row, 1, n * row, d).c(probs, n, 1, heads * n * n, n * n)
                .shape(sh.batch(), heads, n, n, d);
        TornadoGemm.run(t, transposedB(t, scores, qkv + inner, sh, ws));
        t.graph().task(t.task(Launch.loops(n, n, sh.batch() * heads)), TornadoRelAttention::scaleScores, t.heap(),
                t.args(t.off(table), probs, sh.batch(), heads, d, sh.h(), sh.w(), fusion));
        TornadoSoftmax.bindForward(t, probs, probs, sh.batch() * heads * n, n, 1);
        int weights = probs;
        if (s.fusion() == RelAttention.Fusion.POST) {
            weights = ws;
            t.graph().task(t.task(Launch.loops(n, n, sh.batch() * heads)), TornadoRelAttention::addBias, t.heap(),
                    t.args(t.at(table), probs, weights, sh.batch(), heads, sh.h(), sh.w()));
        }
        TornadoGemm.run(t, new TornadoGemm.Call().a(weights, n, 1, heads * n * n, n * n).b(qkv + 2 * inner, row, 1, n * row, d)
                .c(t.at(s.out()), inner, 1, n * inner, d).shape(sh.batch(), heads, n, d, n));
    }

    /**
     * {@code call}'s B as the transpose of the {@code n x d} token rows at {@code rows} (K or V
     * of each head): read in place by the tiled GEMM; for the blocked GEMM, which reads B's rows
     * as contiguous runs, first packed as {@code inner x n} per image at {@code ws}.
     */
    static TornadoGemm.Call transposedB(DeviceTasks t, TornadoGemm.Call call, int rows, RelAttention.Shape sh, int ws) {
        int n = sh.tokens(), d = sh.dim(), inner = sh.inner(), row = 3 * inner;
        if (!TornadoGemm.blocked(t.limits())) {
            return call.b(rows, 1, row, n * row, d);
        }
        TornadoGemm.pack(t, rows, 1, row, n * row, ws, inner, n, sh.batch());
        return call.b(ws, n, 1, inner * n, d * n);
    }

    /**
     * Every product on the device GEMM: {@code dV (+)= A^T dY}, {@code dA = dY V^T} into the
     * workspace, the softmax backward in place there (scaled), then {@code dQ (+)= dS K} and
     * {@code dK (+)= dS^T Q}. The workspace holds {@code dA} and, after it, POST's {@code A},
     * then (once {@code dV} is done) the packed {@code V^T} in the same place ({@link #workspaceFloats}).
     */
    public static void bind(DeviceTasks t, RelAttention.Backward s) {
        RelAttention.Shape sh = s.s();
        int fusion = s.fusion().ordinal(), n = sh.tokens(), d = sh.dim(), heads = sh.heads(), inner = sh.inner(), row = 3 * inner;
        int qkv = t.at(s.qkv()), probs = t.at(s.probs()), dout = t.at(s.dout()), dqkv = t.at(s.dqkv());
        int scores = t.workspace(), after = scores + sh.batch() * heads * n * n;
        Slice src = s.fusion() == RelAttention.Fusion.NONE ? null : s.biasSrc();
        int weights = probs;
        if (s.fusion() == RelAttention.Fusion.POST) {
            weights = after;
            t.graph().task(t.task(Launch.loops(n, n, sh.batch() * heads)), TornadoRelAttention::addBias, t.heap(),
                    t.args(t.at(s.table()), probs, weights, sh.batch(), heads, sh.h(), sh.w()));
        }
        TornadoGemm.run(t, new TornadoGemm.Call().a(weights, 1, n, heads * n * n, n * n).b(dout, inner, 1, n * inner, d)
                .c(dqkv + 2 * inner, row, 1, n * row, d).shape(sh.batch(), heads, n, d, n).accumulate(s.accumulate()));
        TornadoGemm.Call grad = new TornadoGemm.Call().a(dout, inner, 1, n * inner, d).c(scores, n, 1, heads * n * n, n * n)
                .shape(sh.batch(), heads, n, n, d);
        TornadoGemm.run(t, transposedB(t, grad, qkv + 2 * inner, sh, after));
        t.graph().task(t.task(Launch.loops(sh.batch() * heads * n)), TornadoRelAttention::softmaxGrad, t.heap(),
                t.args(probs, scores, t.off(src), sh.batch() * heads * n, n, fusion, d));
        TornadoGemm.run(t, new TornadoGemm.Call().a(scores, n, 1, heads * n * n, n * n).b(qkv + inner, row, 1, n * row, d)
                .c(dqkv, row, 1, n * row, d).shape(sh.batch(), heads, n, d, n).accumulate(s.accumulate()));
        TornadoGemm.run(t, new TornadoGemm.Call().a(scores, 1, n, heads * n * n, n * n).b(qkv, row, 1, n * row, d)
                .c(dqkv + inner, row, 1, n * row, d).shape(sh.batch(), heads, n, d, n).accumulate(s.accumulate()));
    }

    public static void bind(DeviceTasks t, RelAttention.BiasGrad s) {
        RelAttention.Shape sh = s.s();
        t.graph().task(t.task(Launch.loops((2 * sh.h() - 1) * (2 * sh.w() - 1) * sh.heads())), TornadoRelAttention::biasGrad, t.heap(),
                t.args(t.at(s.biasSrc()), t.at(s.dtable()), sh.batch(), sh.heads(), sh.h(), sh.w(), DeviceTasks.flag(s.accumulate())));
    }

    /** Device workspace of the forward pass: the packed K^T (blocked GEMM), or POST's attention matrix. */
    public static int workspaceFloats(RelAttention.Forward s, DeviceLimits d) {
        return Math.max(packedFloats(s.s(), d), s.fusion() == RelAttention.Fusion.POST ? matrices(s.s()) : 0);
    }

    /** Device workspace of the backward pass: the scores' gradient, then POST's attention matrix or the packed V^T. */
    public static int workspaceFloats(RelAttention.Backward s, DeviceLimits d) {
        return matrices(s.s()) + Math.max(packedFloats(s.s(), d), s.fusion() == RelAttention.Fusion.POST ? matrices(s.s()) : 0);
    }

    /** One tokens x tokens map per image and head. */
    private static int matrices(RelAttention.Shape s) {
        return s.batch() * s.heads() * s.tokens() * s.tokens();
    }

    /** K^T or V^T of every head, packed per image for the blocked GEMM. */
    private static int packedFloats(RelAttention.Shape s, DeviceLimits d) {
        return TornadoGemm.blocked(d) ? s.batch() * s.inner() * s.tokens() : 0;
    }
}
