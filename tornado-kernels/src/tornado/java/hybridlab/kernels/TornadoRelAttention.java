package hybridlab.kernels;

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
 * <p>Where the JVM runs each (image, head) as GEMM blocks on one thread, the device splits a
 * step into passes with one work-item per output element: scores, the row softmax
 * ({@link TornadoSoftmax#forward} in place), values; backward: value gradient, the gradient of
 * the attention matrix (into a device workspace), the softmax backward, query and key gradients.
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
     * Forward pass 1: {@code probs[b, hd, i, j] = q_i.k_j / sqrt(d) (+ table[rel(i, j), hd] for PRE)}.
     * args: qOff, tOff, pOff, batch, heads, dim, h, w, fusion.
     */
    public static void scores(FloatArray mem, IntArray args) {
        int qOff = args.get(0), tOff = args.get(1), pOff = args.get(2), batch = args.get(3), heads = args.get(4), dim = args.get(5),
                h = args.get(6), w = args.get(7), fusion = args.get(8);
        int n = h * w, inner = heads * dim, row = 3 * inner;
        float scale = TornadoFastMath.rsqrt(dim);
        for (@Parallel int j = 0; j < Math.max(0, n); j++) {
            for (@Parallel int i = 0; i < Math.max(0, n); i++) {
                for (@Parallel int bh = 0; bh < batch * heads; bh++) {
                    int b = bh / heads, hd = bh % heads;
                    int q0 = qOff + (b * n + i) * row + hd * dim, k0 = qOff + (b * n + j) * row + inner + hd * dim;
                    float s = 0f;
                    for (int c = 0; c < dim; c++) {
                        s += mem.get(q0 + c) * mem.get(k0 + c);
                    }
                    float sc = s * scale;
                    if (fusion == PRE) {
                        sc += mem.get(tOff + rel(i, j, h, w) * heads + hd);
                    }
                    mem.set(pOff + (bh * n + i) * n + j, sc);
                }
            }
        }
    }

    /**
     * Forward pass 3: {@code out[b, i, hd, c] = sum_j A[i, j] v_j[c]}, {@code A = P (+ table for POST)}.
     * args: qOff, tOff, pOff, oOff, batch, heads, dim, h, w, fusion.
     */
    public static void values(FloatArray mem, IntArray args) {
        int qOff = args.get(0), tOff = args.get(1), pOff = args.get(2), oOff = args.get(3), batch = args.get(4), heads = args.get(5),
                dim = args.get(6), h = args.get(7), w = args.get(8), fusion = args.get(9);
        int n = h * w, inner = heads * dim, row = 3 * inner;
        for (@Parallel int c = 0; c < Math.max(0, dim); c++) {
            for (@Parallel int i = 0; i < Math.max(0, n); i++) {
                for (@Parallel int bh = 0; bh < batch * heads; bh++) {
                    int b = bh / heads, hd = bh % heads;
                    int p0 = pOff + (bh * n + i) * n, v0 = qOff + b * n * row + 2 * inner + hd * dim + c;
                    float s = 0f;
                    for (int j = 0; j < n; j++) {
                        float a = mem.get(p0 + j);
                        if (fusion == POST) {
                            a += mem.get(tOff + rel(i, j, h, w) * heads + hd);
                        }
                        s += a * mem.get(v0 + j * row);
                    }
                    mem.set(oOff + (b * n + i) * inner + hd * dim + c, s);
                }
            }
        }
    }

    /**
     * Backward pass 1: {@code dv_j[c] (+)= sum_i A[i, j] dy_i[c]}.
     * args: tOff, pOff, dOff, gOff, batch, heads, dim, h, w, fusion, accumulate.
     */
    public static void valueGrad(FloatArray mem, IntArray args) {
        int tOff = args.get(0), pOff = args.get(1), dOff = args.get(2), gOff = args.get(3), batch = args.get(4), heads = args.get(5),
                dim = args.get(6), h = args.get(7), w = args.get(8), fusion = args.get(9), accumulate = args.get(10);
        int n = h * w, inner = heads * dim, row = 3 * inner;
        for (@Parallel int c = 0; c < Math.max(0, dim); c++) {
            for (@Parallel int j = 0; j < Math.max(0, n); j++) {
                for (@Parallel int bh = 0; bh < batch * heads; bh++) {
                    int b = bh / heads, hd = bh % heads;
                    float s = 0f;
                    for (int i = 0; i < n; i++) {
                        float a = mem.get(pOff + (bh * n + i) * n + j);
                        if (fusion == POST) {
                            a += mem.get(tOff + rel(i, j, h, w) * heads + hd);
                        }
                        s += a * mem.get(dOff + (b * n + i) * inner + hd * dim + c);
                    }
                    int o = gOff + (b * n + j) * row + 2 * inner + hd * dim + c;
                    mem.set(o, accumulate != 0 ? mem.get(o) + s : s);
                }
            }
        }
    }

    /** Backward pass 2: {@code dA[b, hd, i, j] = dy_i . v_j} into the workspace. args: qOff, dOff, wsOff, batch, heads, dim, h, w. */
    public static void attentionGrad(FloatArray mem, IntArray args) {
        int qOff = args.get(0), dOff = args.get(1), wsOff = args.get(2), batch = args.get(3), heads = args.get(4), dim = args.get(5),
                h = args.get(6), w = args.get(7);
        int n = h * w, inner = heads * dim, row = 3 * inner;
        for (@Parallel int j = 0; j < Math.max(0, n); j++) {
            for (@Parallel int i = 0; i < Math.max(0, n); i++) {
                for (@Parallel int bh = 0; bh < batch * heads; bh++) {
                    int b = bh / heads, hd = bh % heads;
                    int y0 = dOff + (b * n + i) * inner + hd * dim, v0 = qOff + (b * n + j) * row + 2 * inner + hd * dim;
                    float s = 0f;
                    for (int c = 0; c < dim; c++) {
                        s += mem.get(y0 + c) * mem.get(v0 + c);
                    }
                    mem.set(wsOff + (bh * n + i) * n + j, s);
                }
            }
        }
    }

    /**
     * Backward pass 3, one work-item per row of the attention matrix: {@code dS = P (dA - rowsum(dA P))}
     * in place in the workspace; the bias gradient source is {@code dA} (POST) or {@code dS} (PRE);
     * {@code srcOff < 0}: none (NONE). args: pOff, wsOff, srcOff, rows, n, fusion.
     */
    public static void softmaxGrad(FloatArray mem, IntArray args) {
        int pOff = args.get(0), wsOff = args.get(1), srcOff = args.get(2), rows = args.get(3), n = args.get(4), fusion = args.get(5);
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
                mem.set(a0 + j, ds);
                if (fusion == PRE) {
                    mem.set(srcOff + r * n + j, ds);
                }
            }
        }
    }

    /**
     * Backward pass 4: {@code dq_t (+)= scale sum_j dS[t, j] k_j}, {@code dk_t (+)= scale sum_i dS[i, t] q_i}.
     * args: qOff, wsOff, gOff, batch, heads, dim, h, w, accumulate.
     */
    public static void queryKeyGrad(FloatArray mem, IntArray args) {
        int qOff = args.get(0), wsOff = args.get(1), gOff = args.get(2), batch = args.get(3), heads = args.get(4), dim = args.get(5),
                h = args.get(6), w = args.get(7), accumulate = args.get(8);
        int n = h * w, inner = heads * dim, row = 3 * inner;
        float scale = TornadoFastMath.rsqrt(dim);
        for (@Parallel int c = 0; c < Math.max(0, dim); c++) {
            for (@Parallel int t = 0; t < Math.max(0, n); t++) {
                for (@Parallel int bh = 0; bh < batch * heads; bh++) {
                    int b = bh / heads, hd = bh % heads;
                    int base = qOff + b * n * row + hd * dim + c, s0 = wsOff + bh * n * n;
                    float dq = 0f, dk = 0f;
                    for (int u = 0; u < n; u++) {
                        dq += mem.get(s0 + t * n + u) * mem.get(base + u * row + inner);
                        dk += mem.get(s0 + u * n + t) * mem.get(base + u * row);
                    }
                    int o = gOff + (b * n + t) * row + hd * dim + c;
                    mem.set(o, accumulate != 0 ? mem.get(o) + scale * dq : scale * dq);
                    mem.set(o + inner, accumulate != 0 ? mem.get(o + inner) + scale * dk : scale * dk);
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

    public static void bind(DeviceTasks t, RelAttention.Forward s) {
        RelAttention.Shape sh = s.s();
        int fusion = s.fusion().ordinal(), n = sh.tokens();
        Slice table = s.fusion() == RelAttention.Fusion.NONE ? null : s.table();
        t.graph().task(t.task(Launch.loops(n, n, sh.batch() * sh.heads())), TornadoRelAttention::scores, t.heap(),
                t.args(t.at(s.qkv()), t.off(table), t.at(s.probs()), sh.batch(), sh.heads(), sh.dim(), sh.h(), sh.w(), fusion));
        TornadoSoftmax.bindForward(t, t.at(s.probs()), t.at(s.probs()), sh.batch() * sh.heads() * n, n, 1);
        t.graph().task(t.task(Launch.loops(sh.dim(), n, sh.batch() * sh.heads())), TornadoRelAttention::values, t.heap(),
                t.args(t.at(s.qkv()), t.off(table), t.at(s.probs()), t.at(s.out()), sh.batch(), sh.heads(), sh.dim(), sh.h(), sh.w(),
                        fusion));
    }

    /** Four passes; the gradient of the scores goes through the device workspace ({@link #workspaceFloats}). */
    public static void bind(DeviceTasks t, RelAttention.Backward s) {
        RelAttention.Shape sh = s.s();
        int fusion = s.fusion().ordinal(), n = sh.tokens(), acc = DeviceTasks.flag(s.accumulate());
        Slice table = s.fusion() == RelAttention.Fusion.NONE ? null : s.table();
        Slice src = s.fusion() == RelAttention.Fusion.NONE ? null : s.biasSrc();
        t.graph().task(t.task(Launch.loops(sh.dim(), n, sh.batch() * sh.heads())), TornadoRelAttention::valueGrad, t.heap(),
                t.args(t.off(table), t.at(s.probs()), t.at(s.dout()), t.at(s.dqkv()), sh.batch(), sh.heads(), sh.dim(), sh.h(), sh.w(),
                        fusion, acc));
        t.graph().task(t.task(Launch.loops(n, n, sh.batch() * sh.heads())), TornadoRelAttention::attentionGrad, t.heap(),
                t.args(t.at(s.qkv()), t.at(s.dout()), t.workspace(), sh.batch(), sh.heads(), sh.dim(), sh.h(), sh.w()));
        t.graph().task(t.task(Launch.loops(sh.batch() * sh.heads() * n)), TornadoRelAttention::softmaxGrad, t.heap(),
                t.args(t.at(s.probs()), t.workspace(), t.off(src), sh.batch() * sh.heads() * n, n, fusion));
        t.graph().task(t.task(Launch.loops(sh.dim(), n, sh.batch() * sh.heads())), TornadoRelAttention::queryKeyGrad, t.heap(),
                t.args(t.at(s.qkv()), t.workspace(), t.at(s.dqkv()), sh.batch(), sh.heads(), sh.dim(), sh.h(), sh.w(), acc));
    }

    public static void bind(DeviceTasks t, RelAttention.BiasGrad s) {
        RelAttention.Shape sh = s.s();
        t.graph().task(t.task(Launch.loops((2 * sh.h() - 1) * (2 * sh.w() - 1) * sh.heads())), TornadoRelAttention::biasGrad, t.heap(),
                t.args(t.at(s.biasSrc()), t.at(s.dtable()), sh.batch(), sh.heads(), sh.h(), sh.w(), DeviceTasks.flag(s.accumulate())));
    }

    /** Device workspace of the backward pass: the scores' gradient, one tokens x tokens map per image and head. */
    public static int workspaceFloats(RelAttention.Backward s) {
        return s.s().batch() * s.s().heads() * s.s().tokens() * s.s().tokens();
    }
}
