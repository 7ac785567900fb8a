package hybridlab.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/** Device twins of {@link Channels}: per-channel operations on {@code (batch, channels, hw)} maps. */
public final class TornadoChannels {
    private TornadoChannels() {
    }

    /** {@link Channels.BiasGrad}: {@code db[c] (+)= sum over images, then positions, of dy}. One work-item per channel. */
    public static void biasGrad(FloatArray mem, int dyOff, int dbOff, int batch, int channels, int hw, int accumulate) {
        for (@Parallel int c = 0; c < Math.max(0, channels); c++) {
            float acc = 0f;
            for (int b = 0; b < batch; b++) {
                int o = dyOff + (b * channels + c) * hw;
                for (int p = 0; p < hw; p++) {
                    acc += mem.get(o + p);
                }
            }
            int o = dbOff + c;
            mem.set(o, accumulate != 0 ? mem.get(o) + acc : acc);
        }
    }

    /** {@link Channels.Scale}: {@code y[b, c, p] (+)= x[b, c, p] s[b, c]}. */
    public static void scale(FloatArray mem, int xOff, int sOff, int yOff, int planes, int hw, int accumulate) {
        for (@Parallel int p = 0; p < Math.max(0, hw); p++) {
            for (@Parallel int t = 0; t < Math.max(0, planes); t++) {
                float v = mem.get(xOff + t * hw + p) * mem.get(sOff + t);
                int o = yOff + t * hw + p;
                mem.set(o, accumulate != 0 ? mem.get(o) + v : v);
            }
        }
    }

    /** {@link Channels.ScaleGrad}: {@code ds[b, c] (+)= sum_p dy x}. One work-item per plane. */
    public static void scaleGrad(FloatArray mem, int xOff, int dyOff, int dsOff, int planes, int hw, int accumulate) {
        for (@Parallel int t = 0; t < Math.max(0, planes); t++) {
            float acc = 0f;
            for (int p = 0; p < hw; p++) {
                acc += mem.get(dyOff + t * hw + p) * mem.get(xOff + t * hw + p);
            }
            int o = dsOff + t;
            mem.set(o, accumulate != 0 ? mem.get(o) + acc : acc);
        }
    }

    /** {@link Channels.Mean}: {@code y[b, c] = mean_p x[b, c, p]}. One work-item per plane. */
    public static void mean(FloatArray mem, int xOff, int yOff, int planes, int hw) {
        float inv = 1f / hw;
        for (@Parallel int t = 0; t < Math.max(0, planes); t++) {
            float acc = 0f;
            for (int p = 0; p < hw; p++) {
                acc += mem.get(xOff + t * hw + p);
            }
            mem.set(yOff + t, acc * inv);
        }
    }

    /** {@link Channels.MeanGrad}: {@code dx[b, c, p] (+)= dy[b, c] / hw}. */
    public static void meanGrad(FloatArray mem, int dyOff, int dxOff, int planes, int hw, int accumulate) {
        float inv = 1f / hw;
        for (@Parallel int p = 0; p < Math.max(0, hw); p++) {
            for (@Parallel int t = 0; t < Math.max(0, planes); t++) {
                float v = mem.get(dyOff + t) * inv;
                int o = dxOff + t * hw + p;
                mem.set(o, accumulate != 0 ? mem.get(o) + v : v);
            }
        }
    }
}
