package hybridlab.kernels;

/**
 * Batch normalisation over NCHW maps, per channel over (batch, h, w), optionally fused with the
 * activation that follows it ({@code act}, null for none): the normalised map is never stored;
 * backward recomputes it from the input and the saved statistics.
 *
 * <p>Training mode saves mean and 1/std and updates the running statistics as PyTorch does
 * (momentum; unbiased running variance); eval mode uses the running statistics.
 */
public final class BatchNorm {
    private BatchNorm() {
    }

    static void checkMaps(int batch, int channels, int hw, Slice... maps) {
        for (Slice s : maps) {
            Channels.needMap(s, batch, channels, hw, "bn map");
        }
    }

    /** Items: channels (each reduces over the whole batch in a fixed order). */
    public record Train(Slice x, Slice gamma, Slice beta, Slice y, Slice mean, Slice rstd, Slice runMean, Slice runVar,
                        int batch, int channels, int hw, float eps, float momentum, Activation.Kind act) implements Step {
        public Train {
            checkMaps(batch, channels, hw, x, y);
            for (Slice s : new Slice[] {gamma, beta, mean, rstd, runMean, runVar}) {
                Elementwise.need(s, channels, "bn per-channel");
            }
        }

        @Override
        public String label() {
            return "BatchNorm(train" + (act == null ? "" : "+" + act) + ") " + channels + " x " + hw;
        }

        @Override
        public JvmTask jvm(int workers) {
            int n = batch * hw;
            return new JvmTask(channels, (from, to, w) -> {
                float[] X = x.f(), Y = y.f();
                for (int c = from; c < to; c++) {
                    float sum = 0f;
                    for (int b = 0; b < batch; b++) {
                        sum += Reductions.sum(X, x.offset() + (b * channels + c) * hw, hw);
                    }
                    float mu = sum / n, sq = 0f;
                    for (int b = 0; b < batch; b++) {
                        sq += Reductions.squaredDeviation(X, x.offset() + (b * channels + c) * hw, hw, mu);
                    }
                    float var = sq / n;
                    float rs = (float) (1.0 / Math.sqrt(var + eps));
                    mean.f()[mean.offset() + c] = mu;
                    rstd.f()[rstd.offset() + c] = rs;
                    float[] RM = runMean.f(), RV = runVar.f();
                    RM[runMean.offset() + c] = (1f - momentum) * RM[runMean.offset() + c] + momentum * mu;
                    float unbiased = n > 1 ? var * n / (n - 1) : var;
                    RV[runVar.offset() + c] = (1f - momentum) * RV[runVar.offset() + c] + momentum * unbiased;
                    float scale = rs * gamma.f()[gamma.offset() + c], shift = beta.f()[beta.offset() + c] - mu * scale;
                    normalize(X, x.offset(), Y, y.offset(), c, batch, channels, hw, scale, shift, act);
                }
            });
        }
    }

    /** {@code y = act(x * scale + shift)} over channel c of every image. */
    static void normalize(float[] X, int xo, float[] Y, int yo, int c, int batch, int channels, int hw, float scale,
                          float shift, Activation.Kind act) {
        for (int b = 0; b < batch; b++) {
            int o = (b * channels + c) * hw;
            Reductions.affine(X, xo + o, Y, yo + o, hw, scale, shift);
            if (act != null) {
                Activation.forward(act, Y, yo + o, Y, yo + o, 0, hw);
            }
        }
    }

    /** Running statistics instead of batch ones. Items: channels. */
    public record Eval(Slice x, Slice gamma, Slice beta, Slice runMean, Slice runVar, Slice y,
                       int batch, int channels, int hw, float eps, Activation.Kind act) implements Step {
        public Eval {
            checkMaps(batch, channels, hw, x, y);
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(channels, (from, to, w) -> {
                for (int c = from; c < to; c++) {
                    float rs = (float) (1.0 / Math.sqrt(runVar.f()[runVar.offset() + c] + eps));
                    float scale = rs * gamma.f()[gamma.offset() + c];
                    float shift = beta.f()[beta.offset() + c] - runMean.f()[runMean.offset() + c] * scale;
                    normalize(x.f(), x.offset(), y.f(), y.offset(), c, batch, channels, hw, scale, shift, act);
                }
            });
        }
    }

    /**
     * Input and parameter gradients of training-mode batch norm (through the fused activation
     * if any): with {@code g = act'(z) dy}, {@code dx (+)= gamma rstd / n (n g - sum g - xhat sum(g xhat))}.
     * Items: channels.
     */
    public record Backward(Slice x, Slice dy, Slice gamma, Slice beta, Slice mean, Slice rstd, Slice dx,
                           Slice dgamma, Slice dbeta, int batch, int channels, int hw,
                           boolean accumulate, boolean accumulateParams, Activation.Kind act) implements Step {
        public Backward {
            checkMaps(batch, channels, hw, x, dy, dx);
        }

        @Override
        public JvmTask jvm(int workers) {
            int n = batch * hw;
            float[][] gbuf = new float[workers][act == null ? 0 : batch * hw];
            return new JvmTask(channels, (from, to, w) -> {
                float[] X = x.f(), DX = dx.f();
                for (int c = from; c < to; c++) {
                    float mu = mean.f()[mean.offset() + c], rs = rstd.f()[rstd.offset() + c];
                    float gam = gamma.f()[gamma.offset() + c];
                    // g: the gradient reaching the normalised map, in gbuf (fused) or dy itself
                    float[] G = act == null ? dy.f() : gbuf[w];
                    float scale = rs * gam, shift = beta.f()[beta.offset() + c] - mu * scale;
                    float sg = 0f, sgx = 0f;
                    for (int b = 0; b < batch; b++) {
                        int o = (b * channels + c) * hw;
                        int go = act == null ? dy.offset() + o : b * hw;
                        if (act != null) {
                            Reductions.affine(X, x.offset() + o, G, go, hw, scale, shift);
                            Activation.backward(act, G, go, dy.f(), dy.offset() + o, G, go, 0, hw, false);
                        }
                        sg += Reductions.sum(G, go, hw);
                        sgx += Reductions.centeredDot(G, go, X, x.offset() + o, hw, mu);
                    }
                    sgx *= rs;
                    float[] DG = dgamma.f(), DB = dbeta.f();
                    int gi = dgamma.offset() + c, bi = dbeta.offset() + c;
                    DG[gi] = accumulateParams ? DG[gi] + sgx : sgx;
                    DB[bi] = accumulateParams ? DB[bi] + sg : sg;
                    // dx = k (n g - sg - xhat sgx), xhat = (x - mu) rs, as a g + b x + c
                    float k = gam * rs / n, ca = k * n, cb = -k * rs * sgx, cc = k * rs * sgx * mu - k * sg;
                    for (int b = 0; b < batch; b++) {
                        int o = (b * channels + c) * hw;
                        int go = act == null ? dy.offset() + o : b * hw;
                        Reductions.combine(G, go, X, x.offset() + o, DX, dx.offset() + o, hw, ca, cb, cc, accumulate);
                    }
                }
            });
        }
    }
}
