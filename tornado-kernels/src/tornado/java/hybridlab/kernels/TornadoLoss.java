package hybridlab.kernels;

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
    public static void crossEntropy(FloatArray logits, int lOff, IntArray labels, int labOff, FloatArray rowLoss, int rlOff,
                                    FloatArray rowHit, int rhOff, FloatArray dlogits, int dlOff,
                                    int batch, int classes, float smoothing, float gradScale) {
        float off = smoothing / classes, on = 1f - smoothing + off;
        for (@Parallel int i = 0; i < batch; i++) {
            int label = labels.get(labOff + i), lo = lOff + i * classes;
            if (label < 0) {
                rowLoss.set(rlOff + i, 0f);
                rowHit.set(rhOff + i, 0f);
                if (dlOff >= 0) {
                    for (int c = 0; c < classes; c++) {
                        dlogits.set(dlOff + i * classes + c, 0f);
                    }
                }
            } else {
                float max = logits.get(lo);
                int arg = 0;
                for (int c = 1; c < classes; c++) {
                    float v = logits.get(lo + c);
                    if (v > max) {
                        max = v;
                        arg = c;
                    }
                }
                float sum = 0f, target = 0f;
                for (int c = 0; c < classes; c++) {
                    float v = logits.get(lo + c);
                    sum += TornadoFastMath.exp(v - max);
                    target += (c == label ? on : off) * v;
                }
                float lse = max + (float) Math.log((double) sum);
                rowLoss.set(rlOff + i, lse - target);
                rowHit.set(rhOff + i, arg == label ? 1f : 0f);
                if (dlOff >= 0) {
                    for (int c = 0; c < classes; c++) {
                        float p = TornadoFastMath.exp(logits.get(lo + c) - lse);
                        dlogits.set(dlOff + i * classes + c, (p - (c == label ? on : off)) * gradScale);
                    }
                }
            }
        }
    }

    /** {@link Loss.Sum}, a single work-item: {@code out[0] = sum of row losses}, {@code out[1] = sum of hits}, in row order. */
    public static void sum(FloatArray rowLoss, int rlOff, FloatArray rowHit, int rhOff, FloatArray out, int outOff, int batch) {
        float l = 0f, h = 0f;
        for (int i = 0; i < batch; i++) {
            l += rowLoss.get(rlOff + i);
            h += rowHit.get(rhOff + i);
        }
        out.set(outOff, l);
        out.set(outOff + 1, h);
    }
}
