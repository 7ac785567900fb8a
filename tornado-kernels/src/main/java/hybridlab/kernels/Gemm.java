package hybridlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batched matrix product {@code C[b] (m x n) = A[b] (m x k) . B[b] (k x n)}, optionally added to
 * C, plus an optional bias per row or per column of C, then optionally an eval-mode batch norm
 * and activation of each row ({@code rowNorm}: C is a channels x pixels map, as in a 1x1 conv).
 *
 * <p>When {@code c.batchStride() == 0} and {@code batch > 1}, the batch is a reduction: all
 * products are summed into one C (the weight gradient of a layer applied per image).
 *
 * <p>The JVM kernel packs blocks of A and B into per-thread buffers (zero-padded panels of
 * {@link #MR} rows and {@link #NR} columns; row-major operands are read in place) and runs an
 * {@code MR x NR} register-tiled micro-kernel on the Vector API (4 rows or {@code NR_NARROW}
 * columns where that avoids a ragged tile). The sum over k is always cut into the same
 * {@link #KC} blocks in the same order, so results do not depend on how tiles are spread over
 * threads.
 */
public record Gemm(MatView a, MatView b, MatView c, int batch, int m, int n, int k,
                   boolean accumulate, Slice bias, BiasMode biasMode, BatchNorm.RowEpilogue rowNorm) implements Step {

    /** Where the optional bias is added: none, {@code bias[i]} per row, {@code bias[j]} per column. */
    public enum BiasMode { NONE, ROW, COL }

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /**
     * Micro-tile: MR rows of A times NR columns of B. Four vectors wide where vectors have 16
     * lanes (AVX-512: 32 registers hold the 24 accumulators; 10 loads per 24 FMAs instead of 8
     * per 12), two vectors wide on 16-register machines. Panels of 4 rows fill out row counts
     * that are not multiples of 6 ({@link #panelRows}). The tile shape never changes a result:
     * every element is the same chain of FMAs over k.
     */
    static final int MR = 6;
    static final int NR = (L >= 16 ? 4 : 2) * L;
    /** Width of the narrow kernel, for a last panel at most this wide (n = 32 on AVX-512). */
    static final int NR_NARROW = 2 * L;
    /** Depth of one packed block; fixed, so the summation order is fixed. */
    static final int KC = 256;
    static final int MC_MAX = 16 * MR;
    static final int NC_MAX = 16 * NR_NARROW;

    public Gemm {
        if (batch < 1 || m < 1 || n < 1 || k < 1) {
            throw new IllegalArgumentException("gemm sizes " + batch + "x" + m + "x" + n + "x" + k);
        }
        a.check("gemm A", batch, m, k);
        b.check("gemm B", batch, k, n);
        c.check("gemm C", c.batchStride() == 0 ? 1 : batch, m, n);
        if (biasMode == null) {
            biasMode = BiasMode.NONE;
        }
        if (biasMode != BiasMode.NONE && (bias == null || bias.length() < (biasMode == BiasMode.ROW ? m : n))) {
            throw new IllegalArgumentException("gemm bias too short");
        }
        if (biasMode != BiasMode.NONE && c.batchStride() == 0 && batch > 1) {
            throw new IllegalArgumentException("gemm: no bias on a sum over the batch");
        }
        if (rowNorm != null) {
            // a contiguous (batch, m, n) map, written not added to: what a device applies its batch-norm kernel to
            if (accumulate || c.colStride() != 1 || c.rowStride() != n || (batch > 1 && c.batchStride() != m * n)) {
                throw new IllegalArgumentException("gemm: a row batch norm needs C written as a contiguous (batch, m, n) map");
            }
            rowNorm.check(m);
        }
    }

    /** A product with an optional bias and no epilogue. */
    public Gemm(MatView a, MatView b, MatView c, int batch, int m, int n, int k, boolean accumulate, Slice bias,
                BiasMode biasMode) {
        this(a, b, c, batch, m, n, k, accumulate, bias, biasMode, null);
    }

    /** A plain product without bias. */
    public static Gemm of(MatView a, MatView b, MatView c, int batch, int m, int n, int k, boolean accumulate) {
        return new Gemm(a, b, c, batch, m, n, k, accumulate, null, BiasMode.NONE, null);
    }

    boolean reducesBatch() {
        return c.batchStride() == 0 && batch > 1;
    }

    @Override
    public String label() {
        return "Gemm " + batch + "x[" + m + "x" + k + " . " + k + "x" + n + "]" + (reducesBatch() ? " (sum over batch)" : "")
                + BatchNorm.RowEpilogue.label(rowNorm);
    }

    @Override
    public long macs() {
        return (long) batch * m * n * k;
    }

    /** Images per partial sum when the batch is a reduction; fixed, so the sum order is fixed. */
    static final int REDUCE_PARTS = 8;

    @Override
    public JvmTask jvm(int workers) {
        return reducesBatch() ? jvmReduce(workers) : jvmBatched(workers);
    }

    /**
     * Sum over the batch in two phases: {@link #REDUCE_PARTS} partial products, each over a fixed
     * run of images (packing each image's operands once), then their ordered sum into C.
     */
    private JvmTask jvmReduce(int workers) {
        int parts = Math.min(batch, REDUCE_PARTS), per = ceil(batch, parts), mn = m * n;
        float[] partials = new float[parts * mn];
        Workspace[] ws = Workspace.perWorker(workers);
        JvmTask products = new JvmTask(parts, (from, to, w) -> {
            for (int r = from; r < to; r++) {
                for (int bi = r * per, end = Math.min(batch, bi + per); bi < end; bi++) {
                    block(a.slice().f(), a.slice().offset() + bi * a.batchStride(), a.rowStride(), a.colStride(),
                            b.slice().f(), b.slice().offset() + bi * b.batchStride(), b.rowStride(), b.colStride(),
                            partials, r * mn, n, 1, m, n, k, bi > r * per, ws[w]);
                }
            }
        });
        float[] C = c.slice().f();
        int co = c.slice().offset(), crs = c.rowStride(), ccs = c.colStride();
        JvmTask sum = JvmTask.elementwise(mn, (from, to) -> {
            for (int e = from; e < to; e++) {
                float acc = 0f;
                for (int r = 0; r < parts; r++) {
                    acc += partials[r * mn + e];
                }
                int o = co + (e / n) * crs + (e % n) * ccs;
                C[o] = accumulate ? C[o] + acc : acc;
            }
        });
        return products.followedBy(sum);
    }

    private JvmTask jvmBatched(int workers) {
        // Tile sizes only change which thread computes an element, never its summation order.
        int outer = batch;
        int mc = MC_MAX, nc = NC_MAX;
        while (outer * ceil(m, mc) * ceil(n, nc) < 2 * workers && (mc > MR || nc > NR)) {
            if (mc > MR && (mc >= nc / NR * MR || nc <= NR)) {
                mc = Math.max(MR, mc / 2 / MR * MR);
            } else {
                nc = Math.max(NR, nc / 2 / NR * NR);
            }
        }
        mc = balancedRows(m, mc, outer * ceil(n, nc), workers);
        final int tileM = Math.min(mc, roundUp(m, MR)), tileN = Math.min(nc, roundUp(n, NR));
        final int mBlocks = ceil(m, tileM), nBlocks = ceil(n, tileN);
        final Workspace[] ws = Workspace.perWorker(workers, tileM, tileN);
        return new JvmTask(outer * mBlocks * nBlocks, (from, to, w) -> {
            for (int t = from; t < to; t++) {
                int nb = t % nBlocks, mb = (t / nBlocks) % mBlocks, ob = t / (nBlocks * mBlocks);
                int i0 = mb * tileM, j0 = nb * tileN;
                tile(this, ob, i0, Math.min(m, i0 + tileM), j0, Math.min(n, j0 + tileN), ws[w]);
            }
        });
    }

    /**
     * The tallest row tile (a multiple of MR, at most {@code mc}) whose tiles split evenly enough
     * over the workers: 11 tiles on 2 threads idle one of them for 1/12 of the time, 12 do not.
     */
    static int balancedRows(int m, int mc, int otherBlocks, int workers) {
        int best = mc;
        double bestBalance = 0;
        for (int t = mc; t >= Math.max(MR, mc / 3); t -= MR) {
            int items = ceil(m, t) * otherBlocks;
            double balance = (double) items / (ceil(items, workers) * workers);
            if (balance > bestBalance + 1e-9) {
                best = t;
                bestBalance = balance;
            }
            if (balance >= 0.97) {
                return t;
            }
        }
        return best;
    }

    static int ceil(int x, int d) {
        return (x + d - 1) / d;
    }

    static int roundUp(int x, int d) {
        return ceil(x, d) * d;
    }

    /** Computes C rows {@code [i0, i1)}, columns {@code [j0, j1)} of batch entry {@code ob}. */
    static void tile(Gemm g, int ob, int i0, int i1, int j0, int j1, Workspace ws) {
        float[] C = g.c.slice().f();
        int cBase = g.c.slice().offset() + ob * g.c.batchStride();
        int crs = g.c.rowStride(), ccs = g.c.colStride();
        block(g.a.slice().f(), g.a.slice().offset() + ob * g.a.batchStride() + i0 * g.a.rowStride(), g.a.rowStride(),
                g.a.colStride(), g.b.slice().f(), g.b.slice().offset() + ob * g.b.batchStride() + j0 * g.b.colStride(),
                g.b.rowStride(), g.b.colStride(), C, cBase + i0 * crs + j0 * ccs, crs, ccs, i1 - i0, j1 - j0, g.k,
                g.accumulate, ws);
        if (g.biasMode != BiasMode.NONE) {
            float[] bias = g.bias.f();
            int bo = g.bias.offset();
            for (int i = i0; i < i1; i++) {
                for (int j = j0; j < j1; j++) {
                    C[cBase + i * crs + j * ccs] += bias[bo + (g.biasMode == BiasMode.ROW ? i : j)];
                }
            }
        }
        if (g.rowNorm != null) {
            for (int i = i0; i < i1; i++) {
                g.rowNorm.apply(C, cBase + i * crs + j0, j1 - j0, i);
            }
        }
    }

    /** Per-thread scratch of {@link #block}: packed A and B blocks and one edge tile. */
    static final class Workspace {
        final float[] a, b, tile = new float[MR * NR];
        /** Where each run read by a transposing pack starts: B's panel columns, A's kc columns. */
        final int[] runStarts = new int[Math.max(NR, KC)];
        private float[] scratch = new float[0];

        /** A scratch array of at least {@code n} floats for the caller's own use; grows once, then reused. */
        float[] scratch(int n) {
            if (scratch.length < n) {
                scratch = new float[n];
            }
            return scratch;
        }

        Workspace(int rows, int cols) {
            a = new float[roundUp(rows, MR) * KC];
            b = new float[roundUp(cols, NR) * KC];
        }

        /** One workspace per worker, for blocks of up to {@link #MC_MAX} x {@link #NC_MAX}. */
        static Workspace[] perWorker(int workers) {
            return perWorker(workers, MC_MAX, NC_MAX);
        }

        static Workspace[] perWorker(int workers, int rows, int cols) {
            Workspace[] w = new Workspace[workers];
            for (int i = 0; i < workers; i++) {
                w[i] = new Workspace(rows, cols);
            }
            return w;
        }
    }

    /**
     * {@code C (+)= A . B} for one {@code rows x cols} block on the calling thread, any strides.
     * Packs at most {@link #MC_MAX} x {@link #KC} of A and {@link #KC} x {@link #NC_MAX} of B
     * at a time.
     */
    static void block(float[] A, int aBase, int ars, int acs, float[] B, int bBase, int brs, int bcs,
                      float[] C, int cBase, int crs, int ccs, int rows, int cols, int k, boolean accumulate,
                      Workspace ws) {
        block(A, aBase, ars, acs, B, bBase, brs, bcs, null, null, C, cBase, crs, ccs, rows, cols, k, accumulate, ws);
    }

    /**
     * As above, with B's rows and/or columns at arbitrary offsets: element (p, q) of B lives at
     * {@code bBase + (bRows == null ? p * brs : bRows[p]) + (bCols == null ? q * bcs : bCols[q])}.
     * Lets a convolution read shifted runs of a padded image as B without an im2col copy.
     */
    static void block(float[] A, int aBase, int ars, int acs, float[] B, int bBase, int brs, int bcs, int[] bRows,
                      int[] bCols, float[] C, int cBase, int crs, int ccs, int rows, int cols, int k,
                      boolean accumulate, Workspace ws) {
        float[] aPack = ws.a, bPack = ws.b;
        int mcMax = aPack.length / KC / MR * MR, ncMax = bPack.length / KC / NR * NR;
        // Row-major B is read in place: its NR-wide row segments are already contiguous, so
        // only a ragged last panel needs copying (for its zero padding), unless the narrow
        // kernel covers it exactly.
        boolean inPlace = bcs == 1 && bRows == null && bCols == null;
        for (int j0 = 0; j0 < cols; j0 += ncMax) {
            int nc = Math.min(ncMax, cols - j0);
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0);
                boolean load = accumulate || p0 > 0;
                int bRow = bBase + p0 * brs + j0 * bcs;
                if (inPlace) {
                    int full = nc / NR * NR;
                    if (full < nc && nc - full != NR_NARROW) {
                        packB(B, bBase, brs, 1, null, null, p0, j0 + full, kc, nc - full, bPack, ws.runStarts);
                    }
                } else {
                    packB(B, bBase, brs, bcs, bRows, bCols, p0, j0, kc, nc, bPack, ws.runStarts);
                }
                for (int i0 = 0; i0 < rows; i0 += mcMax) {
                    int mc = Math.min(mcMax, rows - i0);
                    // A with unit column stride (row-major, k contiguous) is read in place, in the
                    // same row layout its packed panels have; a ragged last panel is packed, for
                    // its zero rows
                    int aInPlace = acs == 1 ? mc - raggedRows(mc) : 0;
                    if (aInPlace < mc) {
                        packA(A, aBase + (i0 + aInPlace) * ars + p0 * acs, ars, acs, mc - aInPlace, kc, aPack,
                                ws.runStarts);
                    }
                    for (int i = 0, mr; i < mc; i += mr) {
                        mr = panelRows(mc - i);
                        int height = mr == 4 ? 4 : MR; // a ragged panel runs MR rows, its extra rows zero
                        boolean inPlaceA = i < aInPlace;
                        float[] ap = inPlaceA ? A : aPack;
                        int ao = inPlaceA ? aBase + (i0 + i) * ars + p0 : (i - aInPlace) * kc;
                        int aRow = inPlaceA ? ars : kc;
                        for (int j = 0; j < nc; j += NR) {
                            int nr = Math.min(NR, nc - j);
                            int width = panelWidth(nr);
                            int co = cBase + (i0 + i) * crs + (j0 + j) * ccs;
                            boolean direct = inPlace && nr == width;
                            float[] bp = direct ? B : bPack;
                            int bo = direct ? bRow + j : (inPlace ? 0 : j * kc), bStride = direct ? brs : width;
                            if (ccs == 1 && mr == height && nr == width) {
                                micro(height, width, ap, ao, aRow, bp, bo, bStride, kc, C, co, crs, load);
                            } else {
                                microEdge(height, width, ap, ao, aRow, bp, bo, bStride, kc, C, co, crs, ccs, mr, nr,
                                        load, ws.tile);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs rows x kc of A into panels of MR rows, each row's kc values contiguous (row r of the
     * panel at {@code r0 kc + r kc}), rows past the end zero: a copy per row when A's columns are
     * contiguous, a transpose when A is read transposed (16 x 16 blocks in registers, then a
     * gather for the edges).
     */
    static void packA(float[] A, int base, int rs, int cs, int rows, int kc, float[] dst, int[] starts) {
        boolean runs = cs != 1 && rs == 1 && Transpose16.AVAILABLE; // each column of A a run of rows
        int blockRows = runs ? rows / 16 * 16 : 0, blockK = kc / 16 * 16;
        if (blockRows > 0) {
            for (int p = 0; p < blockK; p++) {
                starts[p] = base + p * cs;
            }
            Transpose16.blocks(A, starts, blockK, blockRows, dst, 0, kc);
        }
        for (int r0 = 0; r0 < rows; r0 += MR) {
            int mr = Math.min(MR, rows - r0);
            for (int r = 0; r < MR; r++) {
                int d = (r0 + r) * kc, src = base + (r0 + r) * rs;
                if (r >= mr) {
                    java.util.Arrays.fill(dst, d, d + kc, 0f);
                } else if (cs == 1) {
                    System.arraycopy(A, src, dst, d, kc);
                } else {
                    for (int p = r0 + r < blockRows ? blockK : 0; p < kc; p++) {
                        dst[d + p] = A[src + p * cs];
                    }
                }
            }
        }
    }

    /**
     * Packs rows {@code [p0, p0 + kc)} x columns {@code [q0, q0 + cols)} of B into panels of NR
     * columns (panel q holds, for each p, NR values; zero-padded), addressing B as {@link #block}
     * does. A last panel at most NR_NARROW wide holds NR_NARROW values per p, for the narrow kernel.
     */
    static void packB(float[] B, int base, int rs, int cs, int[] rows, int[] colsAt, int p0, int q0, int kc, int cols,
                      float[] dst, int[] starts) {
        for (int c0 = 0; c0 < cols; c0 += NR) {
            int nr = Math.min(NR, cols - c0), w = panelWidth(nr);
            int d = c0 * kc;
            if (cs == 1 && colsAt == null) {
                for (int p = 0; p < kc; p++, d += w) {
                    int src = base + (rows == null ? (p0 + p) * rs : rows[p0 + p]) + q0 + c0;
                    System.arraycopy(B, src, dst, d, nr);
                    if (nr < w) {
                        java.util.Arrays.fill(dst, d + nr, d + w, 0f);
                    }
                }
            } else {
                // columns are the contiguous direction (a transposed operand): 16 x 16 blocks are
                // transposed in registers, the rest read a column at a time as a run and
                // scattered into the panel, which stays in cache
                boolean runs = rows == null && rs == 1 && Transpose16.AVAILABLE;
                int blockCols = runs ? nr / 16 * 16 : 0, blockRows = kc / 16 * 16;
                for (int q = 0; q < blockCols; q++) {
                    starts[q] = base + (colsAt == null ? (q0 + c0 + q) * cs : colsAt[q0 + c0 + q]) + p0;
                }
                Transpose16.blocks(B, starts, blockCols, blockRows, dst, d, w);
                for (int q = 0; q < nr; q++) {
                    int col = base + (colsAt == null ? (q0 + c0 + q) * cs : colsAt[q0 + c0 + q]);
                    if (rows == null) {
                        for (int p = q < blockCols ? blockRows : 0, src = col + (p0 + p) * rs; p < kc; p++, src += rs) {
                            dst[d + p * w + q] = B[src];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            dst[d + p * w + q] = B[col + rows[p0 + p]];
                        }
                    }
                }
                for (int q = nr; q < w; q++) {
                    for (int p = 0; p < kc; p++) {
                        dst[d + p * w + q] = 0f;
                    }
                }
            }
        }
    }

    /** Columns of the kernel that runs a panel of {@code nr} valid columns: NR_NARROW or NR. */
    static int panelWidth(int nr) {
        return nr <= NR_NARROW ? NR_NARROW : NR;
    }

    /**
     * {@code C[0..height) x [0..width) (+)= Apanel . Bpanel} into row-major C (column stride 1,
     * all those elements writable), {@code height} MR or 4, {@code width} NR (the wide kernel) or
     * NR_NARROW. Element (r, p) of the A panel is at {@code ao + r aRow + p}: aRow is kc in a
     * packed panel, the matrix's row stride when read in place. B's rows are {@code bStride}
     * apart: the width in a packed panel, the matrix's row stride when read in place.
     */
    static void micro(int height, int width, float[] ap, int ao, int aRow, float[] bp, int bo, int bStride, int kc,
                      float[] C, int co, int crs, boolean load) {
        boolean wide = width == 4 * L;
        if (height == MR) {
            if (wide) {
                micro6x4(ap, ao, aRow, bp, bo, bStride, kc, C, co, crs, load);
            } else {
                micro6x2(ap, ao, aRow, bp, bo, bStride, kc, C, co, crs, load);
            }
        } else if (wide) {
            micro4x4(ap, ao, aRow, bp, bo, bStride, kc, C, co, crs, load);
        } else {
            micro4x2(ap, ao, aRow, bp, bo, bStride, kc, C, co, crs, load);
        }
    }

    /**
     * Rows of the row panel that starts with {@code left} rows to go: MR, or 4 where MR would leave
     * 2 (8 = 4 + 4), so that row counts of 6q + 2 and 6q + 4 (32, 64, 128, ...) need no ragged
     * panel; otherwise the ragged rest.
     */
    static int panelRows(int left) {
        return left == 4 || left == 8 ? 4 : Math.min(MR, left);
    }

    /** Rows of {@code rows} left to a ragged last panel by {@link #panelRows}. */
    static int raggedRows(int rows) {
        int rest = rows % MR;
        return rest == 4 || (rest == 2 && rows >= 8) ? 0 : rest;
    }

    /*
     * The kernels: (6 or 4) x (4 or 2 vectors) accumulators held in registers over the k loop.
     * No helper calls and no masks: C2 must compile each loop as one unit for the vectors to stay
     * in registers. Hence one method per tile shape, written out: a single kernel with branches
     * on the shape would keep all 24 accumulators live (spilling where there are 16 registers)
     * and test the shape inside the loop.
     */

    private static void micro6x4(float[] ap, int ao, int aRow, float[] bp, int bo, int bStride, int kc, float[] C,
                                 int co, int crs, boolean load) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00,
                c13 = c00, c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00,
                c40 = c00, c41 = c00, c42 = c00, c43 = c00, c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        int r1 = aRow, r2 = 2 * aRow, r3 = 3 * aRow, r4 = 4 * aRow, r5 = 5 * aRow;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * bStride, ai = ao + p;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bi + 3 * L);
            FloatVector x = FloatVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, ap[ai + r1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, ap[ai + r2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, ap[ai + r3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(S, ap[ai + r4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            c43 = x.fma(b3, c43);
            x = FloatVector.broadcast(S, ap[ai + r5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
            c53 = x.fma(b3, c53);
        }
        int o0 = co, o1 = co + crs, o2 = o1 + crs, o3 = o2 + crs, o4 = o3 + crs, o5 = o4 + crs;
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, C, o0));
            c01 = c01.add(FloatVector.fromArray(S, C, o0 + L));
            c02 = c02.add(FloatVector.fromArray(S, C, o0 + 2 * L));
            c03 = c03.add(FloatVector.fromArray(S, C, o0 + 3 * L));
            c10 = c10.add(FloatVector.fromArray(S, C, o1));
            c11 = c11.add(FloatVector.fromArray(S, C, o1 + L));
            c12 = c12.add(FloatVector.fromArray(S, C, o1 + 2 * L));
            c13 = c13.add(FloatVector.fromArray(S, C, o1 + 3 * L));
            c20 = c20.add(FloatVector.fromArray(S, C, o2));
            c21 = c21.add(FloatVector.fromArray(S, C, o2 + L));
            c22 = c22.add(FloatVector.fromArray(S, C, o2 + 2 * L));
            c23 = c23.add(FloatVector.fromArray(S, C, o2 + 3 * L));
            c30 = c30.add(FloatVector.fromArray(S, C, o3));
            c31 = c31.add(FloatVector.fromArray(S, C, o3 + L));
            c32 = c32.add(FloatVector.fromArray(S, C, o3 + 2 * L));
            c33 = c33.add(FloatVector.fromArray(S, C, o3 + 3 * L));
            c40 = c40.add(FloatVector.fromArray(S, C, o4));
            c41 = c41.add(FloatVector.fromArray(S, C, o4 + L));
            c42 = c42.add(FloatVector.fromArray(S, C, o4 + 2 * L));
            c43 = c43.add(FloatVector.fromArray(S, C, o4 + 3 * L));
            c50 = c50.add(FloatVector.fromArray(S, C, o5));
            c51 = c51.add(FloatVector.fromArray(S, C, o5 + L));
            c52 = c52.add(FloatVector.fromArray(S, C, o5 + 2 * L));
            c53 = c53.add(FloatVector.fromArray(S, C, o5 + 3 * L));
        }
        c00.intoArray(C, o0);
        c01.intoArray(C, o0 + L);
        c02.intoArray(C, o0 + 2 * L);
        c03.intoArray(C, o0 + 3 * L);
        c10.intoArray(C, o1);
        c11.intoArray(C, o1 + L);
        c12.intoArray(C, o1 + 2 * L);
        c13.intoArray(C, o1 + 3 * L);
        c20.intoArray(C, o2);
        c21.intoArray(C, o2 + L);
        c22.intoArray(C, o2 + 2 * L);
        c23.intoArray(C, o2 + 3 * L);
        c30.intoArray(C, o3);
        c31.intoArray(C, o3 + L);
        c32.intoArray(C, o3 + 2 * L);
        c33.intoArray(C, o3 + 3 * L);
        c40.intoArray(C, o4);
        c41.intoArray(C, o4 + L);
        c42.intoArray(C, o4 + 2 * L);
        c43.intoArray(C, o4 + 3 * L);
        c50.intoArray(C, o5);
        c51.intoArray(C, o5 + L);
        c52.intoArray(C, o5 + 2 * L);
        c53.intoArray(C, o5 + 3 * L);
    }

    private static void micro6x2(float[] ap, int ao, int aRow, float[] bp, int bo, int bStride, int kc, float[] C,
                                 int co, int crs, boolean load) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,
                c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        int r1 = aRow, r2 = 2 * aRow, r3 = 3 * aRow, r4 = 4 * aRow, r5 = 5 * aRow;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * bStride, ai = ao + p;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector x = FloatVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ai + r1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ai + r2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ai + r3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ai + r4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ai + r5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        int o0 = co, o1 = co + crs, o2 = o1 + crs, o3 = o2 + crs, o4 = o3 + crs, o5 = o4 + crs;
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, C, o0));
            c01 = c01.add(FloatVector.fromArray(S, C, o0 + L));
            c10 = c10.add(FloatVector.fromArray(S, C, o1));
            c11 = c11.add(FloatVector.fromArray(S, C, o1 + L));
            c20 = c20.add(FloatVector.fromArray(S, C, o2));
            c21 = c21.add(FloatVector.fromArray(S, C, o2 + L));
            c30 = c30.add(FloatVector.fromArray(S, C, o3));
            c31 = c31.add(FloatVector.fromArray(S, C, o3 + L));
            c40 = c40.add(FloatVector.fromArray(S, C, o4));
            c41 = c41.add(FloatVector.fromArray(S, C, o4 + L));
            c50 = c50.add(FloatVector.fromArray(S, C, o5));
            c51 = c51.add(FloatVector.fromArray(S, C, o5 + L));
        }
        c00.intoArray(C, o0);
        c01.intoArray(C, o0 + L);
        c10.intoArray(C, o1);
        c11.intoArray(C, o1 + L);
        c20.intoArray(C, o2);
        c21.intoArray(C, o2 + L);
        c30.intoArray(C, o3);
        c31.intoArray(C, o3 + L);
        c40.intoArray(C, o4);
        c41.intoArray(C, o4 + L);
        c50.intoArray(C, o5);
        c51.intoArray(C, o5 + L);
    }

    private static void micro4x4(float[] ap, int ao, int aRow, float[] bp, int bo, int bStride, int kc, float[] C,
                                 int co, int crs, boolean load) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00,
                c13 = c00, c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        int r1 = aRow, r2 = 2 * aRow, r3 = 3 * aRow;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * bStride, ai = ao + p;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bi + 3 * L);
            FloatVector x = FloatVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, ap[ai + r1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, ap[ai + r2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, ap[ai + r3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
        }
        int o0 = co, o1 = co + crs, o2 = o1 + crs, o3 = o2 + crs;
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, C, o0));
            c01 = c01.add(FloatVector.fromArray(S, C, o0 + L));
            c02 = c02.add(FloatVector.fromArray(S, C, o0 + 2 * L));
            c03 = c03.add(FloatVector.fromArray(S, C, o0 + 3 * L));
            c10 = c10.add(FloatVector.fromArray(S, C, o1));
            c11 = c11.add(FloatVector.fromArray(S, C, o1 + L));
            c12 = c12.add(FloatVector.fromArray(S, C, o1 + 2 * L));
            c13 = c13.add(FloatVector.fromArray(S, C, o1 + 3 * L));
            c20 = c20.add(FloatVector.fromArray(S, C, o2));
            c21 = c21.add(FloatVector.fromArray(S, C, o2 + L));
            c22 = c22.add(FloatVector.fromArray(S, C, o2 + 2 * L));
            c23 = c23.add(FloatVector.fromArray(S, C, o2 + 3 * L));
            c30 = c30.add(FloatVector.fromArray(S, C, o3));
            c31 = c31.add(FloatVector.fromArray(S, C, o3 + L));
            c32 = c32.add(FloatVector.fromArray(S, C, o3 + 2 * L));
            c33 = c33.add(FloatVector.fromArray(S, C, o3 + 3 * L));
        }
        c00.intoArray(C, o0);
        c01.intoArray(C, o0 + L);
        c02.intoArray(C, o0 + 2 * L);
        c03.intoArray(C, o0 + 3 * L);
        c10.intoArray(C, o1);
        c11.intoArray(C, o1 + L);
        c12.intoArray(C, o1 + 2 * L);
        c13.intoArray(C, o1 + 3 * L);
        c20.intoArray(C, o2);
        c21.intoArray(C, o2 + L);
        c22.intoArray(C, o2 + 2 * L);
        c23.intoArray(C, o2 + 3 * L);
        c30.intoArray(C, o3);
        c31.intoArray(C, o3 + L);
        c32.intoArray(C, o3 + 2 * L);
        c33.intoArray(C, o3 + 3 * L);
    }

    private static void micro4x2(float[] ap, int ao, int aRow, float[] bp, int bo, int bStride, int kc, float[] C,
                                 int co, int crs, boolean load) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,
                c31 = c00;
        int r1 = aRow, r2 = 2 * aRow, r3 = 3 * aRow;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * bStride, ai = ao + p;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector x = FloatVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ai + r1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ai + r2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ai + r3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        int o0 = co, o1 = co + crs, o2 = o1 + crs, o3 = o2 + crs;
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, C, o0));
            c01 = c01.add(FloatVector.fromArray(S, C, o0 + L));
            c10 = c10.add(FloatVector.fromArray(S, C, o1));
            c11 = c11.add(FloatVector.fromArray(S, C, o1 + L));
            c20 = c20.add(FloatVector.fromArray(S, C, o2));
            c21 = c21.add(FloatVector.fromArray(S, C, o2 + L));
            c30 = c30.add(FloatVector.fromArray(S, C, o3));
            c31 = c31.add(FloatVector.fromArray(S, C, o3 + L));
        }
        c00.intoArray(C, o0);
        c01.intoArray(C, o0 + L);
        c10.intoArray(C, o1);
        c11.intoArray(C, o1 + L);
        c20.intoArray(C, o2);
        c21.intoArray(C, o2 + L);
        c30.intoArray(C, o3);
        c31.intoArray(C, o3 + L);
    }

    /**
     * A tile with ragged rows or columns, or strided C: the kernel of that width computes the full
     * tile into {@code tmp}, then its valid part is added or copied.
     */
    static void microEdge(int height, int width, float[] ap, int ao, int aRow, float[] bp, int bo, int bStride, int kc,
                          float[] C, int co, int crs, int ccs, int mr, int nr, boolean load, float[] tmp) {
        micro(height, width, ap, ao, aRow, bp, bo, bStride, kc, tmp, 0, NR, false);
        for (int r = 0; r < mr; r++) {
            for (int q = 0; q < nr; q++) {
                int o = co + r * crs + q * ccs;
                float v = tmp[r * NR + q];
                C[o] = load ? C[o] + v : v;
            }
        }
    }
}
