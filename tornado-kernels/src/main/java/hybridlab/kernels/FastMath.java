package hybridlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code exp} built only from exactly rounded operations (add, multiply, fma, integer shifts),
 * with identical scalar and vector versions. The JDK's vector {@code EXP} gives different last
 * bits when compiled (a vector math library) than when interpreted, which would make results
 * depend on JIT timing; this version gives the same bits everywhere.
 *
 * <p>{@code exp(x) = 2^n * p(r)} with {@code n = round(x / ln 2)}, {@code r = x - n ln 2}
 * (Cody-Waite, two-part ln 2) and a degree-7 Taylor polynomial: relative error below 2 ulp on
 * {@code [-86, 88]}; inputs are clamped to that range.
 */
public final class FastMath {
    private FastMath() {
    }

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    static final float LOG2E = 1.44269504088896341f;
    static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    static final float ROUNDER = 12582912f;  // 1.5 * 2^23: adding and subtracting it rounds to an integer
    static final float MIN = -86f, MAX = 88f;  // keeps 2^n a normal float
    static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    public static float exp(float x) {
        x = Math.min(Math.max(x, MIN), MAX);
        float n = (x * LOG2E + ROUNDER) - ROUNDER;
        float r = Math.fma(-n, LN2_HI, x);
        r = Math.fma(-n, LN2_LO, r);
        float p = Math.fma(C7, r, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        return Float.intBitsToFloat(Float.floatToRawIntBits(p) + ((int) n << 23));
    }

    public static FloatVector exp(FloatVector x) {
        x = x.max(MIN).min(MAX);
        FloatVector n = x.mul(LOG2E).add(ROUNDER).sub(ROUNDER);
        FloatVector r = n.neg().fma(FloatVector.broadcast(S, LN2_HI), x);
        r = n.neg().fma(FloatVector.broadcast(S, LN2_LO), r);
        FloatVector p = r.fma(C7, C6);
        p = p.fma(r, FloatVector.broadcast(S, C5));
        p = p.fma(r, FloatVector.broadcast(S, C4));
        p = p.fma(r, FloatVector.broadcast(S, C3));
        p = p.fma(r, FloatVector.broadcast(S, C2));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        IntVector e = ((IntVector) n.convert(VectorOperators.F2I, 0)).lanewise(VectorOperators.LSHL, 23);
        return ((IntVector) p.reinterpretAsInts()).add(e).reinterpretAsFloats();
    }
}
