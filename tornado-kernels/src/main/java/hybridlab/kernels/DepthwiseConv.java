package hybridlab.kernels;

/**
 * Depthwise 2-D convolution (one k x k filter per channel), computed directly: MBConv's 3x3,
 * CoaT's CPE and CRPE windows. Inner loops run along an output row so they vectorize.
 */
public final class DepthwiseConv {
    private DepthwiseConv() {
    }

    static ConvShape depthwise(ConvShape s) {
        if (!s.depthwise()) {
            throw new IllegalArgumentException("not a depthwise shape: " + s);
        }
        return s;
    }

    /** Range of output columns ox whose input column ox*stride - pad + kx*dil lies in [0, w). */
    static int firstOx(ConvShape s, int kx) {
        int off = kx * s.dil() - s.pad();
        return off >= 0 ? 0 : (-off + s.stride() - 1) / s.stride();
    }

    static int endOx(ConvShape s, int kx) {
        int off = kx * s.dil() - s.pad();
        int last = (s.w() - 1 - off);
        return last < 0 ? 0 : Math.min(s.ow(), last / s.stride() + 1);
    }

    /** {@code y = dwconv(x, w) (+ bias)}. Items: (image, channel) planes. */
    public record Forward(ConvShape s, Slice x, Slice w, Slice bias, Slice y) implements Step {
        public Forward {
            depthwise(s).check(x, w, y);
            if (bias != null) {
                Elementwise.need(bias, s.cout(), "dwconv bias");
            }
        }

        @Override
        public String label() {
            return "DWConv " + s.cin() + " k" + s.k() + "/" + s.stride() + " @" + s.h() + "x" + s.w();
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(s.batch() * s.cin(), (from, to, wk) -> {
                for (int t = from; t < to; t++) {
                    forwardPlane(s, x.f(), x.offset(), w.f(), w.offset(), bias == null ? null : bias.f(),
                            bias == null ? 0 : bias.offset(), y.f(), y.offset(), t);
                }
            });
        }
    }

    static void forwardPlane(ConvShape s, float[] x, int xo, float[] w, int wo, float[] bias, int bo,
                             float[] y, int yo, int plane) {
        int c = plane % s.cin(), k = s.k(), ow = s.ow(), stride = s.stride();
        int xp = xo + plane * s.h() * s.w(), yp = yo + plane * s.oh() * ow;
        float b0 = bias == null ? 0f : bias[bo + c];
        for (int oy = 0; oy < s.oh(); oy++) {
            int yr = yp + oy * ow;
            java.util.Arrays.fill(y, yr, yr + ow, b0);
            for (int ky = 0; ky < k; ky++) {
                int iy = oy * stride - s.pad() + ky * s.dil();
                if (iy < 0 || iy >= s.h()) {
                    continue;
                }
                int xr = xp + iy * s.w();
                for (int kx = 0; kx < k; kx++) {
                    float wv = w[wo + (c * k + ky) * k + kx];
                    int off = kx * s.dil() - s.pad();
                    int o1 = endOx(s, kx);
                    if (stride == 1) {
                        for (int ox = firstOx(s, kx); ox < o1; ox++) {
                            y[yr + ox] += wv * x[xr + ox + off];
                        }
                    } else {
                        for (int ox = firstOx(s, kx); ox < o1; ox++) {
                            y[yr + ox] += wv * x[xr + ox * stride + off];
                        }
                    }
                }
            }
        }
    }

    /** {@code dx (+)= dwconv_transpose(dy, w)}. Items: planes. */
    public record BackwardData(ConvShape s, Slice dy, Slice w, Slice dx, boolean accumulate) implements Step {
        public BackwardData {
            depthwise(s).check(dx, w, dy);
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(s.batch() * s.cin(), (from, to, wk) -> {
                float[] DY = dy.f(), W = w.f(), DX = dx.f();
                int k = s.k(), ow = s.ow(), stride = s.stride(), hw = s.h() * s.w();
                for (int plane = from; plane < to; plane++) {
                    int c = plane % s.cin();
                    int xp = dx.offset() + plane * hw, yp = dy.offset() + plane * s.oh() * ow;
                    if (!accumulate) {
                        java.util.Arrays.fill(DX, xp, xp + hw, 0f);
                    }
                    for (int oy = 0; oy < s.oh(); oy++) {
                        int yr = yp + oy * ow;
                        for (int ky = 0; ky < k; ky++) {
                            int iy = oy * stride - s.pad() + ky * s.dil();
                            if (iy < 0 || iy >= s.h()) {
                                continue;
                            }
                            int xr = xp + iy * s.w();
                            for (int kx = 0; kx < k; kx++) {
                                float wv = W[w.offset() + (c * k + ky) * k + kx];
                                int off = kx * s.dil() - s.pad();
                                int o1 = endOx(s, kx);
                                for (int ox = firstOx(s, kx); ox < o1; ox++) {
                                    DX[xr + ox * stride + off] += wv * DY[yr + ox];
                                }
                            }
                        }
                    }
                }
            });
        }
    }

    /** {@code dw (+)= sum over images of dy (x) x}. Items: channels (each sums images in order). */
    public record BackwardWeight(ConvShape s, Slice x, Slice dy, Slice dw, boolean accumulate) implements Step {
        public BackwardWeight {
            depthwise(s).check(x, dw, dy);
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(s.cin(), (from, to, wk) -> {
                float[] DY = dy.f(), X = x.f(), DW = dw.f();
                int k = s.k(), ow = s.ow(), stride = s.stride(), hw = s.h() * s.w();
                for (int c = from; c < to; c++) {
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            int off = kx * s.dil() - s.pad();
                            int o0 = firstOx(s, kx), o1 = endOx(s, kx);
                            float acc = 0f;
                            for (int b = 0; b < s.batch(); b++) {
                                int plane = b * s.cin() + c;
                                int xp = x.offset() + plane * hw, yp = dy.offset() + plane * s.oh() * ow;
                                for (int oy = 0; oy < s.oh(); oy++) {
                                    int iy = oy * stride - s.pad() + ky * s.dil();
                                    if (iy < 0 || iy >= s.h()) {
                                        continue;
                                    }
                                    int xr = xp + iy * s.w() + off, yr = yp + oy * ow;
                                    for (int ox = o0; ox < o1; ox++) {
                                        acc += DY[yr + ox] * X[xr + ox * stride];
                                    }
                                }
                            }
                            int o = dw.offset() + (c * k + ky) * k + kx;
                            DW[o] = accumulate ? DW[o] + acc : acc;
                        }
                    }
                }
            });
        }
    }
}
