package hybridlab.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * Device twins of {@link DepthwiseConv}: one {@code k x k} filter per channel (weights
 * {@code (channels, 1, k, k)}), computed directly; shapes as in {@link ConvShape} with
 * {@code groups == cin == cout == channels}.
 */
public final class TornadoDepthwiseConv {
    private TornadoDepthwiseConv() {
    }

    /** {@link DepthwiseConv.Forward}: {@code y = bias[c] + sum over taps}; {@code biasOff < 0}: no bias. */
    public static void forward(FloatArray mem, int xOff, int wOff, int biasOff, int yOff, int batch, int channels, int h,
                               int wd, int k, int stride, int pad, int dil) {
        int oh = TornadoConv.outSize(h, k, stride, pad, dil), ow = TornadoConv.outSize(wd, k, stride, pad, dil);
        for (@Parallel int q = 0; q < oh * ow; q++) {
            for (@Parallel int c = 0; c < channels; c++) {
                for (@Parallel int b = 0; b < batch; b++) {
                    int oy = q / ow, ox = q % ow, plane = xOff + (b * channels + c) * h * wd;
                    float s = biasOff >= 0 ? mem.get(biasOff + c) : 0f;
                    for (int ky = 0; ky < k; ky++) {
                        int iy = oy * stride - pad + ky * dil;
                        if (iy >= 0 && iy < h) {
                            for (int kx = 0; kx < k; kx++) {
                                int ix = ox * stride - pad + kx * dil;
                                if (ix >= 0 && ix < wd) {
                                    s += mem.get(wOff + (c * k + ky) * k + kx) * mem.get(plane + iy * wd + ix);
                                }
                            }
                        }
                    }
                    mem.set(yOff + (b * channels + c) * oh * ow + q, s);
                }
            }
        }
    }

    /** {@link DepthwiseConv.BackwardData}: {@code dx (+)= dwconv_transpose(dy, w)}, gathered per input element. */
    public static void backwardData(FloatArray mem, int dyOff, int wOff, int dxOff, int batch, int channels, int h, int wd,
                                    int k, int stride, int pad, int dil, int accumulate) {
        int oh = TornadoConv.outSize(h, k, stride, pad, dil), ow = TornadoConv.outSize(wd, k, stride, pad, dil);
        for (@Parallel int q = 0; q < h * wd; q++) {
            for (@Parallel int c = 0; c < channels; c++) {
                for (@Parallel int b = 0; b < batch; b++) {
                    int iy = q / wd, ix = q % wd, out = dyOff + (b * channels + c) * oh * ow;
                    float s = 0f;
                    for (int ky = 0; ky < k; ky++) {
                        int ty = iy + pad - ky * dil;
                        int oy = ty / stride;
                        if (ty >= 0 && ty % stride == 0 && oy < oh) {
                            for (int kx = 0; kx < k; kx++) {
                                int tx = ix + pad - kx * dil;
                                int ox = tx / stride;
                                if (tx >= 0 && tx % stride == 0 && ox < ow) {
                                    s += mem.get(wOff + (c * k + ky) * k + kx) * mem.get(out + oy * ow + ox);
                                }
                            }
                        }
                    }
                    int o = dxOff + (b * channels + c) * h * wd + q;
                    mem.set(o, accumulate != 0 ? mem.get(o) + s : s);
                }
            }
        }
    }

    /**
     * {@link DepthwiseConv.BackwardWeight}: {@code dw[c, ky, kx] (+)= sum over images of dy (x) x},
     * one work-item per tap; each image's sum in float, the images added in order in double, as
     * the JVM kernel does.
     */
    public static void backwardWeight(FloatArray mem, int xOff, int dyOff, int dwOff, int batch, int channels, int h, int wd,
                                      int k, int stride, int pad, int dil, int accumulate) {
        int oh = TornadoConv.outSize(h, k, stride, pad, dil), ow = TornadoConv.outSize(wd, k, stride, pad, dil);
        for (@Parallel int e = 0; e < channels * k * k; e++) {
            int kx = e % k, ky = (e / k) % k, c = e / (k * k);
            double total = 0.0;
            for (int b = 0; b < batch; b++) {
                int plane = xOff + (b * channels + c) * h * wd, out = dyOff + (b * channels + c) * oh * ow;
                float s = 0f;
                for (int oy = 0; oy < oh; oy++) {
                    int iy = oy * stride - pad + ky * dil;
                    if (iy >= 0 && iy < h) {
                        for (int ox = 0; ox < ow; ox++) {
                            int ix = ox * stride - pad + kx * dil;
                            if (ix >= 0 && ix < wd) {
                                s += mem.get(out + oy * ow + ox) * mem.get(plane + iy * wd + ix);
                            }
                        }
                    }
                }
                total += s;
            }
            int o = dwOff + e;
            mem.set(o, accumulate != 0 ? mem.get(o) + (float) total : (float) total);
        }
    }
}
