package hybridlab.kernels;

/** Layer normalisation over the last dimension of {@code (rows, cols)} token matrices. */
public final class LayerNorm {
    private LayerNorm() {
    }

    /** Rows per work item. */
    static final int ROWS_PER_ITEM = 16;

    static int items(int rows) {
        return (rows + ROWS_PER_ITEM - 1) / ROWS_PER_ITEM;
    }

    /** {@code y = (x - mean) * rstd * gamma + beta}; saves mean and rstd per row. */
    public record Forward(Slice x, Slice gamma, Slice beta, Slice y, Slice mean, Slice rstd,
                          int rows, int cols, float eps) implements Step {
        public Forward {
            Elementwise.need(x, (long) rows * cols, "ln x");
            Elementwise.need(y, (long) rows * cols, "ln y");
            Elementwise.need(mean, rows, "ln mean");
            Elementwise.need(rstd, rows, "ln rstd");
        }

        @Override
        public String label() {
            return "LayerNorm " + rows + " x " + cols;
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(items(rows), (from, to, w) -> {
                float[] X = x.f(), Y = y.f(), G = gamma.f(), B = beta.f(), M = mean.f(), R = rstd.f();
                for (int i = from * ROWS_PER_ITEM, end = Math.min(rows, to * ROWS_PER_ITEM); i < end; i++) {
                    int xo = x.offset() + i * cols, yo = y.offset() + i * cols;
                    float sum = 0f;
                    for (int j = 0; j < cols; j++) {
                        sum += X[xo + j];
                    }
                    float mu = sum / cols, sq = 0f;
                    for (int j = 0; j < cols; j++) {
                        float d = X[xo + j] - mu;
                        sq += d * d;
                    }
                    float rs = (float) (1.0 / Math.sqrt(sq / cols + eps));
                    M[mean.offset() + i] = mu;
                    R[rstd.offset() + i] = rs;
                    for (int j = 0; j < cols; j++) {
                        Y[yo + j] = (X[xo + j] - mu) * rs * G[gamma.offset() + j] + B[beta.offset() + j];
                    }
                }
            });
        }
    }

    /** {@code dx (+)= rstd * (g - mean(g) - xhat * mean(g * xhat))} with {@code g = dy * gamma}. */
    public record Backward(Slice x, Slice dy, Slice gamma, Slice mean, Slice rstd, Slice dx,
                           int rows, int cols, boolean accumulate) implements Step {
        public Backward {
            Elementwise.need(x, (long) rows * cols, "ln x");
            Elementwise.need(dy, (long) rows * cols, "ln dy");
            Elementwise.need(dx, (long) rows * cols, "ln dx");
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(items(rows), (from, to, w) -> {
                float[] X = x.f(), DY = dy.f(), DX = dx.f(), G = gamma.f();
                for (int i = from * ROWS_PER_ITEM, end = Math.min(rows, to * ROWS_PER_ITEM); i < end; i++) {
                    int xo = x.offset() + i * cols, yo = dy.offset() + i * cols, o = dx.offset() + i * cols;
                    float mu = mean.f()[mean.offset() + i], rs = rstd.f()[rstd.offset() + i];
                    float sg = 0f, sgx = 0f;
                    for (int j = 0; j < cols; j++) {
                        float g = DY[yo + j] * G[gamma.offset() + j];
                        sg += g;
                        sgx += g * (X[xo + j] - mu) * rs;
                    }
                    sg /= cols;
                    sgx /= cols;
                    for (int j = 0; j < cols; j++) {
                        float xhat = (X[xo + j] - mu) * rs;
                        float v = rs * (DY[yo + j] * G[gamma.offset() + j] - sg - xhat * sgx);
                        DX[o + j] = accumulate ? DX[o + j] + v : v;
                    }
                }
            });
        }
    }

    /** {@code dgamma[j] (+)= sum_i dy * xhat}, {@code dbeta[j] (+)= sum_i dy}, rows in order. Items: column blocks. */
    public record ParamGrad(Slice x, Slice dy, Slice mean, Slice rstd, Slice dgamma, Slice dbeta,
                            int rows, int cols, boolean accumulate) implements Step {
        static final int COLS = 64;

        public ParamGrad {
            Elementwise.need(x, (long) rows * cols, "ln x");
            Elementwise.need(dy, (long) rows * cols, "ln dy");
            Elementwise.need(dgamma, cols, "ln dgamma");
            Elementwise.need(dbeta, cols, "ln dbeta");
        }

        @Override
        public JvmTask jvm(int workers) {
            float[][] sums = new float[2 * workers][COLS];
            return new JvmTask((cols + COLS - 1) / COLS, (from, to, w) -> {
                float[] X = x.f(), DY = dy.f(), M = mean.f(), R = rstd.f(), DG = dgamma.f(), DB = dbeta.f();
                float[] g = sums[2 * w], b = sums[2 * w + 1];
                for (int t = from; t < to; t++) {
                    int j0 = t * COLS, j1 = Math.min(cols, j0 + COLS);
                    java.util.Arrays.fill(g, 0f);
                    java.util.Arrays.fill(b, 0f);
                    for (int i = 0; i < rows; i++) {
                        float mu = M[mean.offset() + i], rs = R[rstd.offset() + i];
                        int xo = x.offset() + i * cols, yo = dy.offset() + i * cols;
                        for (int j = j0; j < j1; j++) {
                            float d = DY[yo + j];
                            g[j - j0] += d * (X[xo + j] - mu) * rs;
                            b[j - j0] += d;
                        }
                    }
                    for (int j = j0; j < j1; j++) {
                        DG[dgamma.offset() + j] = accumulate ? DG[dgamma.offset() + j] + g[j - j0] : g[j - j0];
                        DB[dbeta.offset() + j] = accumulate ? DB[dbeta.offset() + j] + b[j - j0] : b[j - j0];
                    }
                }
            });
        }
    }
}
