package hybridlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Operations on row-major {@code (rows, cols)} matrices: column sums and batched transposes. */
public final class Rows {
    private Rows() {
    }

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Columns per work item of {@link SumRows}; a multiple of every vector length. */
    static final int COLS_PER_ITEM = 256;

    /**
     * {@code dst[j] (+)= sum_i src[i * rowStride + j]} over {@code rows} rows, in row order: a
     * linear layer's bias gradient, a broadcast token's gradient, or the ordered sum of partial
     * weight gradients. Items: column blocks.
     */
    public record SumRows(Slice src, int rows, int cols, int rowStride, Slice dst, boolean accumulate) implements Step {
        public SumRows {
            Elementwise.need(src, (long) (rows - 1) * rowStride + cols, "sum rows src");
            Elementwise.need(dst, cols, "sum rows dst");
        }

        /** Rows stored back to back. */
        public SumRows(Slice src, int rows, int cols, Slice dst, boolean accumulate) {
            this(src, rows, cols, cols, dst, accumulate);
        }

        @Override
        public JvmTask jvm(int workers) {
            int items = (cols + COLS_PER_ITEM - 1) / COLS_PER_ITEM;
            return new JvmTask(items, (from, to, w) -> {
                float[] X = src.f(), D = dst.f();
                for (int t = from; t < to; t++) {
                    int j0 = t * COLS_PER_ITEM, j1 = Math.min(cols, j0 + COLS_PER_ITEM);
                    sumColumns(X, src.offset(), rows, rowStride, j0, j1, D, dst.offset(), accumulate);
                }
            });
        }
    }

    static void sumColumns(float[] x, int xo, int rows, int stride, int j0, int j1, float[] d, int dof, boolean accumulate) {
        int j = j0;
        for (int bound = j0 + S.loopBound(j1 - j0); j < bound; j += S.length()) {
            FloatVector acc = FloatVector.zero(S);
            for (int i = 0; i < rows; i++) {
                acc = acc.add(FloatVector.fromArray(S, x, xo + i * stride + j));
            }
            if (accumulate) {
                acc = acc.add(FloatVector.fromArray(S, d, dof + j));
            }
            acc.intoArray(d, dof + j);
        }
        for (; j < j1; j++) {
            float acc = 0f;
            for (int i = 0; i < rows; i++) {
                acc += x[xo + i * stride + j];
            }
            d[dof + j] = accumulate ? d[dof + j] + acc : acc;
        }
    }

    /**
     * {@code dst[b, j, i] (+)= src[b, i, j]}: NCHW maps {@code (B, C, HW)} to token sequences
     * {@code (B, HW, C)} and back. Items: (batch entry, block of 32 source rows).
     */
    public record Transpose(Slice src, Slice dst, int batch, int rows, int cols, boolean accumulate) implements Step {
        static final int TILE = 32;

        public Transpose {
            Elementwise.need(src, (long) batch * rows * cols, "transpose src");
            Elementwise.need(dst, (long) batch * rows * cols, "transpose dst");
        }

        @Override
        public JvmTask jvm(int workers) {
            int rb = (rows + TILE - 1) / TILE;
            return new JvmTask(batch * rb, (from, to, w) -> {
                float[] X = src.f(), Y = dst.f();
                for (int t = from; t < to; t++) {
                    int b = t / rb, i0 = (t % rb) * TILE, i1 = Math.min(rows, i0 + TILE);
                    int so = src.offset() + b * rows * cols, dof = dst.offset() + b * rows * cols;
                    for (int j0 = 0; j0 < cols; j0 += TILE) {
                        int j1 = Math.min(cols, j0 + TILE);
                        for (int i = i0; i < i1; i++) {
                            for (int j = j0; j < j1; j++) {
                                float v = X[so + i * cols + j];
                                int o = dof + j * rows + i;
                                Y[o] = accumulate ? Y[o] + v : v;
                            }
                        }
                    }
                }
            });
        }
    }
}
