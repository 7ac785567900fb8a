package hybridlab.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class FastMathTest {
    @Test
    void expIsAccurateToAFewUlpAndVectorEqualsScalarBitForBit() {
        Random r = new Random(1);
        int n = FloatVector.SPECIES_PREFERRED.length();
        float[] x = new float[n * 4000], v = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 170 - 85);
        }
        x[0] = 0f;
        x[1] = -86f;
        x[2] = 88f;
        for (int i = 0; i < x.length; i += n) {
            FastMath.exp(FloatVector.fromArray(FastMath.S, x, i)).intoArray(v, i);
        }
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            float s = FastMath.exp(x[i]);
            assertEquals(Float.floatToRawIntBits(s), Float.floatToRawIntBits(v[i]), "lane " + i + " x=" + x[i]);
            double exact = Math.exp(x[i]);
            worst = Math.max(worst, Math.abs(s - exact) / Math.ulp((float) exact));
        }
        assertTrue(worst <= 3, "worst error " + worst + " ulp");
        assertEquals(1f, FastMath.exp(0f));
    }

    @Test
    void activationVectorAndScalarPathsAgreeBitForBit() {
        int n = FloatVector.SPECIES_PREFERRED.length() * 8;
        Random r = new Random(2);
        float[] x = new float[n], dy = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * 4);
            dy[i] = (float) r.nextGaussian();
        }
        for (Activation.Kind k : Activation.Kind.values()) {
            float[] vec = new float[n], sca = new float[n], gv = new float[n], gs = new float[n];
            Activation.forward(k, x, 0, vec, 0, 0, n);
            Activation.backward(k, x, 0, dy, 0, gv, 0, 0, n, false);
            for (int i = 0; i < n; i++) {
                // a range of one element runs the scalar tail only
                Activation.forward(k, x, 0, sca, 0, i, i + 1);
                Activation.backward(k, x, 0, dy, 0, gs, 0, i, i + 1, false);
            }
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToRawIntBits(sca[i]), Float.floatToRawIntBits(vec[i]), k + " forward at " + x[i]);
                assertEquals(Float.floatToRawIntBits(gs[i]), Float.floatToRawIntBits(gv[i]), k + " backward at " + x[i]);
            }
        }
    }
}
