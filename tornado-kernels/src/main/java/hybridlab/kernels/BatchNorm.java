package hybridlab.kernels;

/**
 * Batch normalisation over NCHW maps: per channel statistics over (batch, h, w).
 * Training mode saves mean and 1/std for backward and updates running statistics as PyTorch
 * does (momentum, unbiased running variance); eval mode uses the running statistics.
 */
public final class BatchNorm {
    private BatchNorm() {
    }

    /** Items: channels (each computes its statistics over the whole batch in a fixed order). */
    public record Train(Slice x, Slice gamma, Slice beta, Slice y, Slice mean, Slice rstd,
                        Slice runMean, Slice runVar, int batch, int channels, int hw,
                        float eps, float momentum) implements Step {
        public Train {
            Channels.needMap(x, batch, channels, hw, "bn x");
            Channels.needMap(y, batch, channels, hw, "bn y");
            for (Slice s : new Slice[] {gamma, beta, mean, rstd, runMean, runVar}) {
                Elementwise.need(s, channels, "bn per-channel");
            }
        }

        @Override
        public String label() {
            return "BatchNorm(train) " + channels + " x " + hw;
        }

        @Override
        public JvmTask jvm(int workers) {
            int n = batch * hw;
            return new JvmTask(channels, (from, to, w) -> {
                float[] X = x.f(), Y = y.f(), G = gamma.f(), B = beta.f(), M = mean.f(), R = rstd.f(),
                        RM = runMean.f(), RV = runVar.f();
                for (int c = from; c < to; c++) {
                    float sum = 0f;
                    for (int b = 0; b < batch; b++) {
                        int o = x.offset() + (b * channels + c) * hw;
                        for (int p = 0; p < hw; p++) {
                            sum += X[o + p];
                        }
                    }
                    float mu = sum / n;
                    float sq = 0f;
                    for (int b = 0; b < batch; b++) {
                        int o = x.offset() + (b * channels + c) * hw;
                        for (int p = 0; p < hw; p++) {
                            float d = X[o + p] - mu;
                            sq += d * d;
                        }
                    }
                    float var = sq / n;
                    float rs = (float) (1.0 / Math.sqrt(var + eps));
                    M[mean.offset() + c] = mu;
                    R[rstd.offset() + c] = rs;
                    RM[runMean.offset() + c] = (1f - momentum) * RM[runMean.offset() + c] + momentum * mu;
                    float unbiased = n > 1 ? var * n / (n - 1) : var;
                    RV[runVar.offset() + c] = (1f - momentum) * RV[runVar.offset() + c] + momentum * unbiased;
                    float scale = rs * G[gamma.offset() + c], shift = B[beta.offset() + c] - mu * scale;
                    for (int b = 0; b < batch; b++) {
                        int xo = x.offset() + (b * channels + c) * hw, yo = y.offset() + (b * channels + c) * hw;
                        for (int p = 0; p < hw; p++) {
                            Y[yo + p] = X[xo + p] * scale + shift;
                        }
                    }
                }
            });
        }
    }

    /** {@code y = (x - runMean) / sqrt(runVar + eps) * gamma + beta}. Items: planes. */
    public record Eval(Slice x, Slice gamma, Slice beta, Slice runMean, Slice runVar, Slice y,
                       int batch, int channels, int hw, float eps) implements Step {
        public Eval {
            Channels.needMap(x, batch, channels, hw, "bn x");
            Channels.needMap(y, batch, channels, hw, "bn y");
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(batch * channels, (from, to, w) -> {
                float[] X = x.f(), Y = y.f();
                for (int t = from; t < to; t++) {
                    int c = t % channels;
                    float rs = (float) (1.0 / Math.sqrt(runVar.f()[runVar.offset() + c] + eps));
                    float scale = rs * gamma.f()[gamma.offset() + c];
                    float shift = beta.f()[beta.offset() + c] - runMean.f()[runMean.offset() + c] * scale;
                    int xo = x.offset() + t * hw, yo = y.offset() + t * hw;
                    for (int p = 0; p < hw; p++) {
                        Y[yo + p] = X[xo + p] * scale + shift;
                    }
                }
            });
        }
    }

    /**
     * Input and parameter gradients of training-mode batch norm. Items: channels.
     * {@code dx (+)= gamma * rstd / n * (n * dy - sum(dy) - xhat * sum(dy * xhat))}.
     */
    public record Backward(Slice x, Slice dy, Slice gamma, Slice mean, Slice rstd, Slice dx,
                           Slice dgamma, Slice dbeta, int batch, int channels, int hw,
                           boolean accumulate, boolean accumulateParams) implements Step {
        public Backward {
            Channels.needMap(x, batch, channels, hw, "bn x");
            Channels.needMap(dy, batch, channels, hw, "bn dy");
            Channels.needMap(dx, batch, channels, hw, "bn dx");
        }

        @Override
        public JvmTask jvm(int workers) {
            int n = batch * hw;
            return new JvmTask(channels, (from, to, w) -> {
                float[] X = x.f(), DY = dy.f(), DX = dx.f(), DG = dgamma.f(), DB = dbeta.f();
                for (int c = from; c < to; c++) {
                    float mu = mean.f()[mean.offset() + c], rs = rstd.f()[rstd.offset() + c];
                    float sdy = 0f, sdyx = 0f;
                    for (int b = 0; b < batch; b++) {
                        int xo = x.offset() + (b * channels + c) * hw, yo = dy.offset() + (b * channels + c) * hw;
                        for (int p = 0; p < hw; p++) {
                            float g = DY[yo + p];
                            sdy += g;
                            sdyx += g * (X[xo + p] - mu);
                        }
                    }
                    sdyx *= rs;
                    int go = dgamma.offset() + c, bo = dbeta.offset() + c;
                    DG[go] = accumulateParams ? DG[go] + sdyx : sdyx;
                    DB[bo] = accumulateParams ? DB[bo] + sdy : sdy;
                    float k = gamma.f()[gamma.offset() + c] * rs / n;
                    float mdy = sdy, mdx = sdyx;
                    for (int b = 0; b < batch; b++) {
                        int xo = x.offset() + (b * channels + c) * hw, yo = dy.offset() + (b * channels + c) * hw,
                                o = dx.offset() + (b * channels + c) * hw;
                        for (int p = 0; p < hw; p++) {
                            float xhat = (X[xo + p] - mu) * rs;
                            float g = k * (n * DY[yo + p] - mdy - xhat * mdx);
                            DX[o + p] = accumulate ? DX[o + p] + g : g;
                        }
                    }
                }
            });
        }
    }
}
