package hybridlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorized sums with a fixed order: lane-wise accumulation over whole vectors, then the lanes
 * added one by one, then the scalar tail. The order depends only on the length, so results are
 * the same on every thread and in every JIT tier (no {@code reduceLanes}, whose order may differ
 * between compiled and interpreted code).
 */
final class Reductions {
    private Reductions() {
    }

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    static float lanes(FloatVector v) {
        float s = 0f;
        for (int i = 0; i < S.length(); i++) {
            s += v.lane(i);
        }
        return s;
    }

    /** {@code sum a[o .. o+n)}. */
    static float sum(float[] a, int o, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            acc = acc.add(FloatVector.fromArray(S, a, o + i));
        }
        float tail = 0f;
        for (; i < n; i++) {
            tail += a[o + i];
        }
        return lanes(acc) + tail;
    }

    /** {@code sum (a - mu)^2}. */
    static float squaredDeviation(float[] a, int o, int n, float mu) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector d = FloatVector.fromArray(S, a, o + i).sub(mu);
            acc = d.fma(d, acc);
        }
        float tail = 0f;
        for (; i < n; i++) {
            float d = a[o + i] - mu;
            tail = Math.fma(d, d, tail);
        }
        return lanes(acc) + tail;
    }

    /** {@code sum g * (x - mu)}. */
    static float centeredDot(float[] g, int go, float[] x, int xo, int n, float mu) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector d = FloatVector.fromArray(S, x, xo + i).sub(mu);
            acc = d.fma(FloatVector.fromArray(S, g, go + i), acc);
        }
        float tail = 0f;
        for (; i < n; i++) {
            tail = Math.fma(x[xo + i] - mu, g[go + i], tail);
        }
        return lanes(acc) + tail;
    }

    /** {@code y = x * scale + shift} over n elements. */
    static void affine(float[] x, int xo, float[] y, int yo, int n, float scale, float shift) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xo + i).fma(scale, shift).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = Math.fma(x[xo + i], scale, shift);
        }
    }

    /** {@code y (+)= a * g + b * x + c} over n elements (two fused multiply-adds each). */
    static void combine(float[] g, int go, float[] x, int xo, float[] y, int yo, int n, float a, float b, float c,
                        boolean accumulate) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(S, a), vc = FloatVector.broadcast(S, c);
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i).fma(b, 0f);
            v = FloatVector.fromArray(S, g, go + i).fma(va, v.add(vc));
            if (accumulate) {
                v = v.add(FloatVector.fromArray(S, y, yo + i));
            }
            v.intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            float v = Math.fma(g[go + i], a, Math.fma(x[xo + i], b, 0f) + c);
            y[yo + i] = accumulate ? y[yo + i] + v : v;
        }
    }
}
