package hybridlab.kernels;

/**
 * Max and average pooling over NCHW planes. Max-pool backward recomputes the window's first
 * maximum instead of storing indices, so it needs no int buffer on any device.
 * Average pooling counts padded zeros (PyTorch's default {@code count_include_pad=True}).
 */
public final class Pool {
    private Pool() {
    }

    public record MaxForward(PoolShape s, Slice x, Slice y) implements Step {
        public MaxForward {
            s.check(x, y);
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(s.planes(), (from, to, w) -> {
                float[] X = x.f(), Y = y.f();
                for (int p = from; p < to; p++) {
                    int xp = x.offset() + p * s.h() * s.w(), yp = y.offset() + p * s.oh() * s.ow();
                    for (int oy = 0; oy < s.oh(); oy++) {
                        for (int ox = 0; ox < s.ow(); ox++) {
                            Y[yp + oy * s.ow() + ox] = X[xp + argmax(s, X, xp, oy, ox)];
                        }
                    }
                }
            });
        }
    }

    /** Offset within the plane of the first maximum in window (oy, ox); padding never wins. */
    static int argmax(PoolShape s, float[] x, int xp, int oy, int ox) {
        int best = -1;
        float bv = Float.NEGATIVE_INFINITY;
        for (int ky = 0; ky < s.k(); ky++) {
            int iy = oy * s.stride() - s.pad() + ky;
            if (iy < 0 || iy >= s.h()) {
                continue;
            }
            for (int kx = 0; kx < s.k(); kx++) {
                int ix = ox * s.stride() - s.pad() + kx;
                if (ix < 0 || ix >= s.w()) {
                    continue;
                }
                float v = x[xp + iy * s.w() + ix];
                if (best < 0 || v > bv) {
                    best = iy * s.w() + ix;
                    bv = v;
                }
            }
        }
        return best;
    }

    public record MaxBackward(PoolShape s, Slice x, Slice dy, Slice dx, boolean accumulate) implements Step {
        public MaxBackward {
            s.check(x, dy);
            s.check(dx, dy);
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(s.planes(), (from, to, w) -> {
                float[] X = x.f(), DY = dy.f(), DX = dx.f();
                int hw = s.h() * s.w();
                for (int p = from; p < to; p++) {
                    int xp = x.offset() + p * hw, yp = dy.offset() + p * s.oh() * s.ow(), gp = dx.offset() + p * hw;
                    if (!accumulate) {
                        java.util.Arrays.fill(DX, gp, gp + hw, 0f);
                    }
                    for (int oy = 0; oy < s.oh(); oy++) {
                        for (int ox = 0; ox < s.ow(); ox++) {
                            DX[gp + argmax(s, X, xp, oy, ox)] += DY[yp + oy * s.ow() + ox];
                        }
                    }
                }
            });
        }
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
