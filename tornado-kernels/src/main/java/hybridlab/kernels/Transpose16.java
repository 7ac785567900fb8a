package hybridlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 16 x 16 transpose in vector registers, for packing a GEMM operand whose contiguous direction
 * is the one the micro-kernel wants across lanes (a transposed B, the columns of an implicit
 * convolution): four rounds of two-vector permutes swap ever smaller blocks, 64 permutes for 256
 * values where a scalar copy moves them one at a time. Only where vectors hold 16 floats
 * ({@link #AVAILABLE}); callers keep the scalar copy for other machines and for edges.
 */
final class Transpose16 {
    private Transpose16() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final boolean AVAILABLE = S.length() == 16;
    private static final int N = 16;
    /** Round r (block size b = 8 >> r): lanes of the new low and high row of each pair. */
    private static final FloatVector[] LOW = new FloatVector[4], HIGH = new FloatVector[4];

    static {
        if (AVAILABLE) {
            for (int r = 0; r < 4; r++) {
                int b = 8 >> r;
                float[] low = new float[N], high = new float[N];
                for (int lane = 0; lane < N; lane++) {
                    boolean upper = (lane & b) != 0;
                    // selectFrom(x, y): index i < 16 reads x[i], i >= 16 reads y[i - 16]
                    low[lane] = upper ? N + lane - b : lane;
                    high[lane] = upper ? N + lane : lane + b;
                }
                LOW[r] = FloatVector.fromArray(S, low, 0);
                HIGH[r] = FloatVector.fromArray(S, high, 0);
            }
        }
    }

    /**
     * {@code dst[d + i w + q] = src[starts[q] + i]} for the whole 16 x 16 blocks of {@code runs}
     * runs of {@code length} values: q and i below {@code runs} and {@code length} rounded down to
     * a multiple of 16. The caller copies the rest.
     */
    static void blocks(float[] src, int[] starts, int runs, int length, float[] dst, int d, int w) {
        for (int q = 0; q + N <= runs; q += N) {
            for (int i = 0; i + N <= length; i += N) {
                block(src, starts, q, i, dst, d + i * w + q, w);
            }
        }
    }

    /**
     * {@code dst[d + i w + q] = src[starts[at + q] + p + i]} for i, q in [0, 16): the 16 runs that
     * start at {@code starts[at..at+16) + p} become the columns of 16 rows {@code w} apart.
     * Unrolled with named vectors: an array of vectors would be allocated, not kept in registers.
     */
    static void block(float[] src, int[] starts, int at, int p, float[] dst, int d, int w) {
        FloatVector r0 = FloatVector.fromArray(S, src, starts[at + 0] + p);
        FloatVector r1 = FloatVector.fromArray(S, src, starts[at + 1] + p);
        FloatVector r2 = FloatVector.fromArray(S, src, starts[at + 2] + p);
        FloatVector r3 = FloatVector.fromArray(S, src, starts[at + 3] + p);
        FloatVector r4 = FloatVector.fromArray(S, src, starts[at + 4] + p);
        FloatVector r5 = FloatVector.fromArray(S, src, starts[at + 5] + p);
        FloatVector r6 = FloatVector.fromArray(S, src, starts[at + 6] + p);
        FloatVector r7 = FloatVector.fromArray(S, src, starts[at + 7] + p);
        FloatVector r8 = FloatVector.fromArray(S, src, starts[at + 8] + p);
        FloatVector r9 = FloatVector.fromArray(S, src, starts[at + 9] + p);
        FloatVector r10 = FloatVector.fromArray(S, src, starts[at + 10] + p);
        FloatVector r11 = FloatVector.fromArray(S, src, starts[at + 11] + p);
        FloatVector r12 = FloatVector.fromArray(S, src, starts[at + 12] + p);
        FloatVector r13 = FloatVector.fromArray(S, src, starts[at + 13] + p);
        FloatVector r14 = FloatVector.fromArray(S, src, starts[at + 14] + p);
        FloatVector r15 = FloatVector.fromArray(S, src, starts[at + 15] + p);
        // blocks of 8
        FloatVector t1 = LOW[0].selectFrom(r0, r8);
        FloatVector t2 = HIGH[0].selectFrom(r0, r8);
        FloatVector t3 = LOW[0].selectFrom(r1, r9);
        FloatVector t4 = HIGH[0].selectFrom(r1, r9);
        FloatVector t5 = LOW[0].selectFrom(r2, r10);
        FloatVector t6 = HIGH[0].selectFrom(r2, r10);
        FloatVector t7 = LOW[0].selectFrom(r3, r11);
        FloatVector t8 = HIGH[0].selectFrom(r3, r11);
        FloatVector t9 = LOW[0].selectFrom(r4, r12);
        FloatVector t10 = HIGH[0].selectFrom(r4, r12);
        FloatVector t11 = LOW[0].selectFrom(r5, r13);
        FloatVector t12 = HIGH[0].selectFrom(r5, r13);
        FloatVector t13 = LOW[0].selectFrom(r6, r14);
        FloatVector t14 = HIGH[0].selectFrom(r6, r14);
        FloatVector t15 = LOW[0].selectFrom(r7, r15);
        FloatVector t16 = HIGH[0].selectFrom(r7, r15);
        // blocks of 4
        FloatVector t17 = LOW[1].selectFrom(t1, t9);
        FloatVector t18 = HIGH[1].selectFrom(t1, t9);
        FloatVector t19 = LOW[1].selectFrom(t3, t11);
        FloatVector t20 = HIGH[1].selectFrom(t3, t11);
        FloatVector t21 = LOW[1].selectFrom(t5, t13);
        FloatVector t22 = HIGH[1].selectFrom(t5, t13);
        FloatVector t23 = LOW[1].selectFrom(t7, t15);
        FloatVector t24 = HIGH[1].selectFrom(t7, t15);
        FloatVector t25 = LOW[1].selectFrom(t2, t10);
        FloatVector t26 = HIGH[1].selectFrom(t2, t10);
        FloatVector t27 = LOW[1].selectFrom(t4, t12);
        FloatVector t28 = HIGH[1].selectFrom(t4, t12);
        FloatVector t29 = LOW[1].selectFrom(t6, t14);
        FloatVector t30 = HIGH[1].selectFrom(t6, t14);
        FloatVector t31 = LOW[1].selectFrom(t8, t16);
        FloatVector t32 = HIGH[1].selectFrom(t8, t16);
        // blocks of 2
        FloatVector t33 = LOW[2].selectFrom(t17, t21);
        FloatVector t34 = HIGH[2].selectFrom(t17, t21);
        FloatVector t35 = LOW[2].selectFrom(t19, t23);
        FloatVector t36 = HIGH[2].selectFrom(t19, t23);
        FloatVector t37 = LOW[2].selectFrom(t18, t22);
        FloatVector t38 = HIGH[2].selectFrom(t18, t22);
        FloatVector t39 = LOW[2].selectFrom(t20, t24);
        FloatVector t40 = HIGH[2].selectFrom(t20, t24);
        FloatVector t41 = LOW[2].selectFrom(t25, t29);
        FloatVector t42 = HIGH[2].selectFrom(t25, t29);
        FloatVector t43 = LOW[2].selectFrom(t27, t31);
        FloatVector t44 = HIGH[2].selectFrom(t27, t31);
        FloatVector t45 = LOW[2].selectFrom(t26, t30);
        FloatVector t46 = HIGH[2].selectFrom(t26, t30);
        FloatVector t47 = LOW[2].selectFrom(t28, t32);
        FloatVector t48 = HIGH[2].selectFrom(t28, t32);
        // blocks of 1
        FloatVector t49 = LOW[3].selectFrom(t33, t35);
        FloatVector t50 = HIGH[3].selectFrom(t33, t35);
        FloatVector t51 = LOW[3].selectFrom(t34, t36);
        FloatVector t52 = HIGH[3].selectFrom(t34, t36);
        FloatVector t53 = LOW[3].selectFrom(t37, t39);
        FloatVector t54 = HIGH[3].selectFrom(t37, t39);
        FloatVector t55 = LOW[3].selectFrom(t38, t40);
        FloatVector t56 = HIGH[3].selectFrom(t38, t40);
        FloatVector t57 = LOW[3].selectFrom(t41, t43);
        FloatVector t58 = HIGH[3].selectFrom(t41, t43);
        FloatVector t59 = LOW[3].selectFrom(t42, t44);
        FloatVector t60 = HIGH[3].selectFrom(t42, t44);
        FloatVector t61 = LOW[3].selectFrom(t45, t47);
        FloatVector t62 = HIGH[3].selectFrom(t45, t47);
        FloatVector t63 = LOW[3].selectFrom(t46, t48);
        FloatVector t64 = HIGH[3].selectFrom(t46, t48);
        t49.intoArray(dst, d);
        t50.intoArray(dst, d + 1 * w);
        t51.intoArray(dst, d + 2 * w);
        t52.intoArray(dst, d + 3 * w);
        t53.intoArray(dst, d + 4 * w);
        t54.intoArray(dst, d + 5 * w);
        t55.intoArray(dst, d + 6 * w);
        t56.intoArray(dst, d + 7 * w);
        t57.intoArray(dst, d + 8 * w);
        t58.intoArray(dst, d + 9 * w);
        t59.intoArray(dst, d + 10 * w);
        t60.intoArray(dst, d + 11 * w);
        t61.intoArray(dst, d + 12 * w);
        t62.intoArray(dst, d + 13 * w);
        t63.intoArray(dst, d + 14 * w);
        t64.intoArray(dst, d + 15 * w);
    }
}
