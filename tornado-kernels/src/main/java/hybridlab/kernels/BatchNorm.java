package hybridlab.kernels;

/**
 * Batch normalisation over NCHW maps, per channel over (batch, h, w), optionally fused with the
 * activation that follows it ({@code act}, null for none): the normalised map is never stored;
 * backward recomputes it from the input and the saved statistics.
 *
 * <p>Training mode saves mean and 1/std and updates the running statistics as PyTorch does
 * (momentum; unbiased running variance); eval mode uses the running statistics.
 *
 * <p>The JVM kernels take a block of {@link #CHANNELS} channels per work item and walk it
 * image by image: the block's planes are contiguous within an image, whereas one channel's
 * planes are a whole image apart, a power-of-two stride that makes every plane of a channel
 * compete for the same cache sets. Statistics are per-plane mean and squared deviations,
 * combined over the images in order (Chan et al.), so one pass over memory suffices.
 */
public final class BatchNorm {
    private BatchNorm() {
    }

    /** Channels per work item. */
    static final int CHANNELS = 8;

    static void checkMaps(int batch, int channels, int hw, Slice... maps) {
        for (Slice s : maps) {
            Channels.needMap(s, batch, channels, hw, "bn map");
        }
    }

    static int blocks(int channels) {
        return (channels + CHANNELS - 1) / CHANNELS;
    }

    /** Items: blocks of channels (each reduces over the whole batch in a fixed order). */
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
            float[][] stats = new float[workers][3 * CHANNELS];
            return new JvmTask(blocks(channels), (from, to, w) -> {
                float[] X = x.f(), st = stats[w];
                for (int blk = from; blk < to; blk++) {
                    int c0 = blk * CHANNELS, c1 = Math.min(channels, c0 + CHANNELS), cb = c1 - c0;
                    // st[i] = running mean, st[CHANNELS + i] = running sum of squared deviations
                    java.util.Arrays.fill(st, 0f);
                    for (int b = 0; b < batch; b++) {
                        for (int i = 0; i < cb; i++) {
                            int o = x.offset() + (b * channels + c0 + i) * hw;
                            float pm = Reductions.sum(X, o, hw) / hw, pm2 = Reductions.squaredDeviation(X, o, hw, pm);
                            float count = (float) b * hw, total = count + hw, delta = pm - st[i];
                            st[i] += delta * hw / total;
                            st[CHANNELS + i] += pm2 + delta * delta * count * hw / total;
                        }
                    }
                    for (int i = 0; i < cb; i++) {
                        int c = c0 + i;
                        float mu = st[i], var = st[CHANNELS + i] / n;
                        float rs = (float) (1.0 / Math.sqrt(var + eps));
                        mean.f()[mean.offset() + c] = mu;
                        rstd.f()[rstd.offset() + c] = rs;
                        float[] RM = runMean.f(), RV = runVar.f();
                        RM[runMean.offset() + c] = (1f - momentum) * RM[runMean.offset() + c] + momentum * mu;
                        float unbiased = n > 1 ? var * n / (n - 1) : var;
                        RV[runVar.offset() + c] = (1f - momentum) * RV[runVar.offset() + c] + momentum * unbiased;
                        float sc = rs * gamma.f()[gamma.offset() + c];
                        st[i] = sc;
                        st[CHANNELS + i] = beta.f()[beta.offset() + c] - mu * sc;
                    }
                    normalize(X, x.offset(), y.f(), y.offset(), c0, cb, batch, channels, hw, st, act);
                }
            });
        }
    }

    /** {@code y = act(x * scale + shift)} for channels {@code c0 .. c0+cb} of every image; {@code st} holds scale, shift. */
    static void normalize(float[] X, int xo, float[] Y, int yo, int c0, int cb, int batch, int channels, int hw,
                          float[] st, Activation.Kind act) {
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < cb; i++) {
                int o = (b * channels + c0 + i) * hw;
                Reductions.affine(X, xo + o, Y, yo + o, hw, st[i], st[CHANNELS + i]);
                if (act != null) {
                    Activation.forward(act, Y, yo + o, Y, yo + o, 0, hw);
                }
            }
        }
    }

    /**
     * Eval-mode batch norm and activation of a convolution's output channels, which {@link Gemm}
     * (per row of a tile), {@link Conv.Forward} and {@link DepthwiseConv.Forward} (per plane) apply
     * while their output is still in cache: the map is then written once, already normalised,
     * instead of stored and read back by {@link Eval}. Same arithmetic as {@link Eval}, so the two
     * agree bit for bit.
     */
    public record RowEpilogue(Slice gamma, Slice beta, Slice runMean, Slice runVar, float eps, Activation.Kind act) {
        public RowEpilogue {
            for (Slice s : new Slice[] {gamma, beta, runMean, runVar}) {
                java.util.Objects.requireNonNull(s, "batch-norm epilogue statistics");
            }
        }

        /** What a kernel's plan label appends for its epilogue ({@code ""} for none). */
        static String label(RowEpilogue norm) {
            return norm == null ? "" : " +bn" + (norm.act() == null ? "" : "+" + norm.act());
        }

        void check(int channels) {
            for (Slice s : new Slice[] {gamma, beta, runMean, runVar}) {
                Elementwise.need(s, channels, "bn epilogue per-channel");
            }
        }

        /** {@code act(c * scale + shift)} over {@code C[offset .. offset + n)}, a run of channel {@code channel}. */
        void apply(float[] C, int offset, int n, int channel) {
            float scale = scale(gamma, runVar, eps, channel);
            Reductions.affine(C, offset, C, offset, n, scale, shift(beta, runMean, scale, channel));
            if (act != null) {
                Activation.forward(act, C, offset, C, offset, 0, n);
            }
        }
    }

    /** {@code gamma / sqrt(runVar + eps)}: eval mode's scale of channel c. */
    static float scale(Slice gamma, Slice runVar, float eps, int c) {
        float rs = (float) (1.0 / Math.sqrt(runVar.f()[runVar.offset() + c] + eps));
        return rs * gamma.f()[gamma.offset() + c];
    }

    /** {@code beta - runMean * scale}: eval mode's shift of channel c. */
    static float shift(Slice beta, Slice runMean, float scale, int c) {
        return beta.f()[beta.offset() + c] - runMean.f()[runMean.offset() + c] * scale;
    }

    /** Running statistics instead of batch ones. Items: blocks of channels. */
    public record Eval(Slice x, Slice gamma, Slice beta, Slice runMean, Slice runVar, Slice y,
                       int batch, int channels, int hw, float eps, Activation.Kind act) implements Step {
        public Eval {
            checkMaps(batch, channels, hw, x, y);
        }

        @Override
        public JvmTask jvm(int workers) {
            float[][] stats = new float[workers][2 * CHANNELS];
            return new JvmTask(blocks(channels), (from, to, w) -> {
                float[] st = stats[w];
                for (int blk = from; blk < to; blk++) {
                    int c0 = blk * CHANNELS, cb = Math.min(channels, c0 + CHANNELS) - c0;
                    for (int i = 0; i < cb; i++) {
                        st[i] = scale(gamma, runVar, eps, c0 + i);
                        st[CHANNELS + i] = shift(beta, runMean, st[i], c0 + i);
                    }
                    normalize(x.f(), x.offset(), y.f(), y.offset(), c0, cb, batch, channels, hw, st, act);
                }
            });
        }
    }

    /**
     * Input and parameter gradients of training-mode batch norm (through the fused activation
     * if any): with {@code g = act'(z) dy}, {@code dx (+)= gamma rstd / n (n g - sum g - xhat sum(g xhat))}.
     * Items: blocks of channels.
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
            // with an activation, g is computed once (pass 1) and kept for pass 2
            float[][] gbuf = new float[workers][act == null ? 0 : batch * CHANNELS * hw];
            float[][] sums = new float[workers][5 * CHANNELS];
            return new JvmTask(blocks(channels), (from, to, w) -> {
                float[] X = x.f(), DX = dx.f(), s = sums[w];
                float[] G = act == null ? dy.f() : gbuf[w];
                for (int blk = from; blk < to; blk++) {
                    int c0 = blk * CHANNELS, cb = Math.min(channels, c0 + CHANNELS) - c0;
                    // per channel i: s[i] sum g, s[8+i] sum g (x - mu), s[16+i] mu, s[24+i] scale, s[32+i] shift
                    for (int i = 0; i < cb; i++) {
                        int c = c0 + i;
                        float mu = mean.f()[mean.offset() + c], rs = rstd.f()[rstd.offset() + c];
                        s[i] = 0f;
                        s[CHANNELS + i] = 0f;
                        s[2 * CHANNELS + i] = mu;
                        s[3 * CHANNELS + i] = rs * gamma.f()[gamma.offset() + c];
                        s[4 * CHANNELS + i] = beta.f()[beta.offset() + c] - mu * s[3 * CHANNELS + i];
                    }
                    for (int b = 0; b < batch; b++) {
                        for (int i = 0; i < cb; i++) {
                            int o = (b * channels + c0 + i) * hw;
                            int go = act == null ? dy.offset() + o : (b * CHANNELS + i) * hw;
                            if (act != null) {
                                Reductions.affine(X, x.offset() + o, G, go, hw, s[3 * CHANNELS + i], s[4 * CHANNELS + i]);
                                Activation.backward(act, G, go, dy.f(), dy.offset() + o, G, go, 0, hw, false);
                            }
                            s[i] += Reductions.sum(G, go, hw);
                            s[CHANNELS + i] += Reductions.centeredDot(G, go, X, x.offset() + o, hw, s[2 * CHANNELS + i]);
                        }
                    }
                    float[] DG = dgamma.f(), DB = dbeta.f();
                    for (int i = 0; i < cb; i++) {
                        int c = c0 + i;
                        float rs = rstd.f()[rstd.offset() + c];
                        float sg = s[i], sgx = s[CHANNELS + i] * rs, mu = s[2 * CHANNELS + i];
                        int gi = dgamma.offset() + c, bi = dbeta.offset() + c;
                        DG[gi] = accumulateParams ? DG[gi] + sgx : sgx;
                        DB[bi] = accumulateParams ? DB[bi] + sg : sg;
                        // dx = k (n g - sg - xhat sgx), xhat = (x - mu) rs, as a g + b x + c
                        float k = gamma.f()[gamma.offset() + c] * rs / n;
                        s[i] = k * n;
                        s[CHANNELS + i] = -k * rs * sgx;
                        s[2 * CHANNELS + i] = k * rs * sgx * mu - k * sg;
                    }
                    for (int b = 0; b < batch; b++) {
                        for (int i = 0; i < cb; i++) {
                            int o = (b * channels + c0 + i) * hw;
                            int go = act == null ? dy.offset() + o : (b * CHANNELS + i) * hw;
                            Reductions.combine(G, go, X, x.offset() + o, DX, dx.offset() + o, hw, s[i], s[CHANNELS + i],
                                    s[2 * CHANNELS + i], accumulate);
                        }
                    }
                }
            });
        }
    }
}
