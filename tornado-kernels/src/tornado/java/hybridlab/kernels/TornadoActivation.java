package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device twins of {@link Activation}: exact (erf) GELU, SiLU and sigmoid, forward and backward,
 * with the same erf polynomial (Abramowitz &amp; Stegun 7.1.26) and {@link TornadoFastMath#exp}.
 * {@code kind} is {@link Activation.Kind#ordinal()}, passed in a task's {@code args} like its other
 * ints, so a kernel branches on it. {@link #NONE} (-1) is the identity (batch norm without activation).
 */
public final class TornadoActivation {
    private TornadoActivation() {
    }

    public static final int NONE = -1;
    static final int GELU = 0, SILU = 1, SIGMOID = 2;

    /** The kind code of {@code k}, or {@link #NONE} for null. */
    public static int code(Activation.Kind k) {
        return k == null ? NONE : k.ordinal();
    }

    /** {@link Activation.Forward}: {@code y = f(x)}. args: kind, xOff, yOff, n. */
    public static void forward(FloatArray mem, IntArray args) {
        int kind = args.get(0), xOff = args.get(1), yOff = args.get(2), n = args.get(3);
        for (@Parallel int i = 0; i < Math.max(0, n); i++) {
            mem.set(yOff + i, apply(kind, mem.get(xOff + i)));
        }
    }

    /** {@link Activation.Backward}: {@code dx (+)= dy f'(x)}. args: kind, xOff, dyOff, dxOff, n, accumulate. */
    public static void backward(FloatArray mem, IntArray args) {
        int kind = args.get(0), xOff = args.get(1), dyOff = args.get(2), dxOff = args.get(3), n = args.get(4), accumulate = args.get(5);
        for (@Parallel int i = 0; i < Math.max(0, n); i++) {
            float g = grad(kind, mem.get(xOff + i)) * mem.get(dyOff + i);
            mem.set(dxOff + i, accumulate != 0 ? mem.get(dxOff + i) + g : g);
        }
    }

    /** {@code f(x)} for a kind code ({@link #NONE}: x). */
    static float apply(int kind, float x) {
        float r = x;
        if (kind == GELU) {
            r = gelu(x);
        } else if (kind == SILU) {
            r = x * sigmoid(x);
        } else if (kind == SIGMOID) {
            r = sigmoid(x);
        }
        return r;
    }

    /** {@code f'(x)} for a kind code ({@link #NONE}: 1). */
    static float grad(int kind, float x) {
        float r = 1f;
        if (kind == GELU) {
            r = geluGrad(x);
        } else if (kind == SILU) {
            float s = sigmoid(x);
            r = s + x * s * (1f - s);
        } else if (kind == SIGMOID) {
            float s = sigmoid(x);
            r = s * (1f - s);
        }
        return r;
    }

    /** Lane width of the CPU kernels' blocks: one AVX-512 register of floats. */
    static final int LANES = 16;

    /**
     * {@code t[l] = f(t[l])} for the {@link #LANES} lanes of a CPU kernel's block: one loop per
     * kind, so that the compiler turns each into SIMD instructions (a kind test inside the
     * lanes would keep them scalar).
     */
    static void applyLanes(int kind, float[] t) {
        if (kind == GELU) {
            for (int l = 0; l < LANES; l++) {
                t[l] = gelu(t[l]);
            }
        } else if (kind == SILU) {
            for (int l = 0; l < LANES; l++) {
                t[l] = t[l] * sigmoid(t[l]);
            }
        } else if (kind == SIGMOID) {
            for (int l = 0; l < LANES; l++) {
                t[l] = sigmoid(t[l]);
            }
        }
    }

    /** {@code t[l] = f'(t[l])} for the lanes of a block, as {@link #applyLanes}. */
    static void gradLanes(int kind, float[] t) {
        if (kind == GELU) {
            for (int l = 0; l < LANES; l++) {
                t[l] = geluGrad(t[l]);
            }
        } else if (kind == SILU) {
            for (int l = 0; l < LANES; l++) {
                float s = sigmoid(t[l]);
                t[l] = s + t[l] * s * (1f - s);
            }
        } else if (kind == SIGMOID) {
            for (int l = 0; l < LANES; l++) {
                float s = sigmoid(t[l]);
                t[l] = s * (1f - s);
            }
        } else {
            for (int l = 0; l < LANES; l++) {
                t[l] = 1f;
            }
        }
    }

    static float sigmoid(float x) {
        return 1f / (1f + TornadoFastMath.exp(-x));
    }

    static float erfAbs(float az, float e) {
        float t = 1f / (az * Activation.P + 1f);
        float poly = ((((t * Activation.A5 + Activation.A4) * t + Activation.A3) * t + Activation.A2) * t + Activation.A1) * t;
        return 1f - poly * e;
    }

    static float gelu(float x) {
        float az = Math.abs(x) * Activation.INV_SQRT2;
        float r = erfAbs(az, TornadoFastMath.exp(-(az * az)));
        float erf = x < 0 ? -r : r;
        return x * 0.5f * (erf + 1f);
    }

    static float geluGrad(float x) {
        float az = Math.abs(x) * Activation.INV_SQRT2;
        float e = TornadoFastMath.exp(-(az * az));
        float r = erfAbs(az, e);
        float erf = x < 0 ? -r : r;
        return (erf + 1f) * 0.5f + x * (e * Activation.INV_SQRT_2PI);
    }

    // Task bindings: the device tasks each step of Activation adds to a graph (called by the backend's dispatch).

    public static void bind(DeviceTasks t, Activation.Forward s) {
        t.graph().task(t.task(Launch.loops(s.n())), TornadoActivation::forward, t.heap(),
                t.args(code(s.kind()), t.at(s.x()), t.at(s.y()), s.n()));
    }

    public static void bind(DeviceTasks t, Activation.Backward s) {
        t.graph().task(t.task(Launch.loops(s.n())), TornadoActivation::backward, t.heap(), t.args(code(s.kind()), t.at(s.x()),
                t.at(s.dy()), t.at(s.dx()), s.n(), DeviceTasks.flag(s.accumulate())));
    }
}
