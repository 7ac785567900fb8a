package hybridlab.kernels;

import uk.ac.manchester.tornado.api.math.TornadoMath;

/**
 * Device twin of {@link FastMath}: {@code exp} on the device's own {@code exp}, with the same
 * input clamp to {@code [-86, 88]} (so results stay finite under OpenCL's relaxed math).
 *
 * <p>{@link FastMath} builds {@code 2^n} by writing float bits; TornadoVM's OpenCL backend cannot
 * reinterpret floats as ints and does not lower {@code Math.fma(float...)}, so the device uses
 * its native exp instead: within a few ulp of {@link FastMath#exp}, not bit-identical.
 */
public final class TornadoFastMath {
    private TornadoFastMath() {
    }

    public static float exp(float x) {
        return TornadoMath.exp(Math.min(Math.max(x, FastMath.MIN), FastMath.MAX));
    }

    /** {@code (float) (1 / sqrt(v))} in double precision, as the JVM kernels compute it. */
    public static float rsqrt(float v) {
        return (float) (1.0 / Math.sqrt((double) v));
    }
}
