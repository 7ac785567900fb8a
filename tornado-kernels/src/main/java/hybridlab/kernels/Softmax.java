package hybridlab.kernels;

/**
 * Softmax along one axis of an {@code (outer, n, inner)} array: over the last axis when
 * {@code inner == 1}, over tokens per channel (CoaT's softmax of K) when {@code inner} is the
 * channel count. Items: (outer, inner) lines.
 */
public final class Softmax {
    private Softmax() {
    }

    static void check(Slice a, int outer, int n, int inner, String what) {
        Elementwise.need(a, (long) outer * n * inner, what);
    }

    public record Forward(Slice x, Slice y, int outer, int n, int inner) implements Step {
        public Forward {
            check(x, outer, n, inner, "softmax x");
            check(y, outer, n, inner, "softmax y");
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(outer * inner, (from, to, w) -> {
                for (int t = from; t < to; t++) {
                    int base = (t / inner) * n * inner + t % inner;
                    forwardLine(x.f(), x.offset() + base, y.f(), y.offset() + base, n, inner);
                }
            });
        }
    }

    static void forwardLine(float[] x, int xo, float[] y, int yo, int n, int stride) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[xo + i * stride]);
        }
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            float e = FastMath.exp(x[xo + i * stride] - max);
            y[yo + i * stride] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int i = 0; i < n; i++) {
            y[yo + i * stride] *= inv;
        }
    }

    /** {@code dx (+)= y * (dy - sum(dy * y))}. */
    public record Backward(Slice y, Slice dy, Slice dx, int outer, int n, int inner, boolean accumulate) implements Step {
        public Backward {
            check(y, outer, n, inner, "softmax y");
            check(dy, outer, n, inner, "softmax dy");
            check(dx, outer, n, inner, "softmax dx");
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(outer * inner, (from, to, w) -> {
                float[] Y = y.f(), DY = dy.f(), DX = dx.f();
                for (int t = from; t < to; t++) {
                    int base = (t / inner) * n * inner + t % inner;
                    int yo = y.offset() + base, go = dy.offset() + base, o = dx.offset() + base;
                    float dot = 0f;
                    for (int i = 0; i < n; i++) {
                        dot += DY[go + i * inner] * Y[yo + i * inner];
                    }
                    for (int i = 0; i < n; i++) {
                        float v = Y[yo + i * inner] * (DY[go + i * inner] - dot);
                        DX[o + i * inner] = accumulate ? DX[o + i * inner] + v : v;
                    }
                }
            });
        }
    }
}
