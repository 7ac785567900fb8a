package hybridlab.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/** Device twins of {@link Channels}: per-channel operations on {@code (batch, channels, hw)} maps. */
public final class TornadoChannels {
    private TornadoChannels() {
    }

    /** {@link Channels.BiasGrad}: {@code db[c] (+)= sum over images, then positions, of dy}. One work-item per channel. */
    public static void biasGrad(FloatArray dy, int dyOff, FloatArray db, int dbOff, int batch, int channels, int hw, int accumulate) {
        for (@Parallel int c = 0; c < channels; c++) {
            float acc = 0f;
            for (int b = 0; b < batch; b++) {
                int o = dyOff + (b * channels + c) * hw;
                for (int p = 0; p < hw; p++) {
                    acc += dy.get(o + p);
                }
            }
            int o = dbOff + c;
            db.set(o, accumulate != 0 ? db.get(o) + acc : acc);
        }
    }

    /** {@link Channels.Scale}: {@code y[b, c, p] (+)= x[b, c, p] s[b, c]}. */
    public static void scale(FloatArray x, int xOff, FloatArray s, int sOff, FloatArray y, int yOff, int planes, int hw, int accumulate) {
        for (@Parallel int p = 0; p < hw; p++) {
            for (@Parallel int t = 0; t < planes; t++) {
                float v = x.get(xOff + t * hw + p) * s.get(sOff + t);
                int o = yOff + t * hw + p;
                y.set(o, accumulate != 0 ? y.get(o) + v : v);
            }
        }
    }

    /** {@link Channels.ScaleGrad}: {@code ds[b, c] (+)= sum_p dy x}. One work-item per plane. */
    public static void scaleGrad(FloatArray x, int xOff, FloatArray dy, int dyOff, FloatArray ds, int dsOff, int planes, int hw,
                                 int accumulate) {
        for (@Parallel int t = 0; t < planes; t++) {
            float acc = 0f;
            for (int p = 0; p < hw; p++) {
                acc += dy.get(dyOff + t * hw + p) * x.get(xOff + t * hw + p);
            }
            int o = dsOff + t;
            ds.set(o, accumulate != 0 ? ds.get(o) + acc : acc);
        }
    }

    /** {@link Channels.Mean}: {@code y[b, c] = mean_p x[b, c, p]}. One work-item per plane. */
    public static void mean(FloatArray x, int xOff, FloatArray y, int yOff, int planes, int hw) {
        float inv = 1f / hw;
        for (@Parallel int t = 0; t < planes; t++) {
            float acc = 0f;
            for (int p = 0; p < hw; p++) {
                acc += x.get(xOff + t * hw + p);
            }
            y.set(yOff + t, acc * inv);
        }
    }

    /** {@link Channels.MeanGrad}: {@code dx[b, c, p] (+)= dy[b, c] / hw}. */
    public static void meanGrad(FloatArray dy, int dyOff, FloatArray dx, int dxOff, int planes, int hw, int accumulate) {
        float inv = 1f / hw;
        for (@Parallel int p = 0; p < hw; p++) {
            for (@Parallel int t = 0; t < planes; t++) {
                float v = dy.get(dyOff + t) * inv;
                int o = dxOff + t * hw + p;
                dx.set(o, accumulate != 0 ? dx.get(o) + v : v);
            }
        }
    }
}
