package hybridlab.kernels;

/** Per-channel operations on NCHW maps viewed as {@code (batch, channels, hw)}. */
public final class Channels {
    private Channels() {
    }

    static void needMap(Slice s, int batch, int channels, int hw, String what) {
        Elementwise.need(s, (long) batch * channels * hw, what);
    }

    /** {@code db[c] (+)= sum over images and positions of dy[b, c, p]}. Items: channels. */
    public record BiasGrad(Slice dy, Slice db, int batch, int channels, int hw, boolean accumulate) implements Step {
        public BiasGrad {
            needMap(dy, batch, channels, hw, "bias grad dy");
            Elementwise.need(db, channels, "bias grad db");
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(channels, (from, to, w) -> {
                float[] DY = dy.f(), DB = db.f();
                for (int c = from; c < to; c++) {
                    float acc = 0f;
                    for (int b = 0; b < batch; b++) {
                        int o = dy.offset() + (b * channels + c) * hw;
                        for (int p = 0; p < hw; p++) {
                            acc += DY[o + p];
                        }
                    }
                    int o = db.offset() + c;
                    DB[o] = accumulate ? DB[o] + acc : acc;
                }
            });
        }
    }

    /** {@code y[b, c, p] (+)= x[b, c, p] * s[b, c]} (squeeze-excitation gating). Items: planes. */
    public record Scale(Slice x, Slice s, Slice y, int batch, int channels, int hw, boolean accumulate) implements Step {
        public Scale {
            needMap(x, batch, channels, hw, "channel scale x");
            needMap(y, batch, channels, hw, "channel scale y");
            Elementwise.need(s, (long) batch * channels, "channel scale s");
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(batch * channels, (from, to, w) -> {
                float[] X = x.f(), SC = s.f(), Y = y.f();
                for (int t = from; t < to; t++) {
                    float v = SC[s.offset() + t];
                    int xo = x.offset() + t * hw, yo = y.offset() + t * hw;
                    if (accumulate) {
                        for (int p = 0; p < hw; p++) {
                            Y[yo + p] += X[xo + p] * v;
                        }
                    } else {
                        for (int p = 0; p < hw; p++) {
                            Y[yo + p] = X[xo + p] * v;
                        }
                    }
                }
            });
        }
    }

    /** {@code ds[b, c] (+)= sum_p dy[b, c, p] * x[b, c, p]}. Items: planes. */
    public record ScaleGrad(Slice x, Slice dy, Slice ds, int batch, int channels, int hw, boolean accumulate) implements Step {
        public ScaleGrad {
            needMap(x, batch, channels, hw, "channel scale grad x");
            needMap(dy, batch, channels, hw, "channel scale grad dy");
            Elementwise.need(ds, (long) batch * channels, "channel scale grad ds");
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(batch * channels, (from, to, w) -> {
                float[] X = x.f(), DY = dy.f(), DS = ds.f();
                for (int t = from; t < to; t++) {
                    int xo = x.offset() + t * hw, yo = dy.offset() + t * hw;
                    float acc = 0f;
                    for (int p = 0; p < hw; p++) {
                        acc += DY[yo + p] * X[xo + p];
                    }
                    int o = ds.offset() + t;
                    DS[o] = accumulate ? DS[o] + acc : acc;
                }
            });
        }
    }

    /** {@code y[b, c] = mean_p x[b, c, p]} (global average pooling). Items: planes. */
    public record Mean(Slice x, Slice y, int batch, int channels, int hw) implements Step {
        public Mean {
            needMap(x, batch, channels, hw, "mean x");
            Elementwise.need(y, (long) batch * channels, "mean y");
        }

        @Override
        public JvmTask jvm(int workers) {
            float inv = 1f / hw;
            return new JvmTask(batch * channels, (from, to, w) -> {
                float[] X = x.f(), Y = y.f();
                for (int t = from; t < to; t++) {
                    int xo = x.offset() + t * hw;
                    float acc = 0f;
                    for (int p = 0; p < hw; p++) {
                        acc += X[xo + p];
                    }
                    Y[y.offset() + t] = acc * inv;
                }
            });
        }
    }

    /** {@code dx[b, c, p] (+)= dy[b, c] / hw}. Items: planes. */
    public record MeanGrad(Slice dy, Slice dx, int batch, int channels, int hw, boolean accumulate) implements Step {
        public MeanGrad {
            needMap(dx, batch, channels, hw, "mean grad dx");
            Elementwise.need(dy, (long) batch * channels, "mean grad dy");
        }

        @Override
        public JvmTask jvm(int workers) {
            float inv = 1f / hw;
            return new JvmTask(batch * channels, (from, to, w) -> {
                float[] DY = dy.f(), DX = dx.f();
                for (int t = from; t < to; t++) {
                    float v = DY[dy.offset() + t] * inv;
                    int o = dx.offset() + t * hw;
                    for (int p = 0; p < hw; p++) {
                        DX[o + p] = accumulate ? DX[o + p] + v : v;
                    }
                }
            });
        }
    }
}
