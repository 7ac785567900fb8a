package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/** Device twins of {@link LayerNorm} over the last dimension of {@code (rows, cols)} matrices. */
public final class TornadoLayerNorm {
    private TornadoLayerNorm() {
    }

    /**
     * {@link LayerNorm.Forward} on a CPU device (saves mean and rstd), work-item {@code i} for row
     * {@code i}: the sum and the squared deviations in 16 lanes ({@link TornadoBatchNorm#sum},
     * {@link TornadoBatchNorm#squaredDeviation}), the row normalised in blocks of 16.
     * args: xOff, gOff, bOff, yOff, meanOff, rstdOff, rows, cols; floats: eps.
     */
    public static void forwardRows(KernelContext ctx, FloatArray mem, IntArray args, FloatArray floats) {
        int i = ctx.globalIdx, rows = args.get(6);
        if (i < rows) {
            int cols = args.get(7), g = args.get(1), bt = args.get(2);
            int xo = args.get(0) + i * cols, yo = args.get(3) + i * cols;
            float mu = TornadoBatchNorm.sum(mem, xo, cols) / cols;
            float rs = TornadoFastMath.rsqrt(TornadoBatchNorm.squaredDeviation(mem, xo, cols, mu) / cols + floats.get(0));
            mem.set(args.get(4) + i, mu);
            mem.set(args.get(5) + i, rs);
            float[] b = new float[16];
            int whole = cols - cols % 16;
            for (int j = 0; j < whole; j += 16) {
                for (int l = 0; l < 16; l++) {
                    b[l] = (mem.get(xo + j + l) - mu) * rs * mem.get(g + j + l) + mem.get(bt + j + l);
                }
                for (int l = 0; l < 16; l++) {
                    mem.set(yo + j + l, b[l]);
                }
            }
            for (int j = whole; j < cols; j++) {
                mem.set(yo + j, (mem.get(xo + j) - mu) * rs * mem.get(g + j) + mem.get(bt + j));
            }
        }
    }

    /**
     * {@link LayerNorm.Backward}: {@code dx (+)= rstd (g - mean(g) - xhat mean(g xhat))}, {@code g = dy gamma}; one work-item per row.
     * args: xOff, dyOff, gOff, meanOff, rstdOff, dxOff, rows, cols, accumulate.
     */
    public static void backward(FloatArray mem, IntArray args) {
        int xOff = args.get(0), dyOff = args.get(1), gOff = args.get(2), meanOff = args.get(3), rstdOff = args.get(4),
                dxOff = args.get(5), rows = args.get(6), cols = args.get(7), accumulate = args.get(8);
        for (@Parallel int i = 0; i < Math.max(0, rows); i++) {
            int xo = xOff + i * cols, yo = dyOff + i * cols, o = dxOff + i * cols;
            float mu = mem.get(meanOff + i), rs = mem.get(rstdOff + i);
            float sg = 0f, sgx = 0f;
            for (int j = 0; j < cols; j++) {
                float g = mem.get(yo + j) * mem.get(gOff + j);
                sg += g;
                sgx += g * (mem.get(xo + j) - mu) * rs;
            }
            sg /= cols;
            sgx /= cols;
            for (int j = 0; j < cols; j++) {
                float xhat = (mem.get(xo + j) - mu) * rs;
                float v = rs * (mem.get(yo + j) * mem.get(gOff + j) - sg - xhat * sgx);
                mem.set(o + j, accumulate != 0 ? mem.get(o + j) + v : v);
            }
        }
    }

    /**
     * {@link LayerNorm.Forward} as a work-group reduction ({@link TornadoGroups}): one work-group
     * per row; saves mean and rstd. args and floats as {@link #forwardRows}.
     */
    public static void forwardGroups(KernelContext ctx, FloatArray mem, IntArray args, FloatArray floats) {
        int xOff = args.get(0), gOff = args.get(1), bOff = args.get(2), yOff = args.get(3), meanOff = args.get(4),
                rstdOff = args.get(5), rows = args.get(6), cols = args.get(7);
        float eps = floats.get(0);
        float[] part = ctx.allocateFloatLocalArray(256);
        int i = ctx.groupIdx, lid = ctx.localIdx, g = ctx.localGroupSizeX;
        int xo = xOff + i * cols, yo = yOff + i * cols;
        float sum = 0f;
        for (int j = lid; j < cols; j += g) {
            sum += mem.get(xo + j);
        }
        part[lid] = sum;
        for (int s = g / 2; s > 0; s /= 2) {
            ctx.localBarrier();
            if (lid < s) {
                part[lid] += part[lid + s];
            }
        }
        ctx.localBarrier();
        float mu = part[0] / cols;
        ctx.localBarrier();
        float sq = 0f;
        for (int j = lid; j < cols; j += g) {
            float d = mem.get(xo + j) - mu;
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
        float rs = TornadoFastMath.rsqrt(part[0] / cols + eps);
        if (lid == 0) {
            mem.set(meanOff + i, mu);
            mem.set(rstdOff + i, rs);
        }
        for (int j = lid; j < cols; j += g) {
            mem.set(yo + j, (mem.get(xo + j) - mu) * rs * mem.get(gOff + j) + mem.get(bOff + j));
        }
    }

    /**
     * {@link LayerNorm.ParamGrad}: {@code dgamma[j] (+)= sum_i dy xhat}, {@code dbeta[j] (+)= sum_i dy},
     * as a work-group reduction ({@link TornadoGroups}): one work-group per column.
     * args: xOff, dyOff, meanOff, rstdOff, dgOff, dbOff, rows, cols, accumulate.
     */
    public static void paramGradGroups(KernelContext ctx, FloatArray mem, IntArray args) {
        int xOff = args.get(0), dyOff = args.get(1), meanOff = args.get(2), rstdOff = args.get(3), dgOff = args.get(4),
                dbOff = args.get(5), rows = args.get(6), cols = args.get(7), accumulate = args.get(8);
        float[] pg = ctx.allocateFloatLocalArray(256);
        float[] pb = ctx.allocateFloatLocalArray(256);
        int j = ctx.groupIdx, lid = ctx.localIdx, g = ctx.localGroupSizeX;
        float sg = 0f, sb = 0f;
        for (int i = lid; i < rows; i += g) {
            float d = mem.get(dyOff + i * cols + j);
            sg += d * (mem.get(xOff + i * cols + j) - mem.get(meanOff + i)) * mem.get(rstdOff + i);
            sb += d;
        }
        pg[lid] = sg;
        pb[lid] = sb;
        for (int s = g / 2; s > 0; s /= 2) {
            ctx.localBarrier();
            if (lid < s) {
                pg[lid] += pg[lid + s];
                pb[lid] += pb[lid + s];
            }
        }
        ctx.localBarrier();
        if (lid == 0) {
            float tg = pg[0], tb = pb[0];
            mem.set(dgOff + j, accumulate != 0 ? mem.get(dgOff + j) + tg : tg);
            mem.set(dbOff + j, accumulate != 0 ? mem.get(dbOff + j) + tb : tb);
        }
    }

    // Task bindings: the device tasks each step of LayerNorm adds to a graph (called by the backend's dispatch).

    /** One work-group per row reducing in local memory (GPU), or one work-item per row in lanes (CPU). */
    public static void bind(DeviceTasks t, LayerNorm.Forward s) {
        var args = t.args(t.at(s.x()), t.at(s.gamma()), t.at(s.beta()), t.at(s.y()), t.at(s.mean()), t.at(s.rstd()), s.rows(), s.cols());
        if (t.cpu()) {
            t.graph().task(t.task(Launch.groups(new int[] {s.rows()}, new int[] {1})), TornadoLayerNorm::forwardRows, t.ctx(), t.heap(),
                    args, t.floats(s.eps()));
        } else {
            t.graph().task(t.task(t.reduce(s.rows(), s.cols())), TornadoLayerNorm::forwardGroups, t.ctx(), t.heap(), args,
                    t.floats(s.eps()));
        }
    }

    public static void bind(DeviceTasks t, LayerNorm.Backward s) {
        t.graph().task(t.task(Launch.loops(s.rows())), TornadoLayerNorm::backward, t.heap(), t.args(t.at(s.x()), t.at(s.dy()),
                t.at(s.gamma()), t.at(s.mean()), t.at(s.rstd()), t.at(s.dx()), s.rows(), s.cols(), DeviceTasks.flag(s.accumulate())));
    }

    public static void bind(DeviceTasks t, LayerNorm.ParamGrad s) {
        t.graph().task(t.task(t.reduce(s.cols(), s.rows())), TornadoLayerNorm::paramGradGroups, t.ctx(), t.heap(),
                t.args(t.at(s.x()), t.at(s.dy()), t.at(s.mean()), t.at(s.rstd()), t.at(s.dgamma()), t.at(s.dbeta()), s.rows(), s.cols(),
                        DeviceTasks.flag(s.accumulate())));
    }
}
