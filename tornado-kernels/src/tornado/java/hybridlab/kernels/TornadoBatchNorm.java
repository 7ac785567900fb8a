package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device twins of {@link BatchNorm}. Training and backward are one task each, which reduces a
 * channel's statistics or gradient sums, then applies the result to the channel's elements, with
 * the fused activation ({@link TornadoActivation} code, {@link TornadoActivation#NONE} for none):
 * on the GPU family one work-group per channel reducing in local memory ({@link TornadoGroups}),
 * on the CPU family one work-item per channel summing in 16 lanes ({@link #trainRows},
 * {@link #backwardRows}). Evaluation is one work-item per element.
 */
public final class TornadoBatchNorm {
    private TornadoBatchNorm() {
    }

    /**
     * {@link BatchNorm.Train}, work-group {@code c} for channel {@code c}: batch mean and 1/std
     * (saved, and folded into the running statistics), then {@code y = act(x scale + shift)},
     * {@code scale = rstd gamma}, {@code shift = beta - mean scale}. args: xOff, gOff, bOff, meanOff, rstdOff,
     * rmOff, rvOff, yOff, batch, channels, hw, act; floats: eps, momentum.
     */
    public static void trainGroups(KernelContext ctx, FloatArray mem, IntArray args, FloatArray floats) {
        int xOff = args.get(0), gOff = args.get(1), bOff = args.get(2), meanOff = args.get(3), rstdOff = args.get(4),
                rmOff = args.get(5), rvOff = args.get(6), yOff = args.get(7), batch = args.get(8), channels = args.get(9),
                hw = args.get(10), act = args.get(11);
        float eps = floats.get(0), momentum = floats.get(1);
        float[] part = ctx.allocateFloatLocalArray(256);
        int c = ctx.groupIdx, lid = ctx.localIdx, g = ctx.localGroupSizeX;
        int n = batch * hw;
        float sum = 0f;
        for (int e = lid; e < n; e += g) {
            int b = e / hw;
            sum += mem.get(xOff + (b * channels + c) * hw + e - b * hw);
        }
        part[lid] = sum;
        for (int s = g / 2; s > 0; s /= 2) {
            ctx.localBarrier();
            if (lid < s) {
                part[lid] += part[lid + s];
            }
        }
        ctx.localBarrier();
        float mu = part[0] / n;
        ctx.localBarrier();
        float sq = 0f;
        for (int e = lid; e < n; e += g) {
            int b = e / hw;
            float d = mem.get(xOff + (b * channels + c) * hw + e - b * hw) - mu;
            sq += d * d;
        }
        part[lid] = sq;
        for (int s = g / 2; s > 0; s /= 2) {
            ctx.localBarrier();
            if (lid < s) {
                part[lid] += part[lid + s];
            }
        }
        ctx.localBarrier();
        float var = part[0] / n;
        float rs = TornadoFastMath.rsqrt(var + eps);
        if (lid == 0) {
            mem.set(meanOff + c, mu);
            mem.set(rstdOff + c, rs);
            mem.set(rmOff + c, (1f - momentum) * mem.get(rmOff + c) + momentum * mu);
            float unbiased = n > 1 ? var * n / (n - 1) : var;
            mem.set(rvOff + c, (1f - momentum) * mem.get(rvOff + c) + momentum * unbiased);
        }
        float scale = rs * mem.get(gOff + c);
        float shift = mem.get(bOff + c) - mu * scale;
        for (int e = lid; e < n; e += g) {
            int b = e / hw;
            int o = (b * channels + c) * hw + e - b * hw;
            mem.set(yOff + o, TornadoActivation.apply(act, mem.get(xOff + o) * scale + shift));
        }
    }

    /**
     * {@link BatchNorm.Train} on a CPU device, work-item {@code c} for channel {@code c}: each
     * image's plane of the channel is summed in 16 lanes ({@link #sum}, {@link #squaredDeviation};
     * a plane stays in cache between its two passes), the planes' means and squared deviations
     * combined over the images in order (Chan et al., as the JVM kernel does), then
     * {@code y = act(x scale + shift)}. args and floats as {@link #trainGroups}.
     */
    public static void trainRows(KernelContext ctx, FloatArray mem, IntArray args, FloatArray floats) {
        int c = ctx.globalIdx, channels = args.get(9);
        if (c < channels) {
            int xOff = args.get(0), yOff = args.get(7), batch = args.get(8), hw = args.get(10), act = args.get(11);
            float eps = floats.get(0), momentum = floats.get(1);
            float mu = 0f, m2 = 0f;
            for (int b = 0; b < batch; b++) {
                int o = xOff + (b * channels + c) * hw;
                float pm = sum(mem, o, hw) / hw;
                float pm2 = squaredDeviation(mem, o, hw, pm);
                float count = (float) b * hw, total = count + hw, delta = pm - mu;
                mu += delta * hw / total;
                m2 += pm2 + delta * delta * count * hw / total;
            }
            int n = batch * hw;
            float var = m2 / n;
            float rs = TornadoFastMath.rsqrt(var + eps);
            mem.set(args.get(3) + c, mu);
            mem.set(args.get(4) + c, rs);
            int rm = args.get(5) + c, rv = args.get(6) + c;
            mem.set(rm, (1f - momentum) * mem.get(rm) + momentum * mu);
            float unbiased = n > 1 ? var * n / (n - 1) : var;
            mem.set(rv, (1f - momentum) * mem.get(rv) + momentum * unbiased);
            float scale = rs * mem.get(args.get(1) + c);
            float shift = mem.get(args.get(2) + c) - mu * scale;
            float[] t = new float[16];
            int whole = hw - hw % 16;
            for (int b = 0; b < batch; b++) {
                int o = (b * channels + c) * hw;
                // blocks of 16: all loads, then the lanes' arithmetic, then all stores, which the
                // compiler vectorizes (a loop that loads and stores one heap is left scalar)
                for (int e = 0; e < whole; e += 16) {
                    for (int l = 0; l < 16; l++) {
                        t[l] = mem.get(xOff + o + e + l) * scale + shift;
                    }
                    TornadoActivation.applyLanes(act, t);
                    for (int l = 0; l < 16; l++) {
                        mem.set(yOff + o + e + l, t[l]);
                    }
                }
                for (int e = whole; e < hw; e++) {
                    mem.set(yOff + o + e, TornadoActivation.apply(act, mem.get(xOff + o + e) * scale + shift));
                }
            }
        }
    }

    /** {@code sum of mem[o .. o + n)}: 16 lanes over whole blocks of 16 (the compiler's SIMD lanes), the rest, then the lanes in order. */
    static float sum(FloatArray mem, int o, int n) {
        float[] lane = new float[16];
        for (int l = 0; l < 16; l++) {
            lane[l] = 0f;
        }
        int whole = n - n % 16;
        for (int e = 0; e < whole; e += 16) {
            for (int l = 0; l < 16; l++) {
                lane[l] += mem.get(o + e + l);
            }
        }
        float s = 0f;
        for (int e = whole; e < n; e++) {
            s += mem.get(o + e);
        }
        for (int l = 0; l < 16; l++) {
            s += lane[l];
        }
        return s;
    }

    /** {@code sum of (mem[o + e] - mean)^2} over {@code e < n}, in lanes as {@link #sum}. */
    static float squaredDeviation(FloatArray mem, int o, int n, float mean) {
        float[] lane = new float[16];
        for (int l = 0; l < 16; l++) {
            lane[l] = 0f;
        }
        int whole = n - n % 16;
        for (int e = 0; e < whole; e += 16) {
            for (int l = 0; l < 16; l++) {
                float d = mem.get(o + e + l) - mean;
                lane[l] += d * d;
            }
        }
        float s = 0f;
        for (int e = whole; e < n; e++) {
            float d = mem.get(o + e) - mean;
            s += d * d;
        }
        for (int l = 0; l < 16; l++) {
            s += lane[l];
        }
        return s;
    }

    /**
     * {@link BatchNorm.Backward} on a CPU device, work-item {@code c} for channel {@code c}: the
     * two gradient sums in 16 lanes per image plane, added over the images in order, then
     * {@code dx (+)= a g + b x + c} as {@link #backwardGroups}. args as {@link #backwardGroups}.
     */
    public static void backwardRows(KernelContext ctx, FloatArray mem, IntArray args) {
        int c = ctx.globalIdx, channels = args.get(10);
        if (c < channels) {
            int xOff = args.get(0), dyOff = args.get(1), dxOff = args.get(6), batch = args.get(9), hw = args.get(11);
            int accumulate = args.get(12), accumulateParams = args.get(13), act = args.get(14);
            float mu = mem.get(args.get(4) + c), rs = mem.get(args.get(5) + c), gam = mem.get(args.get(2) + c);
            float scale = rs * gam;
            float shift = mem.get(args.get(3) + c) - mu * scale;
            float tg = 0f, tgx = 0f;
            float[] t = new float[16];
            float[] lg = new float[16];
            float[] lgx = new float[16];
            int whole = hw - hw % 16;
            for (int b = 0; b < batch; b++) {
                int o = (b * channels + c) * hw;
                for (int l = 0; l < 16; l++) {
                    lg[l] = 0f;
                    lgx[l] = 0f;
                }
                for (int e = 0; e < whole; e += 16) {
                    for (int l = 0; l < 16; l++) {
                        t[l] = mem.get(xOff + o + e + l) * scale + shift;
                    }
                    TornadoActivation.gradLanes(act, t);
                    for (int l = 0; l < 16; l++) {
                        float gr = t[l] * mem.get(dyOff + o + e + l);
                        lg[l] += gr;
                        lgx[l] += (mem.get(xOff + o + e + l) - mu) * gr;
                    }
                }
                float sg = 0f, sgx = 0f;
                for (int e = whole; e < hw; e++) {
                    float xv = mem.get(xOff + o + e);
                    float gr = TornadoActivation.grad(act, xv * scale + shift) * mem.get(dyOff + o + e);
                    sg += gr;
                    sgx += (xv - mu) * gr;
                }
                for (int l = 0; l < 16; l++) {
                    sg += lg[l];
                    sgx += lgx[l];
                }
                tg += sg;
                tgx += sgx;
            }
            tgx *= rs;
            int dg = args.get(7) + c, db = args.get(8) + c;
            mem.set(dg, accumulateParams != 0 ? mem.get(dg) + tgx : tgx);
            mem.set(db, accumulateParams != 0 ? mem.get(db) + tg : tg);
            int n = batch * hw;
            float k = gam * rs / n;
            float ka = k * n, kb = -k * rs * tgx, kc = k * rs * tgx * mu - k * tg;
            for (int b = 0; b < batch; b++) {
                int o = (b * channels + c) * hw;
                for (int e = 0; e < whole; e += 16) {
                    for (int l = 0; l < 16; l++) {
                        t[l] = mem.get(xOff + o + e + l) * scale + shift;
                    }
                    TornadoActivation.gradLanes(act, t);
                    for (int l = 0; l < 16; l++) {
                        t[l] = t[l] * mem.get(dyOff + o + e + l) * ka + (mem.get(xOff + o + e + l) * kb + kc);
                    }
                    TornadoElementwise.storeLanes(mem, dxOff + o + e, t, accumulate);
                }
                for (int e = whole; e < hw; e++) {
                    float xv = mem.get(xOff + o + e);
                    float gr = TornadoActivation.grad(act, xv * scale + shift) * mem.get(dyOff + o + e);
                    float v = gr * ka + (xv * kb + kc);
                    mem.set(dxOff + o + e, accumulate != 0 ? mem.get(dxOff + o + e) + v : v);
                }
            }
        }
    }

    /**
     * {@link BatchNorm.Eval}: {@code y = act(x scale + shift)} from the running statistics.
     * args: xOff, gOff, bOff, rmOff, rvOff, yOff, batch, channels, hw, act; floats: eps.
     */
    public static void eval(FloatArray mem, IntArray args, FloatArray floats) {
        int xOff = args.get(0), gOff = args.get(1), bOff = args.get(2), rmOff = args.get(3), rvOff = args.get(4),
                yOff = args.get(5), batch = args.get(6), channels = args.get(7), hw = args.get(8), act = args.get(9);
        float eps = floats.get(0);
        for (@Parallel int p = 0; p < Math.max(0, hw); p++) {
            for (@Parallel int t = 0; t < batch * channels; t++) {
                int c = t % channels;
                float scale = TornadoFastMath.rsqrt(mem.get(rvOff + c) + eps) * mem.get(gOff + c);
                float shift = mem.get(bOff + c) - mem.get(rmOff + c) * scale;
                int o = t * hw + p;
                mem.set(yOff + o, TornadoActivation.apply(act, mem.get(xOff + o) * scale + shift));
            }
        }
    }

    /**
     * {@link BatchNorm.Backward}, work-group {@code c} for channel {@code c}: with
     * {@code g = act'(z) dy}, {@code dgamma (+)= rstd sum g (x - mean)}, {@code dbeta (+)= sum g},
     * then {@code dx (+)= a g + b x + c}, the constants of
     * {@code dx = gamma rstd / n (n g - sum g - xhat sum(g xhat))}. args: xOff, dyOff, gOff, bOff, meanOff,
     * rstdOff, dxOff, dgOff, dbOff, batch, channels, hw, accumulate, accumulateParams, act.
     */
    public static void backwardGroups(KernelContext ctx, FloatArray mem, IntArray args) {
        int xOff = args.get(0), dyOff = args.get(1), gOff = args.get(2), bOff = args.get(3), meanOff = args.get(4),
                rstdOff = args.get(5), dxOff = args.get(6), dgOff = args.get(7), dbOff = args.get(8), batch = args.get(9),
                channels = args.get(10), hw = args.get(11), accumulate = args.get(12), accumulateParams = args.get(13),
                act = args.get(14);
        float[] ps = ctx.allocateFloatLocalArray(256);
        float[] pd = ctx.allocateFloatLocalArray(256);
        int c = ctx.groupIdx, lid = ctx.localIdx, g = ctx.localGroupSizeX;
        int n = batch * hw;
        float mu = mem.get(meanOff + c), rs = mem.get(rstdOff + c), gam = mem.get(gOff + c);
        float scale = rs * gam;
        float shift = mem.get(bOff + c) - mu * scale;
        float sg = 0f, sgx = 0f;
        for (int e = lid; e < n; e += g) {
            int b = e / hw;
            int o = (b * channels + c) * hw + e - b * hw;
            float xv = mem.get(xOff + o);
            float gr = TornadoActivation.grad(act, xv * scale + shift) * mem.get(dyOff + o);
            sg += gr;
            sgx += (xv - mu) * gr;
        }
        ps[lid] = sg;
        pd[lid] = sgx;
        for (int s = g / 2; s > 0; s /= 2) {
            ctx.localBarrier();
            if (lid < s) {
                ps[lid] += ps[lid + s];
                pd[lid] += pd[lid + s];
            }
        }
        ctx.localBarrier();
        float tg = ps[0], tgx = pd[0] * rs;
        if (lid == 0) {
            mem.set(dgOff + c, accumulateParams != 0 ? mem.get(dgOff + c) + tgx : tgx);
            mem.set(dbOff + c, accumulateParams != 0 ? mem.get(dbOff + c) + tg : tg);
        }
        float k = gam * rs / n;
        float ka = k * n, kb = -k * rs * tgx, kc = k * rs * tgx * mu - k * tg;
        for (int e = lid; e < n; e += g) {
            int b = e / hw;
            int o = (b * channels + c) * hw + e - b * hw;
            float xv = mem.get(xOff + o);
            float gr = TornadoActivation.grad(act, xv * scale + shift) * mem.get(dyOff + o);
            float v = gr * ka + (xv * kb + kc);
            mem.set(dxOff + o, accumulate != 0 ? mem.get(dxOff + o) + v : v);
        }
    }

    // Task bindings: the device tasks each step of BatchNorm adds to a graph (called by the backend's dispatch).

    /** One work-group per channel reducing in local memory (GPU), or one work-item per channel (CPU). */
    public static void bind(DeviceTasks t, BatchNorm.Train s) {
        var args = t.args(t.at(s.x()), t.at(s.gamma()), t.at(s.beta()), t.at(s.mean()), t.at(s.rstd()), t.at(s.runMean()),
                t.at(s.runVar()), t.at(s.y()), s.batch(), s.channels(), s.hw(), TornadoActivation.code(s.act()));
        var floats = t.floats(s.eps(), s.momentum());
        if (t.cpu()) {
            t.graph().task(t.task(Launch.groups(new int[] {s.channels()}, new int[] {1})), TornadoBatchNorm::trainRows, t.ctx(), t.heap(),
                    args, floats);
        } else {
            t.graph().task(t.task(t.reduce(s.channels(), s.batch() * s.hw())), TornadoBatchNorm::trainGroups, t.ctx(), t.heap(), args,
                    floats);
        }
    }

    public static void bind(DeviceTasks t, BatchNorm.Eval s) {
        t.graph().task(t.task(Launch.loops(s.hw(), s.batch() * s.channels())), TornadoBatchNorm::eval, t.heap(),
                t.args(t.at(s.x()), t.at(s.gamma()), t.at(s.beta()), t.at(s.runMean()), t.at(s.runVar()), t.at(s.y()), s.batch(),
                        s.channels(), s.hw(), TornadoActivation.code(s.act())),
                t.floats(s.eps()));
    }

    public static void bind(DeviceTasks t, BatchNorm.Backward s) {
        var args = t.args(t.at(s.x()), t.at(s.dy()), t.at(s.gamma()), t.at(s.beta()), t.at(s.mean()), t.at(s.rstd()), t.at(s.dx()),
                t.at(s.dgamma()), t.at(s.dbeta()), s.batch(), s.channels(), s.hw(), DeviceTasks.flag(s.accumulate()),
                DeviceTasks.flag(s.accumulateParams()), TornadoActivation.code(s.act()));
        if (t.cpu()) {
            t.graph().task(t.task(Launch.groups(new int[] {s.channels()}, new int[] {1})), TornadoBatchNorm::backwardRows, t.ctx(),
                    t.heap(), args);
        } else {
            t.graph().task(t.task(t.reduce(s.channels(), s.batch() * s.hw())), TornadoBatchNorm::backwardGroups, t.ctx(), t.heap(), args);
        }
    }

    /**
     * A kernel's batch-norm epilogue, if any ({@code bn} null: none): the JVM applies it per tile,
     * a device as one in-place pass over the map the kernel wrote.
     */
    static void bindEpilogue(DeviceTasks t, BatchNorm.RowEpilogue bn, Slice map, int batch, int channels, int hw) {
        if (bn != null) {
            t.graph().task(t.task(Launch.loops(hw, batch * channels)), TornadoBatchNorm::eval, t.heap(), t.args(t.at(map), t.at(bn.gamma()),
                    t.at(bn.beta()), t.at(bn.runMean()), t.at(bn.runVar()), t.at(map), batch, channels, hw,
                    TornadoActivation.code(bn.act())), t.floats(bn.eps()));
        }
    }
}
