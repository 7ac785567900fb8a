package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/** Device twins of {@link Loss}: label-smoothed softmax cross-entropy and the batch sums. */
public final class TornadoLoss {
    private TornadoLoss() {
    }

    /**
     * {@link Loss.CrossEntropy}, one work-item per row: loss, hit (first arg-max equals the label)
     * and, when {@code dlOff >= 0}, {@code dlogits = (softmax - q) gradScale}. A negative label is
     * padding: zero loss, hit and gradient. args: lOff, labOff, rlOff, rhOff, dlOff, batch, classes; floats: smoothing,
     * gradScale.
     */
    public static void crossEntropy(FloatArray mem, IntArray labels, IntArray args, FloatArray floats) {
        int lOff = args.get(0), labOff = args.get(1), rlOff = args.get(2), rhOff = args.get(3), dlOff = args.get(4),
                batch = args.get(5), classes = args.get(6);
        float smoothing = floats.get(0), gradScale = floats.get(1);
        float off = smoothing / classes, on = 1f - smoothing + off;
        for (@Parallel int i = 0; i < Math.max(0, batch); i++) {
            int label = labels.get(labOff + i), lo = lOff + i * classes;
            if (label < 0) {
                mem.set(rlOff + i, 0f);
                mem.set(rhOff + i, 0f);
                if (dlOff >= 0) {
                    for (int c = 0; c < classes; c++) {
                        mem.set(dlOff + i * classes + c, 0f);
                    }
                }
            } else {
                float max = mem.get(lo);
                int arg = 0;
                for (int c = 1; c < classes; c++) {
                    float v = mem.get(lo + c);
                    if (v > max) {
                        max = v;
                        arg = c;
                    }
                }
                float sum = 0f, target = 0f;
                for (int c = 0; c < classes; c++) {
                    float v = mem.get(lo + c);
                    sum += TornadoFastMath.exp(v - max);
                    target += (c == label ? on : off) * v;
                }
                float lse = max + (float) Math.log((double) sum);
                mem.set(rlOff + i, lse - target);
                mem.set(rhOff + i, arg == label ? 1f : 0f);
                if (dlOff >= 0) {
                    for (int c = 0; c < classes; c++) {
                        float p = TornadoFastMath.exp(mem.get(lo + c) - lse);
                        mem.set(dlOff + i * classes + c, (p - (c == label ? on : off)) * gradScale);
                    }
                }
            }
        }
    }

    /**
     * {@link Loss.Sum}, a single work-item: {@code out[0] = sum of row losses}, {@code out[1] = sum of hits}, in row order.
     * args: rlOff, rhOff, outOff, batch.
     */
    public static void sum(FloatArray mem, IntArray args) {
        int rlOff = args.get(0), rhOff = args.get(1), outOff = args.get(2), batch = args.get(3);
        float l = 0f, h = 0f;
        for (int i = 0; i < batch; i++) {
            l += mem.get(rlOff + i);
            h += mem.get(rhOff + i);
        }
        mem.set(outOff, l);
        mem.set(outOff + 1, h);
    }

    /** {@link #sum} as one work-group ({@link TornadoGroups}). args: rlOff, rhOff, outOff, batch. */
    public static void sumGroups(KernelContext ctx, FloatArray mem, IntArray args) {
        int rlOff = args.get(0), rhOff = args.get(1), outOff = args.get(2), batch = args.get(3);
        float[] pl = ctx.allocateFloatLocalArray(256);
        float[] ph = ctx.allocateFloatLocalArray(256);
        int lid = ctx.localIdx, g = ctx.localGroupSizeX;
        float l = 0f, h = 0f;
        for (int i = lid; i < batch; i += g) {
            l += mem.get(rlOff + i);
            h += mem.get(rhOff + i);
        }
        pl[lid] = l;
        ph[lid] = h;
        for (int s = g / 2; s > 0; s /= 2) {
            ctx.localBarrier();
            if (lid < s) {
                pl[lid] += pl[lid + s];
                ph[lid] += ph[lid + s];
            }
        }
        ctx.localBarrier();
        if (lid == 0) {
            mem.set(outOff, pl[0]);
            mem.set(outOff + 1, ph[0]);
        }
    }

    // Task bindings: the device tasks each step of Loss adds to a graph (called by the backend's dispatch).

    public static void bind(DeviceTasks t, Loss.CrossEntropy s) {
        t.graph().task(t.task(Launch.loops(s.batch())), TornadoLoss::crossEntropy, t.heap(), t.ints(s.labels()),
                t.args(t.at(s.logits()), s.labels().offset(), t.at(s.rowLoss()), t.at(s.rowHit()), t.off(s.dlogits()), s.batch(),
                        s.classes()),
                t.floats(s.smoothing(), s.gradScale()));
    }

    public static void bind(DeviceTasks t, Loss.Sum s) {
        t.graph().task(t.task(t.reduce(1, s.batch())), TornadoLoss::sumGroups, t.ctx(), t.heap(),
                t.args(t.at(s.rowLoss()), t.at(s.rowHit()), t.at(s.out()), s.batch()));
    }
}
