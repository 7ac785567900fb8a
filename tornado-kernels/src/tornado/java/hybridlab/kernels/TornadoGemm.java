package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceLimits;
import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device twins of {@link Gemm}, and the device GEMM every product of the plan runs on: linears,
 * 1x1 and spatial convolutions ({@link TornadoConv}), relative attention
 * ({@link TornadoRelAttention}), weight gradients.
 *
 * <p>One call ({@link Call}) is {@code C[e, g] (+)= sum over images b of run e of A[b, g] . B[b, g]}
 * over strided views: {@code per} images summed into each C (1 for a batched product, the whole
 * batch for a weight gradient), {@code groups} independent products per image. Row {@code p} of B
 * may be a tap of a convolution: {@code p} runs over {@code k1 x k2 x k3} (channel, kernel row,
 * kernel column) and starts at {@code c brs + y s2 + x s3}, so a convolution reads its input's
 * zero-padded planes in place (an implicit im2col). C's columns may be pitched: column {@code q}
 * stands for output pixel {@code (q / pitch, q % pitch)}, kept only when {@code q % pitch < width}
 * (a stride-1 convolution computes in the padded planes' pitch and drops the pad columns). A's
 * rows may be taps the same way ({@link #A_TAPS}: a convolution's weight gradient reads its
 * input's padded planes as A). The epilogue adds to C or writes it, adds a bias per row or per
 * column, applies an eval-mode batch norm and activation per row, and may compute the step after
 * the product ({@link Then}: an activation of C, a residual add, an activation's gradient), which
 * then needs no task of its own.
 *
 * <p>Two kernels compute it, chosen by the device's kernel family:
 * <ul>
 * <li>{@link #tiled} (GPU): a 64 x 64 tile of C per 16 x 16 work-group, 64 x 16 slices of A and
 * B staged in local memory, a 4 x 4 block of C in each work-item's registers;
 * <li>{@link #blocked} (CPU, and GPUs that refuse 256-item work-groups): a {@link #RB} x 16 block
 * of C per work-item, B's row read as 16 contiguous floats (B must have unit column stride:
 * {@link #bind(DeviceTasks, Gemm)} packs it first where it has not), so the compiler keeps the
 * block in SIMD registers.
 * </ul>
 * Each element of C is one sum over the images of its run, then over {@code p}, in order:
 * deterministic on every device, and equal to the JVM's {@link Gemm} to rounding.
 */
public final class TornadoGemm {
    private TornadoGemm() {
    }

    /** Side of the C tile of one work-group of {@link #tiled}, and its work-group (16 x 16). */
    public static final int TILE = 64, SIDE = 16, GROUP = SIDE * SIDE;

    /** Rows and columns of the block of C one work-item of {@link #blocked} computes. */
    public static final int RB = 6, CB = 16;

    // The kernels' int arguments, one layout for both (Call writes them).
    static final int A_OFF = 0, A_RS = 1, A_CS = 2, A_BS = 3, A_GS = 4;
    static final int B_OFF = 5, B_RS = 6, B_CS = 7, B_BS = 8, B_GS = 9;
    static final int C_OFF = 10, C_RS = 11, C_CS = 12, C_BS = 13, C_GS = 14;
    static final int BATCH = 15, GROUPS = 16, PER = 17, M = 18, N = 19, K1 = 20, K2 = 21, K3 = 22, S2 = 23, S3 = 24;
    static final int PITCH = 25, WIDTH = 26, FLAGS = 27, BIAS = 28;
    static final int NORM_GAMMA = 29, NORM_BETA = 30, NORM_MEAN = 31, NORM_VAR = 32, NORM_ACT = 33;
    /** The fused next step ({@link Then}): its kind, activation, output and second operand offsets, and accumulate flag. */
    static final int THEN = 34, THEN_ACT = 35, THEN_OUT = 36, THEN_IN = 37, THEN_ACCUMULATE = 38, ARGS = 39;

    /** Bits of the flags argument. */
    static final int ACCUMULATE = 1, BIAS_ROW = 2, BIAS_COL = 4, NORM = 8, A_TAPS = 16;

    /**
     * GPU kernel: work-group {@code (x, y, z)} computes the 64 x 64 tile of C at columns
     * {@code 64 x}, rows {@code 64 y}, for product {@code z} (run {@code z / groups}, group
     * {@code z % groups}); launched as {@code (ceil(n / 64), ceil(m / 64), runs x groups)} work-groups
     * of {@code (16, 16, 1)}. Work-item {@code (tx, ty)} keeps rows {@code ty + 16 r} and columns
     * {@code tx + 16 c} ({@code r, c < 4}) in registers. floats: the batch norm's eps.
     */
    public static void tiled(KernelContext ctx, FloatArray mem, IntArray args, FloatArray floats) {
        int aRs = args.get(A_RS), aCs = args.get(A_CS), bRs = args.get(B_RS), bCs = args.get(B_CS);
        int m = args.get(M), n = args.get(N), k2 = args.get(K2), k3 = args.get(K3), s2 = args.get(S2), s3 = args.get(S3);
        int k = args.get(K1) * k2 * k3, taps = k2 * k3, groups = args.get(GROUPS), per = args.get(PER);
        float[] as = ctx.allocateFloatLocalArray(1024);
        float[] bs = ctx.allocateFloatLocalArray(1024);
        int tx = ctx.localIdx, ty = ctx.localIdy;
        int lid = ty * 16 + tx;
        int j0 = ctx.groupIdx * 64, i0 = ctx.groupIdy * 64;
        int z = ctx.groupIdz;
        int g = z % groups, e = z / groups;
        int first = e * per, end = Math.min(args.get(BATCH), first + per);
        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f, c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f, c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;
        for (int bi = first; bi < end; bi++) {
            int ab = args.get(A_OFF) + bi * args.get(A_BS) + g * args.get(A_GS);
            int bb = args.get(B_OFF) + bi * args.get(B_BS) + g * args.get(B_GS);
            for (int k0 = 0; k0 < k; k0 += 16) {
                for (int q = 0; q < 4; q++) {
                    int el = lid + 256 * q;
                    // A slice as [kk][row]: consecutive work-items read consecutive kk of one row
                    int ar = el / 16, ak = el - ar * 16;
                    int row = i0 + ar, kk = k0 + ak;
                    float av = 0f;
                    if (row < m && kk < k) {
                        av = mem.get(ab + row * aRs + kk * aCs);
                    }
                    as[ak * 64 + ar] = av;
                    // B slice as [kk][col]: consecutive work-items read consecutive columns
                    int bk = el / 64, bc = el - bk * 64;
                    int col = j0 + bc, kb = k0 + bk;
                    float bv = 0f;
                    if (col < n && kb < k) {
                        int tap = kb * bRs;
                        if (taps > 1) {
                            int ch = kb / taps, tt = kb - ch * taps, ty2 = tt / k3;
                            tap = ch * bRs + ty2 * s2 + (tt - ty2 * k3) * s3;
                        }
                        bv = mem.get(bb + tap + col * bCs);
                    }
                    bs[el] = bv;
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
        int cb = args.get(C_OFF) + e * args.get(C_BS) + g * args.get(C_GS);
        int r0 = i0 + ty, q0 = j0 + tx;
        // the epilogue as one loop over a private copy: sixteen inlined copies of it are more
        // than TornadoVM's compiler takes (its sketch of the kernel fails)
        float[] out = new float[16];
        out[0] = c00;
        out[1] = c01;
        out[2] = c02;
        out[3] = c03;
        out[4] = c10;
        out[5] = c11;
        out[6] = c12;
        out[7] = c13;
        out[8] = c20;
        out[9] = c21;
        out[10] = c22;
        out[11] = c23;
        out[12] = c30;
        out[13] = c31;
        out[14] = c32;
        out[15] = c33;
        for (int t = 0; t < 16; t++) {
            int r = r0 + (t / 4) * 16;
            if (r < m) {
                store(mem, args, floats, cb, g, r, q0 + (t % 4) * 16, out[t]);
            }
        }
        if (args.get(THEN) != Then.NONE) {
            for (int t = 0; t < 16; t++) {
                int r = r0 + (t / 4) * 16;
                if (r < m) {
                    thenAt(mem, args, cb, r, q0 + (t % 4) * 16);
                }
            }
        }
    }

    /**
     * Stores element {@code (i, q)} of product group {@code g} whose C starts at {@code cb}, if
     * column {@code q} is inside C and not a pad column.
     */
    static void store(FloatArray mem, IntArray args, FloatArray floats, int cb, int g, int i, int q, float v) {
        int pitch = args.get(PITCH), x = q % pitch;
        if (q < args.get(N) && x < args.get(WIDTH)) {
            finish(mem, args, floats, cb + i * args.get(C_RS) + ((q / pitch) * args.get(WIDTH) + x) * args.get(C_CS), g, i, q, v);
        }
    }

    /** {@link #then} for element {@code (i, q)} of product group {@code g}, if {@link #store} stored it. */
    static void thenAt(FloatArray mem, IntArray args, int cb, int i, int q) {
        int pitch = args.get(PITCH), x = q % pitch;
        if (q < args.get(N) && x < args.get(WIDTH)) {
            then(mem, args, cb + i * args.get(C_RS) + ((q / pitch) * args.get(WIDTH) + x) * args.get(C_CS));
        }
    }

    /**
     * The epilogue of element {@code (i, q)} of group {@code g}, stored at heap offset {@code o}:
     * added to C or written, then the bias and the batch norm and activation.
     */
    static void finish(FloatArray mem, IntArray args, FloatArray floats, int o, int g, int i, int q, float v) {
        int flags = args.get(FLAGS);
        float t = (flags & ACCUMULATE) != 0 ? mem.get(o) + v : v;
        if ((flags & BIAS_ROW) != 0) {
            t += mem.get(args.get(BIAS) + g * args.get(M) + i);
        }
        if ((flags & BIAS_COL) != 0) {
            t += mem.get(args.get(BIAS) + q);
        }
        if ((flags & NORM) != 0) {
            int ch = g * args.get(M) + i;
            float scale = TornadoFastMath.rsqrt(mem.get(args.get(NORM_VAR) + ch) + floats.get(0)) * mem.get(args.get(NORM_GAMMA) + ch);
            float shift = mem.get(args.get(NORM_BETA) + ch) - mem.get(args.get(NORM_MEAN) + ch) * scale;
            t = TornadoActivation.apply(args.get(NORM_ACT), t * scale + shift);
        }
        mem.set(o, t);
    }

    /**
     * The fused step ({@link Then}) for the element of C at heap offset {@code o}, once C is
     * stored: C is one contiguous block the step reads whole, so that element is its element
     * {@code o - cOff}. (Apart from {@link #finish}: TornadoVM inlines methods of at most 600
     * nodes, and the two together are more.)
     */
    static void then(FloatArray mem, IntArray args, int o) {
        int then = args.get(THEN), i2 = o - args.get(C_OFF), out = args.get(THEN_OUT) + i2;
        float t = mem.get(o);
        if (then == Then.ACTIVATE) {
            mem.set(out, TornadoActivation.apply(args.get(THEN_ACT), t));
        } else if (then == Then.ADD) {
            mem.set(out, t + mem.get(args.get(THEN_IN) + i2));
        } else {
            float d = TornadoActivation.grad(args.get(THEN_ACT), mem.get(args.get(THEN_IN) + i2)) * t;
            mem.set(out, args.get(THEN_ACCUMULATE) != 0 ? mem.get(out) + d : d);
        }
    }

    /**
     * CPU kernel: work-item {@code (x, y, z)} computes rows {@code [RB y, RB y + RB)} and columns
     * {@code [16 x, 16 x + 16)} of product {@code z} (run {@code z / groups}, group
     * {@code z % groups}). Per step of {@code p} it loads {@link #RB} values of A and one row of
     * 16 contiguous values of B (B's column stride must be 1; columns past C's edge are loaded
     * and dropped) and adds their {@code RB x 16} products into the block. Rows past C's edge
     * re-read its last row and are dropped. B's rows are plain ({@code p brs}); {@link #blockedTaps}
     * is the same kernel over a convolution's taps. floats: the batch norm's eps.
     */
    public static void blocked(KernelContext ctx, FloatArray mem, IntArray args, FloatArray floats) {
        int m = args.get(M), n = args.get(N);
        int i = ctx.globalIdy * RB, j = ctx.globalIdx * CB, z = ctx.globalIdz;
        int groups = args.get(GROUPS), per = args.get(PER);
        int g = z % groups, e = z / groups;
        if (i < m && j < n && e * per < args.get(BATCH)) {
            int aCs = args.get(A_CS), bRs = args.get(B_RS), k = args.get(K1);
            float[] c0 = new float[16];
            float[] c1 = new float[16];
            float[] c2 = new float[16];
            float[] c3 = new float[16];
            float[] c4 = new float[16];
            float[] c5 = new float[16];
            for (int q = 0; q < 16; q++) {
                c0[q] = 0f;
                c1[q] = 0f;
                c2[q] = 0f;
                c3[q] = 0f;
                c4[q] = 0f;
                c5[q] = 0f;
            }
            // rows past the edge read the last row again
            int row0 = aRow(args, i), r1 = aRow(args, Math.min(i + 1, m - 1)) - row0, r2 = aRow(args, Math.min(i + 2, m - 1)) - row0;
            int r3 = aRow(args, Math.min(i + 3, m - 1)) - row0, r4 = aRow(args, Math.min(i + 4, m - 1)) - row0;
            int r5 = aRow(args, Math.min(i + 5, m - 1)) - row0;
            int first = e * per, end = Math.min(args.get(BATCH), first + per);
            for (int bi = first; bi < end; bi++) {
                int ab = args.get(A_OFF) + bi * args.get(A_BS) + g * args.get(A_GS) + row0;
                int bb = args.get(B_OFF) + bi * args.get(B_BS) + g * args.get(B_GS) + j;
                for (int p = 0; p < k; p++) {
                    int ap = ab + p * aCs, bp = bb + p * bRs;
                    float a0 = mem.get(ap), a1 = mem.get(ap + r1), a2 = mem.get(ap + r2);
                    float a3 = mem.get(ap + r3), a4 = mem.get(ap + r4), a5 = mem.get(ap + r5);
                    for (int q = 0; q < 16; q++) {
                        float b = mem.get(bp + q);
                        c0[q] += a0 * b;
                        c1[q] += a1 * b;
                        c2[q] += a2 * b;
                        c3[q] += a3 * b;
                        c4[q] += a4 * b;
                        c5[q] += a5 * b;
                    }
                }
            }
            // rows one call each: TornadoVM inlines a method of at most 600 nodes
            int cb = args.get(C_OFF) + e * args.get(C_BS) + g * args.get(C_GS);
            int[] cols = new int[16];
            columns(args, j, cols);
            storeRow(mem, args, floats, cb, g, i, j, cols, c0);
            if (i + 1 < m) {
                storeRow(mem, args, floats, cb, g, i + 1, j, cols, c1);
            }
            if (i + 2 < m) {
                storeRow(mem, args, floats, cb, g, i + 2, j, cols, c2);
            }
            if (i + 3 < m) {
                storeRow(mem, args, floats, cb, g, i + 3, j, cols, c3);
            }
            if (i + 4 < m) {
                storeRow(mem, args, floats, cb, g, i + 4, j, cols, c4);
            }
            if (i + 5 < m) {
                storeRow(mem, args, floats, cb, g, i + 5, j, cols, c5);
            }
            if (args.get(THEN) != Then.NONE) {
                int cRs = args.get(C_RS);
                for (int r = 0; r < Math.min(RB, m - i); r++) {
                    thenRow(mem, args, cb + (i + r) * cRs, cols);
                }
            }
        }
    }

    /**
     * {@link #blocked} over a convolution's taps: step {@code p} of the sum is tap
     * {@code (c, y, x)} of {@code k1 x k2 x k3}, B's row at {@code c brs + y s2 + x s3} (the
     * shifted run of a padded input plane). A separate kernel because the three nested loops
     * cost a plain product a third of its speed.
     */
    public static void blockedTaps(KernelContext ctx, FloatArray mem, IntArray args, FloatArray floats) {
        int m = args.get(M), n = args.get(N);
        int i = ctx.globalIdy * RB, j = ctx.globalIdx * CB, z = ctx.globalIdz;
        int groups = args.get(GROUPS), per = args.get(PER);
        int g = z % groups, e = z / groups;
        if (i < m && j < n && e * per < args.get(BATCH)) {
            int aRs = args.get(A_RS), aCs = args.get(A_CS), bRs = args.get(B_RS), s2 = args.get(S2), s3 = args.get(S3);
            int k1 = args.get(K1), k2 = args.get(K2), k3 = args.get(K3);
            float[] c0 = new float[16];
            float[] c1 = new float[16];
            float[] c2 = new float[16];
            float[] c3 = new float[16];
            float[] c4 = new float[16];
            float[] c5 = new float[16];
            for (int q = 0; q < 16; q++) {
                c0[q] = 0f;
                c1[q] = 0f;
                c2[q] = 0f;
                c3[q] = 0f;
                c4[q] = 0f;
                c5[q] = 0f;
            }
            int r1 = i + 1 < m ? aRs : 0, r2 = i + 2 < m ? 2 * aRs : 0, r3 = i + 3 < m ? 3 * aRs : 0;
            int r4 = i + 4 < m ? 4 * aRs : 0, r5 = i + 5 < m ? 5 * aRs : 0;
            int first = e * per, end = Math.min(args.get(BATCH), first + per);
            for (int bi = first; bi < end; bi++) {
                int ab = args.get(A_OFF) + bi * args.get(A_BS) + g * args.get(A_GS) + i * aRs;
                int bb = args.get(B_OFF) + bi * args.get(B_BS) + g * args.get(B_GS) + j;
                int p = 0;
                for (int c = 0; c < k1; c++) {
                    for (int y = 0; y < k2; y++) {
                        for (int x = 0; x < k3; x++) {
                            int ap = ab + p * aCs, bp = bb + c * bRs + y * s2 + x * s3;
                            float a0 = mem.get(ap), a1 = mem.get(ap + r1), a2 = mem.get(ap + r2);
                            float a3 = mem.get(ap + r3), a4 = mem.get(ap + r4), a5 = mem.get(ap + r5);
                            for (int q = 0; q < 16; q++) {
                                float b = mem.get(bp + q);
                                c0[q] += a0 * b;
                                c1[q] += a1 * b;
                                c2[q] += a2 * b;
                                c3[q] += a3 * b;
                                c4[q] += a4 * b;
                                c5[q] += a5 * b;
                            }
                            p++;
                        }
                    }
                }
            }
            // rows one call each: TornadoVM inlines a method of at most 600 nodes
            int cb = args.get(C_OFF) + e * args.get(C_BS) + g * args.get(C_GS);
            int[] cols = new int[16];
            columns(args, j, cols);
            storeRow(mem, args, floats, cb, g, i, j, cols, c0);
            if (i + 1 < m) {
                storeRow(mem, args, floats, cb, g, i + 1, j, cols, c1);
            }
            if (i + 2 < m) {
                storeRow(mem, args, floats, cb, g, i + 2, j, cols, c2);
            }
            if (i + 3 < m) {
                storeRow(mem, args, floats, cb, g, i + 3, j, cols, c3);
            }
            if (i + 4 < m) {
                storeRow(mem, args, floats, cb, g, i + 4, j, cols, c4);
            }
            if (i + 5 < m) {
                storeRow(mem, args, floats, cb, g, i + 5, j, cols, c5);
            }
            if (args.get(THEN) != Then.NONE) {
                int cRs = args.get(C_RS);
                for (int r = 0; r < Math.min(RB, m - i); r++) {
                    thenRow(mem, args, cb + (i + r) * cRs, cols);
                }
            }
        }
    }

    /**
     * Offset of A's row {@code row} from the product's A: {@code row ars}, or with {@link #A_TAPS}
     * tap {@code (c, y, x)} of a convolution, {@code c ars + y s2 + x s3} (the weight gradient's
     * rows are the taps, read as shifted runs of the padded input planes).
     */
    static int aRow(IntArray args, int row) {
        int off = row * args.get(A_RS);
        if ((args.get(FLAGS) & A_TAPS) != 0) {
            int k3 = args.get(K3), taps = args.get(K2) * k3;
            int c = row / taps, t = row - c * taps, y = t / k3;
            off = c * args.get(A_RS) + y * args.get(S2) + (t - y * k3) * args.get(S3);
        }
        return off;
    }

    /** Row {@code i}'s 16 columns from {@code j} that lie inside C and are no pad columns, through the epilogue. */
    static void storeRow(FloatArray mem, IntArray args, FloatArray floats, int cb, int g, int i, int j, int[] cols, float[] c) {
        int o = cb + i * args.get(C_RS);
        for (int q = 0; q < 16; q++) {
            if (cols[q] >= 0) {
                finish(mem, args, floats, o + cols[q], g, i, j + q, c[q]);
            }
        }
    }

    /** The fused step for the stored columns of the row at {@code o}. */
    static void thenRow(FloatArray mem, IntArray args, int o, int[] cols) {
        for (int q = 0; q < 16; q++) {
            if (cols[q] >= 0) {
                then(mem, args, o + cols[q]);
            }
        }
    }

    /**
     * {@code cols[q]}: the offset in a row of C of the block's column {@code j + q}, or -1 past
     * C's edge or on a pad column; computed once per block (a division per element would cost a
     * small product more than its arithmetic).
     */
    static void columns(IntArray args, int j, int[] cols) {
        int n = args.get(N), pitch = args.get(PITCH), width = args.get(WIDTH), cCs = args.get(C_CS);
        if (pitch == n) {
            for (int q = 0; q < 16; q++) {
                cols[q] = j + q < n ? (j + q) * cCs : -1;
            }
        } else {
            for (int q = 0; q < 16; q++) {
                int col = j + q, x = col % pitch;
                cols[q] = col < n && x < width ? ((col / pitch) * width + x) * cCs : -1;
            }
        }
    }

    /**
     * A strided matrix copied into contiguous rows: {@code dst[z][r][c] = src[z sbs + r srs + c scs]}
     * (B given a unit column stride for {@link #blocked}); work-item {@code (x, y, z)} copies
     * columns {@code [16 x, 16 x + 16)} of row {@code y} of matrix {@code z}. args: srcOff, srs,
     * scs, sbs, dstOff, rows, cols.
     */
    public static void pack(KernelContext ctx, FloatArray mem, IntArray args) {
        int srs = args.get(1), scs = args.get(2), rows = args.get(5), cols = args.get(6);
        int c0 = ctx.globalIdx * 16, r = ctx.globalIdy, z = ctx.globalIdz;
        if (r < rows && c0 < cols) {
            int src = args.get(0) + z * args.get(3) + r * srs, dst = args.get(4) + (z * rows + r) * cols;
            for (int c = c0; c < Math.min(cols, c0 + 16); c++) {
                mem.set(dst + c, mem.get(src + c * scs));
            }
        }
    }

    // Task bindings: the device tasks each step of Gemm adds to a graph (called by the backend's dispatch).

    /**
     * One device GEMM's arguments (the int array both kernels read), built by the ops that run
     * on the GEMM: {@link #bind(DeviceTasks, Gemm)}, {@link TornadoConv} and {@link TornadoRelAttention}. Unset, a call is a
     * plain product: one image, one group, taps of one, unpitched columns, written, no bias.
     */
    static final class Call {
        final int[] a = new int[ARGS];
        float eps;

        Call() {
            a[THEN_IN] = -1;
            a[BATCH] = 1;
            a[GROUPS] = 1;
            a[PER] = 1;
            a[K2] = 1;
            a[K3] = 1;
            a[BIAS] = -1;
        }

        /** A's heap offset and its row, column, image and group strides. */
        Call a(int off, int rs, int cs, int bs, int gs) {
            return set(A_OFF, off, rs, cs, bs, gs);
        }

        /** B's heap offset and its row (channel, for taps), column, image and group strides. */
        Call b(int off, int rs, int cs, int bs, int gs) {
            return set(B_OFF, off, rs, cs, bs, gs);
        }

        /** C's heap offset and its row, column, run and group strides. */
        Call c(int off, int rs, int cs, int bs, int gs) {
            return set(C_OFF, off, rs, cs, bs, gs);
        }

        private Call set(int at, int off, int rs, int cs, int bs, int gs) {
            a[at] = off;
            a[at + 1] = rs;
            a[at + 2] = cs;
            a[at + 3] = bs;
            a[at + 4] = gs;
            return this;
        }

        /** {@code batch} images of {@code groups} products of {@code m x k . k x n}, each into its own C. */
        Call shape(int batch, int groups, int m, int n, int k) {
            a[BATCH] = batch;
            a[GROUPS] = groups;
            a[M] = m;
            a[N] = n;
            a[K1] = k;
            a[PITCH] = n;
            a[WIDTH] = n;
            return this;
        }

        /** B's rows are the taps {@code (c, y, x)} of {@code channels x k2 x k3}, at {@code c brs + y s2 + x s3}. */
        Call taps(int channels, int k2, int k3, int s2, int s3) {
            a[K1] = channels;
            a[K2] = k2;
            a[K3] = k3;
            a[S2] = s2;
            a[S3] = s3;
            return this;
        }

        /** The fused next step, computed by the epilogue. */
        Call then(DeviceTasks t, Then next) {
            if (next != null) {
                a[THEN] = next.kind();
                a[THEN_ACT] = next.act();
                a[THEN_OUT] = t.at(next.out());
                a[THEN_IN] = next.in() == null ? -1 : t.at(next.in());
                a[THEN_ACCUMULATE] = DeviceTasks.flag(next.accumulate());
            }
            return this;
        }

        /**
         * A's rows are the taps {@code (c, y, x)} of {@code k2 x k3} per channel, at
         * {@code c ars + y s2 + x s3} (the blocked kernel only; B's rows are then plain).
         */
        Call aTaps(int k2, int k3, int s2, int s3) {
            a[FLAGS] |= A_TAPS;
            a[K2] = k2;
            a[K3] = k3;
            a[S2] = s2;
            a[S3] = s3;
            return this;
        }

        boolean tapsOnA() {
            return (a[FLAGS] & A_TAPS) != 0;
        }

        /** Column {@code q} of C stands for pixel {@code (q / pitch, q % pitch)} of rows {@code width} wide. */
        Call pitched(int pitch, int width) {
            a[PITCH] = pitch;
            a[WIDTH] = width;
            return this;
        }

        /** Each C sums the products of a run of {@code per} images (the last run may be shorter). */
        Call sumRuns(int per) {
            a[PER] = per;
            return this;
        }

        Call accumulate(boolean yes) {
            a[FLAGS] = yes ? a[FLAGS] | ACCUMULATE : a[FLAGS] & ~ACCUMULATE;
            return this;
        }

        /** A bias per row of C (per output channel; group g's rows at {@code g m}) or per column. */
        Call bias(int off, boolean perRow) {
            a[BIAS] = off;
            a[FLAGS] |= perRow ? BIAS_ROW : BIAS_COL;
            return this;
        }

        /** The eval-mode batch norm and activation of C's rows (per output channel), applied as C is stored. */
        Call norm(DeviceTasks t, BatchNorm.RowEpilogue bn) {
            if (bn != null) {
                a[FLAGS] |= NORM;
                a[NORM_GAMMA] = t.at(bn.gamma());
                a[NORM_BETA] = t.at(bn.beta());
                a[NORM_MEAN] = t.at(bn.runMean());
                a[NORM_VAR] = t.at(bn.runVar());
                a[NORM_ACT] = TornadoActivation.code(bn.act());
                eps = bn.eps();
            }
            return this;
        }

        int m() {
            return a[M];
        }

        int n() {
            return a[N];
        }

        /** Products: runs of images times groups. */
        int products() {
            return (a[BATCH] + a[PER] - 1) / a[PER] * a[GROUPS];
        }

        /** The same product transposed: {@code C^T = B^T A^T} (B's rows must be plain, no taps; no row epilogue). */
        Call transposed() {
            if (a[K2] * a[K3] != 1 || a[PITCH] != a[WIDTH] || (a[FLAGS] & (NORM | A_TAPS)) != 0) {
                throw new IllegalStateException("only a plain product can be transposed");
            }
            Call t = new Call();
            System.arraycopy(a, 0, t.a, 0, ARGS);
            t.a(a[B_OFF], a[B_CS], a[B_RS], a[B_BS], a[B_GS]).b(a[A_OFF], a[A_CS], a[A_RS], a[A_BS], a[A_GS])
                    .c(a[C_OFF], a[C_CS], a[C_RS], a[C_BS], a[C_GS]);
            t.a[M] = a[N];
            t.a[N] = a[M];
            t.a[PITCH] = a[M];
            t.a[WIDTH] = a[M];
            if ((a[FLAGS] & (BIAS_ROW | BIAS_COL)) != 0) {
                t.a[FLAGS] ^= BIAS_ROW | BIAS_COL;
            }
            return t;
        }
    }

    /**
     * Adds the tasks of one device GEMM: the tiled kernel on a GPU-family device that takes its
     * 16 x 16 work-groups, else the blocked kernel (B must then have a unit column stride).
     */
    static void run(DeviceTasks t, Call c) {
        if (c.tapsOnA() && !blocked(t.limits())) {
            throw new IllegalStateException("taps on A run on the blocked GEMM only");
        }
        if (!blocked(t.limits())) {
            t.graph().task(t.task(Launch.groups(new int[] {ceil(c.n(), TILE), ceil(c.m(), TILE), c.products()}, new int[] {SIDE, SIDE, 1})),
                    TornadoGemm::tiled, t.ctx(), t.heap(), t.args(c.a), t.floats(c.eps));
        } else {
            if (c.a[B_CS] != 1) {
                throw new IllegalStateException("the blocked GEMM reads B's rows as contiguous runs; its column stride is " + c.a[B_CS]);
            }
            Launch launch = Launch.groups(new int[] {ceil(c.n(), CB), ceil(c.m(), RB), c.products()}, new int[] {1, 1, 1});
            if (c.tapsOnA() || c.a[K2] * c.a[K3] == 1) {
                t.graph().task(t.task(launch), TornadoGemm::blocked, t.ctx(), t.heap(), t.args(c.a), t.floats(c.eps));
            } else {
                t.graph().task(t.task(launch), TornadoGemm::blockedTaps, t.ctx(), t.heap(), t.args(c.a), t.floats(c.eps));
            }
        }
    }

    /** Copies {@code count} strided {@code rows x cols} matrices into contiguous rows at {@code dst}. */
    static void pack(DeviceTasks t, int src, int srs, int scs, int sbs, int dst, int rows, int cols, int count) {
        t.graph().task(t.task(Launch.groups(new int[] {ceil(cols, 16), rows, count}, new int[] {1, 1, 1})), TornadoGemm::pack, t.ctx(),
                t.heap(), t.args(src, srs, scs, sbs, dst, rows, cols));
    }

    static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }

    /** The product a Gemm step describes, before any packing. */
    static Call call(DeviceTasks t, Gemm s) {
        MatView a = s.a(), b = s.b(), c = s.c();
        Call call = new Call().a(t.at(a.slice()), a.rowStride(), a.colStride(), a.batchStride(), 0)
                .b(t.at(b.slice()), b.rowStride(), b.colStride(), b.batchStride(), 0)
                .c(t.at(c.slice()), c.rowStride(), c.colStride(), c.batchStride(), 0)
                .shape(s.batch(), 1, s.m(), s.n(), s.k()).accumulate(s.accumulate()).norm(t, s.rowNorm());
        if (c.batchStride() == 0 && s.batch() > 1) {
            call.sumRuns(s.batch());
        }
        if (s.biasMode() != Gemm.BiasMode.NONE) {
            call.bias(t.at(s.bias()), s.biasMode() == Gemm.BiasMode.ROW);
        }
        return call;
    }

    /**
     * The elementwise step right after a product that the product's epilogue computes as it
     * stores C, saving a task and a pass over C (C is still written): an activation of C
     * ({@link Activation.Forward}), a residual add of C and another map ({@link Elementwise.Add}),
     * or an activation's gradient whose incoming gradient is C ({@link Activation.Backward}). It
     * must read C whole, as one contiguous block.
     */
    public record Then(int kind, int act, Slice out, Slice in, boolean accumulate) {
        static final int NONE = 0, ACTIVATE = 1, ADD = 2, ACTIVATION_GRAD = 3;

        /** What {@code next} is to the product {@code s}, or null when its epilogue cannot compute it. */
        public static Then of(Gemm s, Step next) {
            MatView c = s.c();
            int images = c.batchStride() == 0 ? 1 : s.batch(), total = images * s.m() * s.n();
            boolean block = c.colStride() == 1 && c.rowStride() == s.n() && (images == 1 || c.batchStride() == s.m() * s.n());
            if (!block) {
                return null;
            }
            return switch (next) {
                case Activation.Forward f when same(f.x(), c.slice()) && f.n() == total ->
                        new Then(ACTIVATE, TornadoActivation.code(f.kind()), f.y(), null, false);
                case Elementwise.Add a when same(a.a(), c.slice()) && a.n() == total -> new Then(ADD, TornadoActivation.NONE, a.y(), a.b(), false);
                case Elementwise.Add a when same(a.b(), c.slice()) && a.n() == total -> new Then(ADD, TornadoActivation.NONE, a.y(), a.a(), false);
                case Activation.Backward b when same(b.dy(), c.slice()) && b.n() == total ->
                        new Then(ACTIVATION_GRAD, TornadoActivation.code(b.kind()), b.dx(), b.x(), b.accumulate());
                default -> null;
            };
        }

        static boolean same(Slice a, Slice b) {
            return a.arena() == b.arena() && a.offset() == b.offset();
        }
    }

    /** How the blocked kernel gets a B with unit column stride: as it is, by transposing the product, or by packing. */
    enum Layout { DIRECT, TRANSPOSED, PACK_B, PACK_A_TRANSPOSED }

    /** The cheapest way: no copy where B (or A, for the transposed product) already has unit stride, else the smaller copy. */
    static Layout layout(Gemm s) {
        if (s.b().colStride() == 1) {
            return Layout.DIRECT;
        }
        if (s.a().rowStride() == 1 && s.rowNorm() == null) {
            return Layout.TRANSPOSED;
        }
        long bCopies = s.b().batchStride() == 0 ? 1 : s.batch(), aCopies = s.a().batchStride() == 0 ? 1 : s.batch();
        return s.rowNorm() != null || bCopies * s.k() * s.n() <= aCopies * s.m() * s.k() ? Layout.PACK_B : Layout.PACK_A_TRANSPOSED;
    }

    /** Device workspace floats of a Gemm step: the packed operand, on devices that run the blocked kernel. */
    public static int workspaceFloats(Gemm s, DeviceLimits d) {
        if (!blocked(d)) {
            return 0;
        }
        return switch (layout(s)) {
            case DIRECT, TRANSPOSED -> 0;
            case PACK_B -> (s.b().batchStride() == 0 ? 1 : s.batch()) * s.k() * s.n();
            case PACK_A_TRANSPOSED -> (s.a().batchStride() == 0 ? 1 : s.batch()) * s.m() * s.k();
        };
    }

    /** Whether a device runs the blocked kernel (not the tiled one). */
    static boolean blocked(DeviceLimits d) {
        return d.cpu() || !d.fitsGroup(GROUP, SIDE, SIDE);
    }

    /**
     * A product over the batch, or a sum over it when C has no batch stride; the bias and any
     * batch-norm epilogue applied as C is stored. On the blocked kernel, an operand is packed
     * into the workspace first where neither B nor A (for the transposed product) has a unit
     * stride along C's columns.
     */
    public static void bind(DeviceTasks t, Gemm s) {
        bind(t, s, null);
    }

    /** The product and, in its epilogue, the step after it ({@code next}, from {@link Then#of}; null for none). */
    public static void bind(DeviceTasks t, Gemm s, Then next) {
        Call c = call(t, s).then(t, next);
        if (!blocked(t.limits())) {
            run(t, c);
            return;
        }
        MatView a = s.a(), b = s.b();
        int ws = t.workspace();
        switch (layout(s)) {
            case DIRECT -> run(t, c);
            case TRANSPOSED -> run(t, c.transposed());
            case PACK_B -> {
                boolean batched = b.batchStride() != 0;
                pack(t, t.at(b.slice()), b.rowStride(), b.colStride(), b.batchStride(), ws, s.k(), s.n(), batched ? s.batch() : 1);
                c.b(ws, s.n(), 1, batched ? s.k() * s.n() : 0, 0);
                run(t, c);
            }
            case PACK_A_TRANSPOSED -> {
                boolean batched = a.batchStride() != 0;
                // A^T as k rows of m: the transposed product's B
                pack(t, t.at(a.slice()), a.colStride(), a.rowStride(), a.batchStride(), ws, s.k(), s.m(), batched ? s.batch() : 1);
                c.a(ws, 1, s.m(), batched ? s.m() * s.k() : 0, 0);
                run(t, c.transposed());
            }
        }
    }
}
