package hybridlab.kernels;

/**
 * Bilinear resampling of NCHW planes from {@code h x w} to {@code oh x ow}, with PyTorch's
 * {@code align_corners=False} source coordinates: {@code src = (dst + 0.5) * in / out - 0.5},
 * clamped at 0. CoaT's feature interpolation between scales.
 */
public final class Resize {
    private Resize() {
    }

    /** Source index pair and weight of output coordinate {@code o}: packed as i0, i1, lambda. */
    static float source(int o, int in, int out) {
        float src = (o + 0.5f) * ((float) in / out) - 0.5f;
        return Math.max(src, 0f);
    }

    static void check(Slice x, Slice y, int planes, int h, int w, int oh, int ow) {
        Elementwise.need(x, (long) planes * h * w, "resize x");
        Elementwise.need(y, (long) planes * oh * ow, "resize y");
    }

    public record Forward(Slice x, Slice y, int planes, int h, int w, int oh, int ow) implements Step {
        public Forward {
            check(x, y, planes, h, w, oh, ow);
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(planes, (from, to, wk) -> {
                float[] X = x.f(), Y = y.f();
                for (int p = from; p < to; p++) {
                    int xp = x.offset() + p * h * w, yp = y.offset() + p * oh * ow;
                    for (int oy = 0; oy < oh; oy++) {
                        float sy = source(oy, h, oh);
                        int y0 = (int) sy, y1 = Math.min(y0 + 1, h - 1);
                        float ly = sy - y0;
                        for (int ox = 0; ox < ow; ox++) {
                            float sx = source(ox, w, ow);
                            int x0 = (int) sx, x1 = Math.min(x0 + 1, w - 1);
                            float lx = sx - x0;
                            Y[yp + oy * ow + ox] = (1f - ly) * ((1f - lx) * X[xp + y0 * w + x0] + lx * X[xp + y0 * w + x1])
                                    + ly * ((1f - lx) * X[xp + y1 * w + x0] + lx * X[xp + y1 * w + x1]);
                        }
                    }
                }
            });
        }
    }

    public record Backward(Slice dy, Slice dx, int planes, int h, int w, int oh, int ow, boolean accumulate) implements Step {
        public Backward {
            check(dx, dy, planes, h, w, oh, ow);
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(planes, (from, to, wk) -> {
                float[] DY = dy.f(), DX = dx.f();
                for (int p = from; p < to; p++) {
                    int xp = dx.offset() + p * h * w, yp = dy.offset() + p * oh * ow;
                    if (!accumulate) {
                        java.util.Arrays.fill(DX, xp, xp + h * w, 0f);
                    }
                    for (int oy = 0; oy < oh; oy++) {
                        float sy = source(oy, h, oh);
                        int y0 = (int) sy, y1 = Math.min(y0 + 1, h - 1);
                        float ly = sy - y0;
                        for (int ox = 0; ox < ow; ox++) {
                            float sx = source(ox, w, ow);
                            int x0 = (int) sx, x1 = Math.min(x0 + 1, w - 1);
                            float lx = sx - x0, g = DY[yp + oy * ow + ox];
                            DX[xp + y0 * w + x0] += (1f - ly) * (1f - lx) * g;
                            DX[xp + y0 * w + x1] += (1f - ly) * lx * g;
                            DX[xp + y1 * w + x0] += ly * (1f - lx) * g;
                            DX[xp + y1 * w + x1] += ly * lx * g;
                        }
                    }
                }
            });
        }
    }
}
