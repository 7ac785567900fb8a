package hybridlab.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * Device twins of {@link Optim}: the global gradient norm (double partial sums over the same
 * fixed {@link Optim#CHUNK}s, then their ordered sum), the clip factor, and AdamW. The per-step
 * values (learning rate, bias corrections, clip factor) are read from the hyper block on the device.
 */
public final class TornadoOptim {
    private TornadoOptim() {
    }

    /** {@link Optim.SquarePartials}: {@code partials[c] = sum of g^2 over chunk c}, accumulated in double. */
    public static void squarePartials(FloatArray g, int gOff, int n, FloatArray partials, int pOff) {
        for (@Parallel int c = 0; c < (n + Optim.CHUNK - 1) / Optim.CHUNK; c++) {
            int i1 = Math.min(n, c * Optim.CHUNK + Optim.CHUNK);
            double acc = 0.0;
            for (int i = c * Optim.CHUNK; i < i1; i++) {
                double v = g.get(gOff + i);
                acc += v * v;
            }
            partials.set(pOff + c, (float) acc);
        }
    }

    /** {@link Optim.ClipScale}, a single work-item: global norm and {@code min(1, maxNorm / norm)} into the hyper block. */
    public static void clipScale(FloatArray partials, int pOff, int count, FloatArray hyper, int hOff, float maxNorm) {
        double sum = 0.0;
        for (int c = 0; c < count; c++) {
            sum += partials.get(pOff + c);
        }
        float norm = (float) Math.sqrt(sum);
        hyper.set(hOff + Hyper.GRAD_NORM, norm);
        hyper.set(hOff + Hyper.CLIP, maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-6f) : 1f);
    }

    /** {@link Optim.AdamW}: decoupled weight decay on the first {@code decayEnd} parameters. */
    public static void adamW(FloatArray p, int pOff, FloatArray g, int gOff, FloatArray m, int mOff, FloatArray v, int vOff,
                             FloatArray hyper, int hOff, int n, int decayEnd, float beta1, float beta2, float eps, float weightDecay) {
        for (@Parallel int i = 0; i < n; i++) {
            float lr = hyper.get(hOff + Hyper.LR), clip = hyper.get(hOff + Hyper.CLIP);
            float bc1 = hyper.get(hOff + Hyper.BIAS1), bc2 = hyper.get(hOff + Hyper.BIAS2);
            float gi = g.get(gOff + i) * clip;
            float mi = beta1 * m.get(mOff + i) + (1f - beta1) * gi;
            float vi = beta2 * v.get(vOff + i) + (1f - beta2) * gi * gi;
            m.set(mOff + i, mi);
            v.set(vOff + i, vi);
            float pi = p.get(pOff + i);
            float decay = i < decayEnd ? weightDecay * pi : 0f;
            p.set(pOff + i, pi - lr * (decay + (mi / bc1) / ((float) Math.sqrt((double) (vi / bc2)) + eps)));
        }
    }
}
