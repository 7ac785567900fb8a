package hybridlab.kernels;

/**
 * Max and average pooling over NCHW planes. Max-pool backward recomputes the window's first
 * maximum instead of storing indices, so it needs no int buffer on any device.
 * Average pooling counts padded zeros (PyTorch's default {@code count_include_pad=True}).
 */
public final class Pool {
    private Pool() {
    }

    /**
     * Items: planes. Separable: the window's rows are first reduced column by column into a row
     * buffer (a vector loop), then each output takes the maximum of its columns in that row.
     */
    public record MaxForward(PoolShape s, Slice x, Slice y) implements Step {
        public MaxForward {
            s.check(x, y);
        }

        @Override
        public JvmTask jvm(int workers) {
            float[][] rows = new float[workers][s.w()];
            return new JvmTask(s.planes(), (from, to, w) -> {
                float[] X = x.f(), Y = y.f(), row = rows[w];
                int h = s.h(), wd = s.w(), oh = s.oh(), ow = s.ow(), k = s.k(), st = s.stride(), pad = s.pad();
                for (int p = from; p < to; p++) {
                    int xp = x.offset() + p * h * wd, yp = y.offset() + p * oh * ow;
                    for (int oy = 0; oy < oh; oy++) {
                        int y0 = Math.max(0, oy * st - pad), y1 = Math.min(h, oy * st - pad + k);
                        System.arraycopy(X, xp + y0 * wd, row, 0, wd);
                        for (int iy = y0 + 1; iy < y1; iy++) {
                            int o = xp + iy * wd;
                            for (int ix = 0; ix < wd; ix++) {
                                row[ix] = Math.max(row[ix], X[o + ix]);
                            }
                        }
                        int yr = yp + oy * ow, ox = 0;
                        if (k == 3) {
                            // the 3-wide windows inside the row, unrolled (a loop of 2 per output costs more than its maxima)
                            int lo = Math.min(ow, (pad + st - 1) / st), hi = Math.min(ow, Math.floorDiv(wd - 3 + pad, st) + 1);
                            for (; ox < lo; ox++) {
                                Y[yr + ox] = rowMax(row, Math.max(0, ox * st - pad), Math.min(wd, ox * st - pad + k));
                            }
                            for (int i = ox * st - pad; ox < hi; ox++, i += st) {
                                Y[yr + ox] = Math.max(Math.max(row[i], row[i + 1]), row[i + 2]);
                            }
                        }
                        for (; ox < ow; ox++) {
                            Y[yr + ox] = rowMax(row, Math.max(0, ox * st - pad), Math.min(wd, ox * st - pad + k));
                        }
                    }
                }
            });
        }
    }

    /** Maximum of {@code row[x0 .. x1)}. */
    static float rowMax(float[] row, int x0, int x1) {
        float m = row[x0];
        for (int ix = x0 + 1; ix < x1; ix++) {
            m = Math.max(m, row[ix]);
        }
        return m;
    }

    /**
     * Routes each output's gradient to the first element of its window equal to the forward
     * maximum {@code y} (no index buffer, so nothing but floats on any device). Items: planes.
     */
    public record MaxBackward(PoolShape s, Slice x, Slice y, Slice dy, Slice dx, boolean accumulate) implements Step {
        public MaxBackward {
            s.check(x, dy);
            s.check(dx, y);
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(s.planes(), (from, to, w) -> {
                float[] X = x.f(), Y = y.f(), DY = dy.f(), DX = dx.f();
                int h = s.h(), wd = s.w(), oh = s.oh(), ow = s.ow(), k = s.k(), st = s.stride(), pad = s.pad(), hw = h * wd;
                for (int p = from; p < to; p++) {
                    int xp = x.offset() + p * hw, yp = p * oh * ow, gp = dx.offset() + p * hw;
                    if (!accumulate) {
                        java.util.Arrays.fill(DX, gp, gp + hw, 0f);
                    }
                    for (int oy = 0; oy < oh; oy++) {
                        int y0 = Math.max(0, oy * st - pad), y1 = Math.min(h, oy * st - pad + k);
                        for (int ox = 0; ox < ow; ox++) {
                            int x0 = Math.max(0, ox * st - pad), x1 = Math.min(wd, ox * st - pad + k);
                            float m = Y[y.offset() + yp + oy * ow + ox];
                            int at = k == 3 && y1 - y0 == 3 && x1 - x0 == 3
                                    ? y0 * wd + x0 + first3x3(X, xp + y0 * wd + x0, wd, m)
                                    : first(X, xp, wd, y0, y1, x0, x1, m);
                            DX[gp + at] += DY[dy.offset() + yp + oy * ow + ox];
                        }
                    }
                }
            });
        }
    }

    /**
     * Offset in the plane of the first element of the window equal to {@code m} (the window's start
     * if none). Scans the whole window backwards with a select instead of stopping at the first
     * match: where the maximum sits is data, so a branch on it is often mispredicted.
     */
    static int first(float[] x, int xp, int w, int y0, int y1, int x0, int x1, float m) {
        int at = y0 * w + x0;
        for (int iy = y1 - 1; iy >= y0; iy--) {
            for (int ix = x1 - 1; ix >= x0; ix--) {
                int o = iy * w + ix;
                at = x[xp + o] == m ? o : at;
            }
        }
        return at;
    }

    /** {@link #first} for a whole 3x3 window at {@code q}, unrolled: the offset from q of its first element equal to m. */
    static int first3x3(float[] x, int q, int w, float m) {
        int at = 0;
        at = x[q + 2 * w + 2] == m ? 2 * w + 2 : at;
        at = x[q + 2 * w + 1] == m ? 2 * w + 1 : at;
        at = x[q + 2 * w] == m ? 2 * w : at;
        at = x[q + w + 2] == m ? w + 2 : at;
        at = x[q + w + 1] == m ? w + 1 : at;
        at = x[q + w] == m ? w : at;
        at = x[q + 2] == m ? 2 : at;
        at = x[q + 1] == m ? 1 : at;
        return x[q] == m ? 0 : at;
    }

    public record AvgForward(PoolShape s, Slice x, Slice y) implements Step {
        public AvgForward {
            s.check(x, y);
        }

        @Override
        public JvmTask jvm(int workers) {
            float inv = 1f / (s.k() * s.k());
            return new JvmTask(s.planes(), (from, to, w) -> {
                float[] X = x.f(), Y = y.f();
                for (int p = from; p < to; p++) {
                    int xp = x.offset() + p * s.h() * s.w(), yp = y.offset() + p * s.oh() * s.ow();
                    for (int oy = 0; oy < s.oh(); oy++) {
                        for (int ox = 0; ox < s.ow(); ox++) {
                            float acc = 0f;
                            for (int ky = 0; ky < s.k(); ky++) {
                                int iy = oy * s.stride() - s.pad() + ky;
                                for (int kx = 0; kx < s.k(); kx++) {
                                    int ix = ox * s.stride() - s.pad() + kx;
                                    if (iy >= 0 && iy < s.h() && ix >= 0 && ix < s.w()) {
                                        acc += X[xp + iy * s.w() + ix];
                                    }
                                }
                            }
                            Y[yp + oy * s.ow() + ox] = acc * inv;
                        }
                    }
                }
            });
        }
    }

    public record AvgBackward(PoolShape s, Slice dy, Slice dx, boolean accumulate) implements Step {
        public AvgBackward {
            s.check(dx, dy);
        }

        @Override
        public JvmTask jvm(int workers) {
            float inv = 1f / (s.k() * s.k());
            return new JvmTask(s.planes(), (from, to, w) -> {
                float[] DY = dy.f(), DX = dx.f();
                int hw = s.h() * s.w();
                for (int p = from; p < to; p++) {
                    int yp = dy.offset() + p * s.oh() * s.ow(), gp = dx.offset() + p * hw;
                    if (!accumulate) {
                        java.util.Arrays.fill(DX, gp, gp + hw, 0f);
                    }
                    for (int oy = 0; oy < s.oh(); oy++) {
                        for (int ox = 0; ox < s.ow(); ox++) {
                            float g = DY[yp + oy * s.ow() + ox] * inv;
                            for (int ky = 0; ky < s.k(); ky++) {
                                int iy = oy * s.stride() - s.pad() + ky;
                                for (int kx = 0; kx < s.k(); kx++) {
                                    int ix = ox * s.stride() - s.pad() + kx;
                                    if (iy >= 0 && iy < s.h() && ix >= 0 && ix < s.w()) {
                                        DX[gp + iy * s.w() + ix] += g;
                                    }
                                }
                            }
                        }
                    }
                }
            });
        }
    }
}
