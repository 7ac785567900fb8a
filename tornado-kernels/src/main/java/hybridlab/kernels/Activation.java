package hybridlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Pointwise nonlinearities: exact (erf) GELU, SiLU and sigmoid, forward and backward. */
public final class Activation {
    private Activation() {
    }

    public enum Kind { GELU, SILU, SIGMOID }

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** {@code y = f(x)}. */
    public record Forward(Kind kind, Slice x, Slice y, int n) implements Step {
        public Forward {
            Elementwise.need(x, n, "act x");
            Elementwise.need(y, n, "act y");
        }

        @Override
        public String label() {
            return kind + " forward";
        }

        @Override
        public JvmTask jvm(int workers) {
            float[] X = x.f(), Y = y.f();
            int xo = x.offset(), yo = y.offset();
            return JvmTask.elementwise(n, (from, to) -> forward(kind, X, xo, Y, yo, from, to));
        }
    }

    /** {@code dx (+)= dy * f'(x)}. */
    public record Backward(Kind kind, Slice x, Slice dy, Slice dx, int n, boolean accumulate) implements Step {
        public Backward {
            Elementwise.need(x, n, "act x");
            Elementwise.need(dy, n, "act dy");
            Elementwise.need(dx, n, "act dx");
        }

        @Override
        public String label() {
            return kind + " backward";
        }

        @Override
        public JvmTask jvm(int workers) {
            float[] X = x.f(), DY = dy.f(), DX = dx.f();
            int xo = x.offset(), dyo = dy.offset(), dxo = dx.offset();
            return JvmTask.elementwise(n, (from, to) -> backward(kind, X, xo, DY, dyo, DX, dxo, from, to, accumulate));
        }
    }

    // One small method per kind and direction, with the math written out in each loop: C2 must
    // compile each vector loop as one unit for the vectors to stay in registers (a shared switch
    // over kinds, or helpers taking and returning vectors, made it box them).
    static void forward(Kind kind, float[] x, int xo, float[] y, int yo, int from, int to) {
        switch (kind) {
            case GELU -> geluForward(x, xo, y, yo, from, to);
            case SILU -> siluForward(x, xo, y, yo, from, to);
            case SIGMOID -> sigmoidForward(x, xo, y, yo, from, to);
        }
    }

    static void backward(Kind kind, float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo,
                         int from, int to, boolean accumulate) {
        switch (kind) {
            case GELU -> geluBackward(x, xo, dy, dyo, dx, dxo, from, to, accumulate);
            case SILU -> siluBackward(x, xo, dy, dyo, dx, dxo, from, to, accumulate);
            case SIGMOID -> sigmoidBackward(x, xo, dy, dyo, dx, dxo, from, to, accumulate);
        }
    }

    // GELU(x) = x * Phi(x) with Phi from erf (Abramowitz & Stegun 7.1.26); its exp(-x^2 / 2) is
    // also the normal density in GELU'(x) = Phi(x) + x phi(x), so each direction needs one exp.
    static void geluForward(float[] x, int xo, float[] y, int yo, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector az = v.abs().mul(INV_SQRT2);
            FloatVector t = FloatVector.broadcast(S, 1f).div(az.mul(P).add(1f));
            FloatVector poly = t.mul(A5).add(A4).mul(t).add(A3).mul(t).add(A2).mul(t).add(A1).mul(t);
            FloatVector erfAbs = poly.mul(FastMath.exp(az.mul(az).neg())).neg().add(1f);
            FloatVector erf = erfAbs.blend(erfAbs.neg(), v.lt(0f));
            v.mul(0.5f).mul(erf.add(1f)).intoArray(y, yo + i);
        }
        for (; i < to; i++) {
            y[yo + i] = gelu(x[xo + i]);
        }
    }

    static void siluForward(float[] x, int xo, float[] y, int yo, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector sg = FloatVector.broadcast(S, 1f).div(FastMath.exp(v.neg()).add(1f));
            v.mul(sg).intoArray(y, yo + i);
        }
        for (; i < to; i++) {
            y[yo + i] = x[xo + i] * sigmoid(x[xo + i]);
        }
    }

    static void sigmoidForward(float[] x, int xo, float[] y, int yo, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector.broadcast(S, 1f).div(FastMath.exp(v.neg()).add(1f)).intoArray(y, yo + i);
        }
        for (; i < to; i++) {
            y[yo + i] = sigmoid(x[xo + i]);
        }
    }

    static void geluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int from, int to,
                             boolean accumulate) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector az = v.abs().mul(INV_SQRT2);
            FloatVector t = FloatVector.broadcast(S, 1f).div(az.mul(P).add(1f));
            FloatVector poly = t.mul(A5).add(A4).mul(t).add(A3).mul(t).add(A2).mul(t).add(A1).mul(t);
            FloatVector e = FastMath.exp(az.mul(az).neg());
            FloatVector erfAbs = poly.mul(e).neg().add(1f);
            FloatVector erf = erfAbs.blend(erfAbs.neg(), v.lt(0f));
            FloatVector d = erf.add(1f).mul(0.5f).add(v.mul(e.mul(INV_SQRT_2PI)));
            FloatVector g = d.mul(FloatVector.fromArray(S, dy, dyo + i));
            if (accumulate) {
                g = g.add(FloatVector.fromArray(S, dx, dxo + i));
            }
            g.intoArray(dx, dxo + i);
        }
        for (; i < to; i++) {
            float g = geluGrad(x[xo + i]) * dy[dyo + i];
            dx[dxo + i] = accumulate ? dx[dxo + i] + g : g;
        }
    }

    static void siluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int from, int to,
                             boolean accumulate) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector s = FloatVector.broadcast(S, 1f).div(FastMath.exp(v.neg()).add(1f));
            FloatVector g = s.add(v.mul(s).mul(s.neg().add(1f))).mul(FloatVector.fromArray(S, dy, dyo + i));
            if (accumulate) {
                g = g.add(FloatVector.fromArray(S, dx, dxo + i));
            }
            g.intoArray(dx, dxo + i);
        }
        for (; i < to; i++) {
            float s = sigmoid(x[xo + i]);
            float g = (s + x[xo + i] * s * (1f - s)) * dy[dyo + i];
            dx[dxo + i] = accumulate ? dx[dxo + i] + g : g;
        }
    }

    static void sigmoidBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int from, int to,
                                boolean accumulate) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector s = FloatVector.broadcast(S, 1f).div(FastMath.exp(v.neg()).add(1f));
            FloatVector g = s.mul(s.neg().add(1f)).mul(FloatVector.fromArray(S, dy, dyo + i));
            if (accumulate) {
                g = g.add(FloatVector.fromArray(S, dx, dxo + i));
            }
            g.intoArray(dx, dxo + i);
        }
        for (; i < to; i++) {
            float s = sigmoid(x[xo + i]);
            float g = s * (1f - s) * dy[dyo + i];
            dx[dxo + i] = accumulate ? dx[dxo + i] + g : g;
        }
    }

    static final float INV_SQRT2 = 0.70710678118654752f;
    static final float INV_SQRT_2PI = 0.39894228040143268f;

    // erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): only exp, so it ports to any device.
    static final float P = 0.3275911f, A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f,
            A4 = -1.453152027f, A5 = 1.061405429f;

    /** {@code |erf(z)|} from its polynomial and {@code e = exp(-z^2)}, in the vector loops' operation order. */
    private static float erfAbs(float az, float e) {
        float t = 1f / (az * P + 1f);
        float poly = ((((t * A5 + A4) * t + A3) * t + A2) * t + A1) * t;
        return -(poly * e) + 1f;
    }

    public static float erf(float x) {
        float ax = Math.abs(x);
        float r = erfAbs(ax, FastMath.exp(-(ax * ax)));
        return x < 0 ? -r : r;
    }

    public static float gelu(float x) {
        float az = Math.abs(x) * INV_SQRT2;
        float r = erfAbs(az, FastMath.exp(-(az * az)));
        float erf = x < 0 ? -r : r;
        return x * 0.5f * (erf + 1f);
    }

    public static float geluGrad(float x) {
        float az = Math.abs(x) * INV_SQRT2;
        float e = FastMath.exp(-(az * az));
        float r = erfAbs(az, e);
        float erf = x < 0 ? -r : r;
        return (erf + 1f) * 0.5f + x * (e * INV_SQRT_2PI);
    }

    public static float sigmoid(float x) {
        return 1f / (1f + FastMath.exp(-x));
    }

}
