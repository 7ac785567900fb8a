package hybridlab.kernels;

/**
 * Dropout ({@code group == 1}) and stochastic depth ({@code group} = elements per sample):
 * {@code y = x * keep(i / group) / p}. The mask is a hash of (seed, step, site, index), so
 * backward recomputes it instead of storing it, every device draws the same mask, and no
 * random state is shared between threads.
 */
public final class Dropout {
    private Dropout() {
    }

    /** Uniform in [0, 1) from a 64-bit mix (splitmix64 finaliser) of the four coordinates. */
    public static float uniform(int seed, int step, int site, int index) {
        long z = ((long) seed << 32) ^ ((long) step * 0x9E3779B97F4A7C15L) ^ ((long) site << 48) ^ index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 40) * 0x1.0p-24f;
    }

    static void check(Slice a, Slice b, int n, int group, Slice hyper) {
        Elementwise.need(a, n, "dropout in");
        Elementwise.need(b, n, "dropout out");
        Elementwise.need(hyper, Hyper.SIZE, "dropout hyper");
        if (group < 1 || n % group != 0) {
            throw new IllegalArgumentException("dropout group " + group + " must divide " + n);
        }
    }

    public record Forward(Slice x, Slice y, int n, int group, float keep, int site, Slice hyper) implements Step {
        public Forward {
            check(x, y, n, group, hyper);
        }

        @Override
        public JvmTask jvm(int workers) {
            return JvmTask.elementwise(n, (from, to) -> apply(x, y, n, group, keep, site, hyper, from, to, false));
        }
    }

    /** {@code dx (+)= dy * mask / p} with the forward pass's mask. */
    public record Backward(Slice dy, Slice dx, int n, int group, float keep, int site, Slice hyper,
                           boolean accumulate) implements Step {
        public Backward {
            check(dy, dx, n, group, hyper);
        }

        @Override
        public JvmTask jvm(int workers) {
            return JvmTask.elementwise(n, (from, to) -> apply(dy, dx, n, group, keep, site, hyper, from, to, accumulate));
        }
    }

    static void apply(Slice in, Slice out, int n, int group, float keep, int site, Slice hyper, int from, int to,
                      boolean accumulate) {
        float[] X = in.f(), Y = out.f(), H = hyper.f();
        int seed = (int) H[hyper.offset() + Hyper.SEED], step = (int) H[hyper.offset() + Hyper.STEP];
        float inv = 1f / keep;
        for (int i = from; i < to; i++) {
            float m = uniform(seed, step, site, i / group) < keep ? inv : 0f;
            float v = X[in.offset() + i] * m;
            Y[out.offset() + i] = accumulate ? Y[out.offset() + i] + v : v;
        }
    }
}
