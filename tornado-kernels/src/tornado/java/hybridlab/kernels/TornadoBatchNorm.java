package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device twins of {@link BatchNorm}. Training and backward are one task each: one work-group per
 * channel ({@link TornadoGroups}) reduces the channel's statistics or gradient sums in local
 * memory, then applies the result to the channel's elements, with the fused activation
 * ({@link TornadoActivation} code, {@link TornadoActivation#NONE} for none). Evaluation is one
 * work-item per element.
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

    public static void bind(DeviceTasks t, BatchNorm.Train s) {
        t.graph().task(t.task(t.reduce(s.channels(), s.batch() * s.hw())), TornadoBatchNorm::trainGroups, t.ctx(), t.heap(),
                t.args(t.at(s.x()), t.at(s.gamma()), t.at(s.beta()), t.at(s.mean()), t.at(s.rstd()), t.at(s.runMean()), t.at(s.runVar()),
                        t.at(s.y()), s.batch(), s.channels(), s.hw(), TornadoActivation.code(s.act())),
                t.floats(s.eps(), s.momentum()));
    }

    public static void bind(DeviceTasks t, BatchNorm.Eval s) {
        t.graph().task(t.task(Launch.loops(s.hw(), s.batch() * s.channels())), TornadoBatchNorm::eval, t.heap(),
                t.args(t.at(s.x()), t.at(s.gamma()), t.at(s.beta()), t.at(s.runMean()), t.at(s.runVar()), t.at(s.y()), s.batch(),
                        s.channels(), s.hw(), TornadoActivation.code(s.act())),
                t.floats(s.eps()));
    }

    public static void bind(DeviceTasks t, BatchNorm.Backward s) {
        t.graph().task(t.task(t.reduce(s.channels(), s.batch() * s.hw())), TornadoBatchNorm::backwardGroups, t.ctx(), t.heap(),
                t.args(t.at(s.x()), t.at(s.dy()), t.at(s.gamma()), t.at(s.beta()), t.at(s.mean()), t.at(s.rstd()), t.at(s.dx()),
                        t.at(s.dgamma()), t.at(s.dbeta()), s.batch(), s.channels(), s.hw(), DeviceTasks.flag(s.accumulate()),
                        DeviceTasks.flag(s.accumulateParams()), TornadoActivation.code(s.act())));
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
