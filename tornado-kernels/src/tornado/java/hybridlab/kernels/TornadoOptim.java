package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device twins of {@link Optim}: the global gradient norm (double partial sums over the same
 * fixed {@link Optim#CHUNK}s, then their ordered sum), the clip factor, and AdamW. The per-step
 * values (learning rate, bias corrections, clip factor) are read from the hyper block on the device.
 */
public final class TornadoOptim {
    private TornadoOptim() {
    }

    /** {@link Optim.SquarePartials}: {@code partials[c] = sum of g^2 over chunk c}, accumulated in double. args: gOff, n, pOff. */
    public static void squarePartials(FloatArray mem, IntArray args) {
        int gOff = args.get(0), n = args.get(1), pOff = args.get(2);
        for (@Parallel int c = 0; c < (n + Optim.CHUNK - 1) / Optim.CHUNK; c++) {
            int i1 = Math.min(n, c * Optim.CHUNK + Optim.CHUNK);
            double acc = 0.0;
            for (int i = c * Optim.CHUNK; i < i1; i++) {
                double v = mem.get(gOff + i);
                acc += v * v;
            }
            mem.set(pOff + c, (float) acc);
        }
    }

    /**
     * {@link Optim.ClipScale}, a single work-item: global norm and {@code min(1, maxNorm / norm)} into the hyper block.
     * args: pOff, count, hOff; floats: maxNorm.
     */
    public static void clipScale(FloatArray mem, IntArray args, FloatArray floats) {
        int pOff = args.get(0), count = args.get(1), hOff = args.get(2);
        float maxNorm = floats.get(0);
        double sum = 0.0;
        for (int c = 0; c < count; c++) {
            sum += mem.get(pOff + c);
        }
        float norm = (float) Math.sqrt(sum);
        mem.set(hOff + Hyper.GRAD_NORM, norm);
        mem.set(hOff + Hyper.CLIP, maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-6f) : 1f);
    }

    /**
     * {@link Optim.AdamW}: decoupled weight decay on the first {@code decayEnd} parameters.
     * args: pOff, gOff, mOff, vOff, hOff, n, decayEnd; floats: beta1, beta2, eps, weightDecay.
     */
    public static void adamW(FloatArray mem, IntArray args, FloatArray floats) {
        int pOff = args.get(0), gOff = args.get(1), mOff = args.get(2), vOff = args.get(3), hOff = args.get(4), n = args.get(5),
                decayEnd = args.get(6);
        float beta1 = floats.get(0), beta2 = floats.get(1), eps = floats.get(2), weightDecay = floats.get(3);
        for (@Parallel int i = 0; i < Math.max(0, n); i++) {
            float lr = mem.get(hOff + Hyper.LR), clip = mem.get(hOff + Hyper.CLIP);
            float bc1 = mem.get(hOff + Hyper.BIAS1), bc2 = mem.get(hOff + Hyper.BIAS2);
            float gi = mem.get(gOff + i) * clip;
            float mi = beta1 * mem.get(mOff + i) + (1f - beta1) * gi;
            float vi = beta2 * mem.get(vOff + i) + (1f - beta2) * gi * gi;
            mem.set(mOff + i, mi);
            mem.set(vOff + i, vi);
            float pi = mem.get(pOff + i);
            float decay = i < decayEnd ? weightDecay * pi : 0f;
            mem.set(pOff + i, pi - lr * (decay + (mi / bc1) / ((float) Math.sqrt((double) (vi / bc2)) + eps)));
        }
    }

    /**
     * {@link #squarePartials} as a work-group reduction ({@link TornadoGroups}) in double: one work-group per chunk;
     * args as {@link #squarePartials}.
     */
    public static void squarePartialsGroups(KernelContext ctx, FloatArray mem, IntArray args) {
        int gOff = args.get(0), n = args.get(1), pOff = args.get(2);
        double[] part = ctx.allocateDoubleLocalArray(256);
        int c = ctx.groupIdx, lid = ctx.localIdx, g = ctx.localGroupSizeX;
        int i1 = Math.min(n, c * Optim.CHUNK + Optim.CHUNK);
        double acc = 0.0;
        for (int i = c * Optim.CHUNK + lid; i < i1; i += g) {
            double v = mem.get(gOff + i);
            acc += v * v;
        }
        part[lid] = acc;
        for (int s = g / 2; s > 0; s /= 2) {
            ctx.localBarrier();
            if (lid < s) {
                part[lid] += part[lid + s];
            }
        }
        ctx.localBarrier();
        if (lid == 0) {
            mem.set(pOff + c, (float) part[0]);
        }
    }

    /** {@link #clipScale} as one work-group ({@link TornadoGroups}), summed in double; args and floats as {@link #clipScale}. */
    public static void clipScaleGroups(KernelContext ctx, FloatArray mem, IntArray args, FloatArray floats) {
        int pOff = args.get(0), count = args.get(1), hOff = args.get(2);
        float maxNorm = floats.get(0);
        double[] part = ctx.allocateDoubleLocalArray(256);
        int lid = ctx.localIdx, g = ctx.localGroupSizeX;
        double acc = 0.0;
        for (int c = lid; c < count; c += g) {
            acc += mem.get(pOff + c);
        }
        part[lid] = acc;
        for (int s = g / 2; s > 0; s /= 2) {
            ctx.localBarrier();
            if (lid < s) {
                part[lid] += part[lid + s];
            }
        }
        ctx.localBarrier();
        if (lid == 0) {
            float norm = (float) Math.sqrt(part[0]);
            mem.set(hOff + Hyper.GRAD_NORM, norm);
            mem.set(hOff + Hyper.CLIP, maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-6f) : 1f);
        }
    }

    // Task bindings: the device tasks each step of Optim adds to a graph (called by the backend's dispatch).

    public static void bind(DeviceTasks t, Optim.SquarePartials s) {
        int n = s.grads().length();
        t.graph().task(t.task(t.reduce((n + Optim.CHUNK - 1) / Optim.CHUNK, Math.min(Optim.CHUNK, n))), TornadoOptim::squarePartialsGroups,
                t.ctx(), t.heap(), t.args(t.at(s.grads()), n, t.at(s.partials())));
    }

    public static void bind(DeviceTasks t, Optim.ClipScale s) {
        t.graph().task(t.task(t.reduce(1, s.count())), TornadoOptim::clipScaleGroups, t.ctx(), t.heap(),
                t.args(t.at(s.partials()), s.count(), t.at(s.hyper())), t.floats(s.maxNorm()));
    }

    public static void bind(DeviceTasks t, Optim.AdamW s) {
        t.graph().task(t.task(Launch.loops(s.params().length())), TornadoOptim::adamW, t.heap(),
                t.args(t.at(s.params()), t.at(s.grads()), t.at(s.m()), t.at(s.v()), t.at(s.hyper()), s.params().length(), s.decayEnd()),
                t.floats(s.beta1(), s.beta2(), s.eps(), s.weightDecay()));
    }
}
