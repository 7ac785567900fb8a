package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device twins of {@link Gemm}: {@code C[b] (+)= A[b] . B[b]} over strided views (a view is an
 * offset plus row, column and batch strides), the sum over the batch when C has no batch stride,
 * and the optional bias added in the same task.
 *
 * <p>{@link #tiled} is the kernel the plan uses where the device takes work-groups of
 * {@link #GROUP} work-items: each work-group computes a {@link #TILE} x {@link #TILE} tile of C,
 * staging {@link #TILE} x {@link #KT} slices of A and B in local memory, and each work-item
 * keeps a 4 x 4 block of C in registers (rows {@code ty + 16 r}, columns {@code tx + 16 c}).
 * Every element is one sum over {@code k} in order (then over the batch in order for the batch
 * sum), the loop kernels' order, so it is deterministic. The bias is added to each stored element
 * in the same kernel (one task per product). {@link #gemm} and
 * {@link #gemmSumBatch} serve devices (or a forced limit) with smaller work-groups.
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

    /** Side of the C tile of one work-group of {@link #tiled}, its depth in {@code k}, and its work-group (16 x 16). */
    public static final int TILE = 64, KT = 16, SIDE = 16, GROUP = SIDE * SIDE;

    /** Bits of {@link #tiled}'s {@code flags}. */
    public static final int ACCUMULATE = 1, SUM_BATCH = 2, BIAS_PER_ROW = 4;

    /**
     * {@code C[bi] (+)= A[bi] . B[bi]}, or with {@link #SUM_BATCH} {@code C (+)= sum over bi},
     * then the bias (at {@code biasOff}, -1 for none; per row with {@link #BIAS_PER_ROW}, else
     * per column) added to the stored element, as the separate bias task did; tiled: launched as
     * {@code (ceil(n / TILE), ceil(m / TILE), sumBatch ? 1 : batch)} work-groups of
     * {@code (SIDE, SIDE, 1)}. args: aOff, ars, acs, abs, bOff, brs, bcs, bbs, cOff, crs, ccs, cbs,
     * batch, m, n, k, flags, biasOff, in that order.
     */
    public static void tiled(KernelContext ctx, FloatArray mem, IntArray args) {
        int aOff = args.get(0), ars = args.get(1), acs = args.get(2), abs = args.get(3);
        int bOff = args.get(4), brs = args.get(5), bcs = args.get(6), bbs = args.get(7);
        int cOff = args.get(8), crs = args.get(9), ccs = args.get(10), cbs = args.get(11);
        int batch = args.get(12), m = args.get(13), n = args.get(14), k = args.get(15), flags = args.get(16);
        int biasOff = args.get(17);
        int accumulate = flags & ACCUMULATE, sumBatch = flags & SUM_BATCH, perRow = flags & BIAS_PER_ROW;
        float[] as = ctx.allocateFloatLocalArray(1024);
        float[] bs = ctx.allocateFloatLocalArray(1024);
        int tx = ctx.localIdx, ty = ctx.localIdy;
        int lid = ty * 16 + tx;
        int j0 = ctx.groupIdx * 64, i0 = ctx.groupIdy * 64;
        int bFirst = sumBatch != 0 ? 0 : ctx.groupIdz;
        int bEnd = sumBatch != 0 ? batch : bFirst + 1;
        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f, c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f, c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;
        for (int bi = bFirst; bi < bEnd; bi++) {
            int ab = aOff + bi * abs, bb = bOff + bi * bbs;
            for (int k0 = 0; k0 < k; k0 += 16) {
                for (int q = 0; q < 4; q++) {
                    int e = lid + 256 * q;
                    // A slice as [kk][row]: consecutive work-items read consecutive kk of one row
                    int ar = e / 16, ak = e - ar * 16;
                    int row = i0 + ar, kk = k0 + ak;
                    float av = 0f;
                    if (row < m && kk < k) {
                        av = mem.get(ab + row * ars + kk * acs);
                    }
                    as[ak * 64 + ar] = av;
                    // B slice as [kk][col]: consecutive work-items read consecutive columns
                    int bk = e / 64, bc = e - bk * 64;
                    int col = j0 + bc, kb = k0 + bk;
                    float bv = 0f;
                    if (col < n && kb < k) {
                        bv = mem.get(bb + kb * brs + col * bcs);
                    }
                    bs[e] = bv;
                }
                ctx.localBarrier();
                int depth = Math.min(16, k - k0);
                for (int p = 0; p < depth; p++) {
                    int ao = p * 64 + ty, bo = p * 64 + tx;
                    float a0 = as[ao], a1 = as[ao + 16], a2 = as[ao + 32], a3 = as[ao + 48];
                    float b0 = bs[bo], b1 = bs[bo + 16], b2 = bs[bo + 32], b3 = bs[bo + 48];
                    c00 += a0 * b0;
                    c01 += a0 * b1;
                    c02 += a0 * b2;
                    c03 += a0 * b3;
                    c10 += a1 * b0;
                    c11 += a1 * b1;
                    c12 += a1 * b2;
                    c13 += a1 * b3;
                    c20 += a2 * b0;
                    c21 += a2 * b1;
                    c22 += a2 * b2;
                    c23 += a2 * b3;
                    c30 += a3 * b0;
                    c31 += a3 * b1;
                    c32 += a3 * b2;
                    c33 += a3 * b3;
                }
                ctx.localBarrier();
            }
        }
        int cb = cOff + (sumBatch != 0 ? 0 : bFirst * cbs);
        int r0 = i0 + ty, q0 = j0 + tx;
        storeRow(mem, cb, crs, ccs, m, n, r0, q0, c00, c01, c02, c03, accumulate, biasOff, perRow);
        storeRow(mem, cb, crs, ccs, m, n, r0 + 16, q0, c10, c11, c12, c13, accumulate, biasOff, perRow);
        storeRow(mem, cb, crs, ccs, m, n, r0 + 32, q0, c20, c21, c22, c23, accumulate, biasOff, perRow);
        storeRow(mem, cb, crs, ccs, m, n, r0 + 48, q0, c30, c31, c32, c33, accumulate, biasOff, perRow);
    }

    /** Writes (or adds) the four values of row {@code i} at columns {@code j, j + 16, j + 32, j + 48} that lie inside C. */
    static void storeRow(FloatArray mem, int cb, int crs, int ccs, int m, int n, int i, int j, float v0, float v1, float v2,
                         float v3, int accumulate, int biasOff, int perRow) {
        if (i < m) {
            int o = cb + i * crs;
            if (j < n) {
                storeOne(mem, o + j * ccs, v0, accumulate, biasOff, perRow != 0 ? i : j);
            }
            if (j + 16 < n) {
                storeOne(mem, o + (j + 16) * ccs, v1, accumulate, biasOff, perRow != 0 ? i : j + 16);
            }
            if (j + 32 < n) {
                storeOne(mem, o + (j + 32) * ccs, v2, accumulate, biasOff, perRow != 0 ? i : j + 32);
            }
            if (j + 48 < n) {
                storeOne(mem, o + (j + 48) * ccs, v3, accumulate, biasOff, perRow != 0 ? i : j + 48);
            }
        }
    }

    /** {@code c[o] = (accumulate ? c[o] + v : v)}, then {@code + bias[b]} when there is a bias. */
    static void storeOne(FloatArray mem, int o, float v, int accumulate, int biasOff, int b) {
        float t = accumulate != 0 ? mem.get(o) + v : v;
        mem.set(o, biasOff >= 0 ? t + mem.get(biasOff + b) : t);
    }

    /**
     * {@code C[bi] (+)= A[bi] . B[bi]} for every batch entry ({@code C} has its own batch stride),
     * then the bias (at {@code biasOff}, -1 for none; {@code bias[i]} with {@code perRow}, else
     * {@code bias[j]}) added to each stored element. args: aOff, ars, acs, abs, bOff, brs, bcs, bbs,
     * cOff, crs, ccs, cbs, batch, m, n, k, accumulate, biasOff, perRow, in that order.
     */
    public static void gemm(FloatArray mem, IntArray args) {
        int aOff = args.get(0), ars = args.get(1), acs = args.get(2), abs = args.get(3);
        int bOff = args.get(4), brs = args.get(5), bcs = args.get(6), bbs = args.get(7);
        int cOff = args.get(8), crs = args.get(9), ccs = args.get(10), cbs = args.get(11);
        int batch = args.get(12), m = args.get(13), n = args.get(14), k = args.get(15), accumulate = args.get(16);
        int biasOff = args.get(17), perRow = args.get(18);
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
                    int o = cOff + bi * cbs + i * crs + j * ccs;
                    store(mem, o, crs, m - i, s0, s1, s2, s3, accumulate);
                    if (biasOff >= 0) {
                        for (int r = 0; r < Math.min(TM, m - i); r++) {
                            mem.set(o + r * crs, mem.get(o + r * crs) + mem.get(biasOff + (perRow != 0 ? i + r : j)));
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code C (+)= sum over bi of A[bi] . B[bi]} (a weight gradient summed over images). args: aOff,
     * ars, acs, abs, bOff, brs, bcs, bbs, cOff, crs, ccs, batch, m, n, k, accumulate, in that order.
     */
    public static void gemmSumBatch(FloatArray mem, IntArray args) {
        int aOff = args.get(0), ars = args.get(1), acs = args.get(2), abs = args.get(3);
        int bOff = args.get(4), brs = args.get(5), bcs = args.get(6), bbs = args.get(7);
        int cOff = args.get(8), crs = args.get(9), ccs = args.get(10);
        int batch = args.get(11), m = args.get(12), n = args.get(13), k = args.get(14), accumulate = args.get(15);
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

    // Task bindings: the device tasks each step of Gemm adds to a graph (called by the backend's dispatch).

    /**
     * A product over the batch, or a sum over it when C has no batch stride; the bias added by the
     * same task. The tiled kernel where the device takes its 16 x 16 work-groups, else the loop
     * kernels; then the batch-norm epilogue, if any.
     */
    public static void bind(DeviceTasks t, Gemm s) {
        MatView a = s.a(), b = s.b(), c = s.c();
        boolean sumBatch = c.batchStride() == 0 && s.batch() > 1;
        int bias = s.biasMode() == Gemm.BiasMode.NONE ? -1 : t.at(s.bias());
        boolean perRow = s.biasMode() == Gemm.BiasMode.ROW;
        if (t.fitsGroup(GROUP, SIDE, SIDE)) {
            int flags = (s.accumulate() ? ACCUMULATE : 0) | (sumBatch ? SUM_BATCH : 0) | (perRow ? BIAS_PER_ROW : 0);
            t.graph().task(t.task(Launch.groups(new int[] {(s.n() + TILE - 1) / TILE, (s.m() + TILE - 1) / TILE, sumBatch ? 1 : s.batch()},
                            new int[] {SIDE, SIDE, 1})), TornadoGemm::tiled, t.ctx(),
                    t.heap(), t.args(t.at(a.slice()), a.rowStride(), a.colStride(), a.batchStride(),
                    t.at(b.slice()), b.rowStride(), b.colStride(), b.batchStride(),
                    t.at(c.slice()), c.rowStride(), c.colStride(), c.batchStride(),
                    s.batch(), s.m(), s.n(), s.k(), flags, bias));
        } else if (sumBatch) {
            // a bias is refused with a batch sum (Gemm's constructor)
            t.graph().task(t.task(Launch.loops(s.n(), (s.m() + TM - 1) / TM)), TornadoGemm::gemmSumBatch,
                    t.heap(), t.args(t.at(a.slice()), a.rowStride(), a.colStride(), a.batchStride(),
                    t.at(b.slice()), b.rowStride(), b.colStride(), b.batchStride(),
                    t.at(c.slice()), c.rowStride(), c.colStride(),
                    s.batch(), s.m(), s.n(), s.k(), DeviceTasks.flag(s.accumulate())));
        } else {
            t.graph().task(t.task(Launch.loops(s.n(), (s.m() + TM - 1) / TM, s.batch())), TornadoGemm::gemm,
                    t.heap(), t.args(t.at(a.slice()), a.rowStride(), a.colStride(), a.batchStride(),
                    t.at(b.slice()), b.rowStride(), b.colStride(), b.batchStride(),
                    t.at(c.slice()), c.rowStride(), c.colStride(), c.batchStride(),
                    s.batch(), s.m(), s.n(), s.k(), DeviceTasks.flag(s.accumulate()), bias, DeviceTasks.flag(perRow)));
        }
        TornadoBatchNorm.bindEpilogue(t, s.rowNorm(), c.slice(), s.batch(), s.m(), s.n());
    }
}
