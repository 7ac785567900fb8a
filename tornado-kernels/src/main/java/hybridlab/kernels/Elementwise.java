package hybridlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Fill, strided block copy, add, scale and product over flat slices. */
public final class Elementwise {
    private Elementwise() {
    }

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    static void need(Slice s, long len, String what) {
        if (len > s.length()) {
            throw new IllegalArgumentException(what + " needs " + len + " elements, slice has " + s.length());
        }
    }

    /** {@code dst[i] = value}. */
    public record Fill(Slice dst, float value) implements Step {
        @Override
        public JvmTask jvm(int workers) {
            float[] d = dst.f();
            int o = dst.offset();
            return JvmTask.elementwise(dst.length(), (from, to) -> java.util.Arrays.fill(d, o + from, o + to, value));
        }
    }

    /**
     * Copies {@code blocks} runs of {@code len} elements: run r goes from
     * {@code src[r * srcStride ...]} to {@code dst[r * dstStride ...]}, added when accumulating.
     * Covers concat/split along channels, CLS insert/remove and gradient pass-through.
     */
    public record Copy(Slice src, int srcStride, Slice dst, int dstStride, int blocks, int len,
                       boolean accumulate) implements Step {
        public Copy {
            need(src, (long) (blocks - 1) * srcStride + len, "copy src");
            need(dst, (long) (blocks - 1) * dstStride + len, "copy dst");
        }

        /** A single contiguous copy of a whole slice. */
        public static Copy of(Slice src, Slice dst, boolean accumulate) {
            return new Copy(src, src.length(), dst, dst.length(), 1, src.length(), accumulate);
        }

        @Override
        public JvmTask jvm(int workers) {
            float[] s = src.f(), d = dst.f();
            int per = JvmTask.blocks(len);
            return new JvmTask(blocks * per, (from, to, w) -> {
                for (int t = from; t < to; t++) {
                    int r = t / per, c0 = (t % per) * JvmTask.BLOCK, c1 = Math.min(len, c0 + JvmTask.BLOCK);
                    int so = src.offset() + r * srcStride + c0, dof = dst.offset() + r * dstStride + c0;
                    if (accumulate) {
                        addInto(s, so, d, dof, c1 - c0);
                    } else {
                        System.arraycopy(s, so, d, dof, c1 - c0);
                    }
                }
            });
        }
    }

    /** {@code d[do..do+n) += s[so..so+n)}. */
    static void addInto(float[] s, int so, float[] d, int dof, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, d, dof + i).add(FloatVector.fromArray(S, s, so + i)).intoArray(d, dof + i);
        }
        for (; i < n; i++) {
            d[dof + i] += s[so + i];
        }
    }

    /** {@code y = a + b} (the residual connection). */
    public record Add(Slice a, Slice b, Slice y, int n) implements Step {
        public Add {
            need(a, n, "add a");
            need(b, n, "add b");
            need(y, n, "add y");
        }

        @Override
        public JvmTask jvm(int workers) {
            float[] A = a.f(), B = b.f(), Y = y.f();
            return JvmTask.elementwise(n, (from, to) -> add(A, a.offset(), B, b.offset(), Y, y.offset(), from, to));
        }
    }

    static void add(float[] a, int ao, float[] b, int bo, float[] y, int yo, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            FloatVector.fromArray(S, a, ao + i).add(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
        }
        for (; i < to; i++) {
            y[yo + i] = a[ao + i] + b[bo + i];
        }
    }

    /** {@code y (+)= alpha * x}. */
    public record Scale(Slice x, Slice y, int n, float alpha, boolean accumulate) implements Step {
        public Scale {
            need(x, n, "scale x");
            need(y, n, "scale y");
        }

        @Override
        public JvmTask jvm(int workers) {
            float[] X = x.f(), Y = y.f();
            int xo = x.offset(), yo = y.offset();
            return JvmTask.elementwise(n, (from, to) -> {
                for (int i = from; i < to; i++) {
                    float v = alpha * X[xo + i];
                    Y[yo + i] = accumulate ? Y[yo + i] + v : v;
                }
            });
        }
    }

    /** {@code y (+)= a * b}, elementwise; its own backward (da = dy * b, db = dy * a). */
    public record Mul(Slice a, Slice b, Slice y, int n, boolean accumulate) implements Step {
        public Mul {
            need(a, n, "mul a");
            need(b, n, "mul b");
            need(y, n, "mul y");
        }

        @Override
        public JvmTask jvm(int workers) {
            float[] A = a.f(), B = b.f(), Y = y.f();
            int ao = a.offset(), bo = b.offset(), yo = y.offset();
            return JvmTask.elementwise(n, (from, to) -> {
                int i = from;
                for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
                    FloatVector v = FloatVector.fromArray(S, A, ao + i).mul(FloatVector.fromArray(S, B, bo + i));
                    if (accumulate) {
                        v = v.add(FloatVector.fromArray(S, Y, yo + i));
                    }
                    v.intoArray(Y, yo + i);
                }
                for (; i < to; i++) {
                    float v = A[ao + i] * B[bo + i];
                    Y[yo + i] = accumulate ? Y[yo + i] + v : v;
                }
            });
        }
    }
}
