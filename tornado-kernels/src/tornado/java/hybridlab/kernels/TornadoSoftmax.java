package hybridlab.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * Device twins of {@link Softmax}: softmax along the middle axis of an {@code (outer, n, inner)}
 * array, one work-item per {@code (outer, inner)} line. The running maximum starts from the line's
 * first element (not minus infinity, which OpenCL's relaxed math may not honour).
 */
public final class TornadoSoftmax {
    private TornadoSoftmax() {
    }

    /** {@link Softmax.Forward}; {@code x} and {@code y} may be the same slice. */
    public static void forward(FloatArray x, int xOff, FloatArray y, int yOff, int outer, int n, int inner) {
        for (@Parallel int t = 0; t < outer * inner; t++) {
            int base = (t / inner) * n * inner + t % inner;
            int xo = xOff + base, yo = yOff + base;
            float max = x.get(xo);
            for (int i = 1; i < n; i++) {
                max = Math.max(max, x.get(xo + i * inner));
            }
            float sum = 0f;
            for (int i = 0; i < n; i++) {
                float e = TornadoFastMath.exp(x.get(xo + i * inner) - max);
                y.set(yo + i * inner, e);
                sum += e;
            }
            float inv = 1f / sum;
            for (int i = 0; i < n; i++) {
                y.set(yo + i * inner, y.get(yo + i * inner) * inv);
            }
        }
    }

    /** {@link Softmax.Backward}: {@code dx (+)= y (dy - sum(dy y))}. */
    public static void backward(FloatArray y, int yOff, FloatArray dy, int dyOff, FloatArray dx, int dxOff, int outer, int n, int inner,
                                int accumulate) {
        for (@Parallel int t = 0; t < outer * inner; t++) {
            int base = (t / inner) * n * inner + t % inner;
            int yo = yOff + base, go = dyOff + base, o = dxOff + base;
            float dot = 0f;
            for (int i = 0; i < n; i++) {
                dot += dy.get(go + i * inner) * y.get(yo + i * inner);
            }
            for (int i = 0; i < n; i++) {
                float v = y.get(yo + i * inner) * (dy.get(go + i * inner) - dot);
                dx.set(o + i * inner, accumulate != 0 ? dx.get(o + i * inner) + v : v);
            }
        }
    }
}
