package hybridlab.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * Device twins of {@link Gemm}: {@code C[b] (+)= A[b] . B[b]} over strided views (a view is an
 * offset plus row, column and batch strides), the sum over the batch when C has no batch stride,
 * and the optional bias as a second task.
 *
 * <p>Each work-item computes {@link #TM} rows of one column of C, so every element of B it loads
 * serves {@link #TM} products (register tiling; neighbouring work-items run over neighbouring
 * columns). Each element is one sum over {@code k} in order (and over the batch in order, then
 * over {@code k}, for the batch sum): deterministic, and free of the JVM kernel's fixed
 * {@code KC} blocking and partial sums, so the two agree to rounding, not bit for bit.
 */
public final class TornadoGemm {
    private TornadoGemm() {
    }

    /** Rows of C per work-item. */
    public static final int TM = 4;

    /** {@code C[bi] (+)= A[bi] . B[bi]} for every batch entry ({@code C} has its own batch stride). */
    public static void gemm(FloatArray mem, int aOff, int ars, int acs, int abs, int bOff, int brs, int bcs, int bbs, int cOff,
                            int crs, int ccs, int cbs, int batch, int m, int n, int k, int accumulate) {
        for (@Parallel int j = 0; j < Math.max(0, n); j++) {
            for (@Parallel int t = 0; t < (m + TM - 1) / TM; t++) {
                for (@Parallel int bi = 0; bi < Math.max(0, batch); bi++) {
                    int i = t * TM;
                    // rows past m re-read row i (their results are dropped), so no load is out of range
                    int r1 = i + 1 < m ? ars : 0, r2 = i + 2 < m ? 2 * ars : 0, r3 = i + 3 < m ? 3 * ars : 0;
                    int ap = aOff + bi * abs + i * ars, bp = bOff + bi * bbs + j * bcs;
                    float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                    for (int p = 0; p < k; p++) {
                        float bv = mem.get(bp + p * brs);
                        int q = ap + p * acs;
                        s0 += mem.get(q) * bv;
                        s1 += mem.get(q + r1) * bv;
                        s2 += mem.get(q + r2) * bv;
                        s3 += mem.get(q + r3) * bv;
                    }
                    store(mem, cOff + bi * cbs + i * crs + j * ccs, crs, m - i, s0, s1, s2, s3, accumulate);
                }
            }
        }
    }

    /** {@code C (+)= sum over bi of A[bi] . B[bi]} (a weight gradient summed over images). */
    public static void gemmSumBatch(FloatArray mem, int aOff, int ars, int acs, int abs, int bOff, int brs, int bcs, int bbs,
                                    int cOff, int crs, int ccs, int batch, int m, int n, int k, int accumulate) {
        for (@Parallel int j = 0; j < Math.max(0, n); j++) {
            for (@Parallel int t = 0; t < (m + TM - 1) / TM; t++) {
                int i = t * TM;
                int r1 = i + 1 < m ? ars : 0, r2 = i + 2 < m ? 2 * ars : 0, r3 = i + 3 < m ? 3 * ars : 0;
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                for (int bi = 0; bi < batch; bi++) {
                    int ap = aOff + bi * abs + i * ars, bp = bOff + bi * bbs + j * bcs;
                    for (int p = 0; p < k; p++) {
                        float bv = mem.get(bp + p * brs);
                        int q = ap + p * acs;
                        s0 += mem.get(q) * bv;
                        s1 += mem.get(q + r1) * bv;
                        s2 += mem.get(q + r2) * bv;
                        s3 += mem.get(q + r3) * bv;
                    }
                }
                store(mem, cOff + i * crs + j * ccs, crs, m - i, s0, s1, s2, s3, accumulate);
            }
        }
    }

    /** Writes (or adds) the first {@code rows} (at most {@link #TM}) of a column tile. */
    static void store(FloatArray c, int o, int crs, int rows, float s0, float s1, float s2, float s3, int accumulate) {
        c.set(o, accumulate != 0 ? c.get(o) + s0 : s0);
        if (rows > 1) {
            c.set(o + crs, accumulate != 0 ? c.get(o + crs) + s1 : s1);
        }
        if (rows > 2) {
            c.set(o + 2 * crs, accumulate != 0 ? c.get(o + 2 * crs) + s2 : s2);
        }
        if (rows > 3) {
            c.set(o + 3 * crs, accumulate != 0 ? c.get(o + 3 * crs) + s3 : s3);
        }
    }

    /** The bias of a {@link Gemm}: {@code C[bi, i, j] += bias[i]} ({@code perRow}) or {@code bias[j]}. */
    public static void bias(FloatArray mem, int cOff, int crs, int ccs, int cbs, int batch, int m, int n, int biasOff,
                            int perRow) {
        for (@Parallel int j = 0; j < Math.max(0, n); j++) {
            for (@Parallel int i = 0; i < Math.max(0, m); i++) {
                for (@Parallel int bi = 0; bi < Math.max(0, batch); bi++) {
                    int o = cOff + bi * cbs + i * crs + j * ccs;
                    mem.set(o, mem.get(o) + mem.get(biasOff + (perRow != 0 ? i : j)));
                }
            }
        }
    }
}
