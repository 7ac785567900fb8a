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
     * padding: zero loss, hit and gradient.
     */
    public static void crossEntropy(FloatArray mem, int lOff, IntArray labels, int labOff, int rlOff, int rhOff, int dlOff,
                                    int batch, int classes, float smoothing, float gradScale) {
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

    /** {@link Loss.Sum}, a single work-item: {@code out[0] = sum of row losses}, {@code out[1] = sum of hits}, in row order. */
    public static void sum(FloatArray mem, int rlOff, int rhOff, int outOff, int batch) {
        float l = 0f, h = 0f;
        for (int i = 0; i < batch; i++) {
            l += mem.get(rlOff + i);
            h += mem.get(rhOff + i);
        }
        mem.set(outOff, l);
        mem.set(outOff + 1, h);
    }

    /** {@link #sum} as one work-group ({@link TornadoGroups}). */
    public static void sumGroups(KernelContext ctx, FloatArray mem, int rlOff, int rhOff, int outOff, int batch) {
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
        t.graph().task(t.task(Launch.loops(s.batch())), TornadoLoss::crossEntropy, t.heap(), t.at(s.logits()), t.ints(s.labels()),
                s.labels().offset(), t.at(s.rowLoss()), t.at(s.rowHit()), t.off(s.dlogits()), s.batch(), s.classes(), s.smoothing(),
                s.gradScale());
    }

    public static void bind(DeviceTasks t, Loss.Sum s) {
        t.graph().task(t.task(t.reduce(1, s.batch())), TornadoLoss::sumGroups, t.ctx(), t.heap(), t.at(s.rowLoss()), t.at(s.rowHit()),
                t.at(s.out()), s.batch());
    }
}
