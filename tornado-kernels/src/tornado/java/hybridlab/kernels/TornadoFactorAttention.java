package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device twins of {@link FactorAttention}: {@code y = scale Q (softmax_N(K)^T V)} per head, with
 * {@code qkv (B, N, 3, heads, d)}, saved {@code ksoft (B, heads, N, d)} and {@code kv (B, heads, d, d)}.
 * One work-item per output element in each pass; the backward pass keeps {@code dKV}
 * ({@code B heads d d}) and {@code d softmax(K)} ({@code B heads N d}) in a device workspace.
 */
public final class TornadoFactorAttention {
    private TornadoFactorAttention() {
    }

    /** Forward pass 1: softmax over tokens of each key channel. args: qOff, ksOff, batch, tokens, heads, dim. */
    public static void keySoftmax(FloatArray mem, IntArray args) {
        int qOff = args.get(0), ksOff = args.get(1), batch = args.get(2), tokens = args.get(3), heads = args.get(4), dim = args.get(5);
        int inner = heads * dim, row = 3 * inner;
        for (@Parallel int c = 0; c < Math.max(0, dim); c++) {
            for (@Parallel int bh = 0; bh < batch * heads; bh++) {
                int b = bh / heads, hd = bh % heads;
                int k0 = qOff + b * tokens * row + inner + hd * dim + c, s0 = ksOff + bh * tokens * dim + c;
                float max = mem.get(k0);
                for (int i = 1; i < tokens; i++) {
                    max = Math.max(max, mem.get(k0 + i * row));
                }
                float sum = 0f;
                for (int i = 0; i < tokens; i++) {
                    float e = TornadoFastMath.exp(mem.get(k0 + i * row) - max);
                    mem.set(s0 + i * dim, e);
                    sum += e;
                }
                float inv = 1f / sum;
                for (int i = 0; i < tokens; i++) {
                    mem.set(s0 + i * dim, mem.get(s0 + i * dim) * inv);
                }
            }
        }
    }

    /** Forward pass 2: {@code kv[c1, c2] = sum_i ksoft[i, c1] v_i[c2]}. args: qOff, ksOff, kvOff, batch, tokens, heads, dim. */
    public static void keyValue(FloatArray mem, IntArray args) {
        int qOff = args.get(0), ksOff = args.get(1), kvOff = args.get(2), batch = args.get(3), tokens = args.get(4), heads = args.get(5),
                dim = args.get(6);
        int inner = heads * dim, row = 3 * inner;
        for (@Parallel int c2 = 0; c2 < Math.max(0, dim); c2++) {
            for (@Parallel int c1 = 0; c1 < Math.max(0, dim); c1++) {
                for (@Parallel int bh = 0; bh < batch * heads; bh++) {
                    int b = bh / heads, hd = bh % heads;
                    int v0 = qOff + b * tokens * row + 2 * inner + hd * dim + c2, s0 = ksOff + bh * tokens * dim + c1;
                    float s = 0f;
                    for (int i = 0; i < tokens; i++) {
                        s += mem.get(s0 + i * dim) * mem.get(v0 + i * row);
                    }
                    mem.set(kvOff + (bh * dim + c1) * dim + c2, s);
                }
            }
        }
    }

    /**
     * Forward pass 3: {@code y_i[c2] = sum_c1 (scale q_i[c1]) kv[c1, c2]}.
     * args: qOff, kvOff, oOff, batch, tokens, heads, dim; floats: scale.
     */
    public static void output(FloatArray mem, IntArray args, FloatArray floats) {
        int qOff = args.get(0), kvOff = args.get(1), oOff = args.get(2), batch = args.get(3), tokens = args.get(4), heads = args.get(5),
                dim = args.get(6);
        float scale = floats.get(0);
        int inner = heads * dim, row = 3 * inner;
        for (@Parallel int c2 = 0; c2 < Math.max(0, dim); c2++) {
            for (@Parallel int i = 0; i < Math.max(0, tokens); i++) {
                for (@Parallel int bh = 0; bh < batch * heads; bh++) {
                    int b = bh / heads, hd = bh % heads;
                    int q0 = qOff + (b * tokens + i) * row + hd * dim, k0 = kvOff + bh * dim * dim + c2;
                    float s = 0f;
                    for (int c1 = 0; c1 < dim; c1++) {
                        s += mem.get(q0 + c1) * scale * mem.get(k0 + c1 * dim);
                    }
                    mem.set(oOff + (b * tokens + i) * inner + hd * dim + c2, s);
                }
            }
        }
    }

    /**
     * Backward pass 1: {@code dKV[c1, c2] = sum_i (scale q_i[c1]) dy_i[c2]} into the workspace.
     * args: qOff, dOff, wsOff, batch, tokens, heads, dim; floats: scale.
     */
    public static void keyValueGrad(FloatArray mem, IntArray args, FloatArray floats) {
        int qOff = args.get(0), dOff = args.get(1), wsOff = args.get(2), batch = args.get(3), tokens = args.get(4), heads = args.get(5),
                dim = args.get(6);
        float scale = floats.get(0);
        int inner = heads * dim, row = 3 * inner;
        for (@Parallel int c2 = 0; c2 < Math.max(0, dim); c2++) {
            for (@Parallel int c1 = 0; c1 < Math.max(0, dim); c1++) {
                for (@Parallel int bh = 0; bh < batch * heads; bh++) {
                    int b = bh / heads, hd = bh % heads;
                    int q0 = qOff + b * tokens * row + hd * dim + c1, y0 = dOff + b * tokens * inner + hd * dim + c2;
                    float s = 0f;
                    for (int i = 0; i < tokens; i++) {
                        s += mem.get(q0 + i * row) * scale * mem.get(y0 + i * inner);
                    }
                    mem.set(wsOff + (bh * dim + c1) * dim + c2, s);
                }
            }
        }
    }

    /**
     * Backward pass 2: {@code dq_i[c1] (+)= scale sum_c2 dy_i[c2] kv[c1, c2]}.
     * args: dOff, kvOff, gOff, batch, tokens, heads, dim, accumulate; floats: scale.
     */
    public static void queryGrad(FloatArray mem, IntArray args, FloatArray floats) {
        int dOff = args.get(0), kvOff = args.get(1), gOff = args.get(2), batch = args.get(3), tokens = args.get(4), heads = args.get(5),
                dim = args.get(6), accumulate = args.get(7);
        float scale = floats.get(0);
        int inner = heads * dim, row = 3 * inner;
        for (@Parallel int c1 = 0; c1 < Math.max(0, dim); c1++) {
            for (@Parallel int i = 0; i < Math.max(0, tokens); i++) {
                for (@Parallel int bh = 0; bh < batch * heads; bh++) {
                    int b = bh / heads, hd = bh % heads;
                    int y0 = dOff + (b * tokens + i) * inner + hd * dim, k0 = kvOff + (bh * dim + c1) * dim;
                    float s = 0f;
                    for (int c2 = 0; c2 < dim; c2++) {
                        s += mem.get(y0 + c2) * mem.get(k0 + c2);
                    }
                    int o = gOff + (b * tokens + i) * row + hd * dim + c1;
                    mem.set(o, accumulate != 0 ? mem.get(o) + s * scale : s * scale);
                }
            }
        }
    }

    /**
     * Backward pass 3: {@code dv_i[c] (+)= sum_c1 ksoft[i, c1] dKV[c1, c]} and, into the workspace
     * after {@code dKV}, {@code dks[i, c] = sum_c2 dKV[c, c2] v_i[c2]}.
     * args: qOff, ksOff, wsOff, gOff, batch, tokens, heads, dim, accumulate.
     */
    public static void valueGrad(FloatArray mem, IntArray args) {
        int qOff = args.get(0), ksOff = args.get(1), wsOff = args.get(2), gOff = args.get(3), batch = args.get(4), tokens = args.get(5),
                heads = args.get(6), dim = args.get(7), accumulate = args.get(8);
        int inner = heads * dim, row = 3 * inner, dks = wsOff + batch * heads * dim * dim;
        for (@Parallel int c = 0; c < Math.max(0, dim); c++) {
            for (@Parallel int i = 0; i < Math.max(0, tokens); i++) {
                for (@Parallel int bh = 0; bh < batch * heads; bh++) {
                    int b = bh / heads, hd = bh % heads;
                    int s0 = ksOff + (bh * tokens + i) * dim, d0 = wsOff + bh * dim * dim;
                    int v0 = qOff + (b * tokens + i) * row + 2 * inner + hd * dim;
                    float dv = 0f, g = 0f;
                    for (int c1 = 0; c1 < dim; c1++) {
                        dv += mem.get(s0 + c1) * mem.get(d0 + c1 * dim + c);
                        g += mem.get(d0 + c * dim + c1) * mem.get(v0 + c1);
                    }
                    int o = gOff + (b * tokens + i) * row + 2 * inner + hd * dim + c;
                    mem.set(o, accumulate != 0 ? mem.get(o) + dv : dv);
                    mem.set(dks + (bh * tokens + i) * dim + c, g);
                }
            }
        }
    }

    /**
     * Backward pass 4, one work-item per key channel: {@code dk_i[c] (+)= ksoft (dks - sum_i ksoft dks)}.
     * args: ksOff, wsOff, gOff, batch, tokens, heads, dim, accumulate.
     */
    public static void keyGrad(FloatArray mem, IntArray args) {
        int ksOff = args.get(0), wsOff = args.get(1), gOff = args.get(2), batch = args.get(3), tokens = args.get(4), heads = args.get(5),
                dim = args.get(6), accumulate = args.get(7);
        int inner = heads * dim, row = 3 * inner, dks = wsOff + batch * heads * dim * dim;
        for (@Parallel int c = 0; c < Math.max(0, dim); c++) {
            for (@Parallel int bh = 0; bh < batch * heads; bh++) {
                int b = bh / heads, hd = bh % heads;
                int s0 = ksOff + bh * tokens * dim + c, d0 = dks + bh * tokens * dim + c;
                float dot = 0f;
                for (int i = 0; i < tokens; i++) {
                    dot += mem.get(s0 + i * dim) * mem.get(d0 + i * dim);
                }
                for (int i = 0; i < tokens; i++) {
                    float dk = mem.get(s0 + i * dim) * (mem.get(d0 + i * dim) - dot);
                    int o = gOff + (b * tokens + i) * row + inner + hd * dim + c;
                    mem.set(o, accumulate != 0 ? mem.get(o) + dk : dk);
                }
            }
        }
    }

    // Task bindings: the device tasks each step of FactorAttention adds to a graph (called by the backend's dispatch).

    public static void bind(DeviceTasks t, FactorAttention.Forward s) {
        FactorAttention.Shape sh = s.s();
        t.graph().task(t.task(Launch.loops(sh.dim(), sh.batch() * sh.heads())), TornadoFactorAttention::keySoftmax, t.heap(),
                t.args(t.at(s.qkv()), t.at(s.ksoft()), sh.batch(), sh.tokens(), sh.heads(), sh.dim()));
        t.graph().task(t.task(Launch.loops(sh.dim(), sh.dim(), sh.batch() * sh.heads())), TornadoFactorAttention::keyValue, t.heap(),
                t.args(t.at(s.qkv()), t.at(s.ksoft()), t.at(s.kv()), sh.batch(), sh.tokens(), sh.heads(), sh.dim()));
        t.graph().task(t.task(Launch.loops(sh.dim(), sh.tokens(), sh.batch() * sh.heads())), TornadoFactorAttention::output, t.heap(),
                t.args(t.at(s.qkv()), t.at(s.kv()), t.at(s.out()), sh.batch(), sh.tokens(), sh.heads(), sh.dim()), t.floats(s.scale()));
    }

    /** Four passes; the key-value gradient and the key-softmax gradient go through the device workspace ({@link #workspaceFloats}). */
    public static void bind(DeviceTasks t, FactorAttention.Backward s) {
        FactorAttention.Shape sh = s.s();
        int acc = DeviceTasks.flag(s.accumulate());
        t.graph().task(t.task(Launch.loops(sh.dim(), sh.dim(), sh.batch() * sh.heads())), TornadoFactorAttention::keyValueGrad, t.heap(),
                t.args(t.at(s.qkv()), t.at(s.dout()), t.workspace(), sh.batch(), sh.tokens(), sh.heads(), sh.dim()), t.floats(s.scale()));
        t.graph().task(t.task(Launch.loops(sh.dim(), sh.tokens(), sh.batch() * sh.heads())), TornadoFactorAttention::queryGrad, t.heap(),
                t.args(t.at(s.dout()), t.at(s.kv()), t.at(s.dqkv()), sh.batch(), sh.tokens(), sh.heads(), sh.dim(), acc),
                t.floats(s.scale()));
        t.graph().task(t.task(Launch.loops(sh.dim(), sh.tokens(), sh.batch() * sh.heads())), TornadoFactorAttention::valueGrad, t.heap(),
                t.args(t.at(s.qkv()), t.at(s.ksoft()), t.workspace(), t.at(s.dqkv()), sh.batch(), sh.tokens(), sh.heads(), sh.dim(), acc));
        t.graph().task(t.task(Launch.loops(sh.dim(), sh.batch() * sh.heads())), TornadoFactorAttention::keyGrad, t.heap(),
                t.args(t.at(s.ksoft()), t.workspace(), t.at(s.dqkv()), sh.batch(), sh.tokens(), sh.heads(), sh.dim(), acc));
    }

    /** Device workspace of the backward pass: per image and head, a dim x dim map and a tokens x dim map. */
    public static int workspaceFloats(FactorAttention.Backward s) {
        FactorAttention.Shape sh = s.s();
        return sh.batch() * sh.heads() * (sh.dim() * sh.dim() + sh.tokens() * sh.dim());
    }
}
