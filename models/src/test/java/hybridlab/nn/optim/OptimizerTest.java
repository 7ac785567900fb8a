package hybridlab.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import hybridlab.backend.Executable;
import hybridlab.backend.JvmBackend;
import hybridlab.backend.Program;
import hybridlab.kernels.Arena;
import hybridlab.kernels.Hyper;
import hybridlab.kernels.Optim;
import hybridlab.kernels.Slice;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptimizerTest {
    @Test
    void cosineScheduleWarmsUpLinearlyThenDecays() {
        CosineSchedule s = new CosineSchedule(1f, 10, 110, 0f);
        assertEquals(0.1f, s.at(0), 1e-6);
        assertEquals(1f, s.at(9), 1e-6);
        assertEquals(1f, s.at(10), 1e-6);
        assertEquals(0.5f, s.at(60), 1e-6);
        assertEquals(0f, s.at(110), 1e-6);
    }

    /** Two AdamW steps on a 3-element block against the update written out by hand in float64. */
    @Test
    void adamWMatchesTheFormulaWithDecayOnlyOnWeightsAndClipping() {
        Arena a = Arena.floats("opt");
        Slice p = a.allocate(3), g = a.allocate(3), m = a.allocate(3), v = a.allocate(3), h = a.allocate(Hyper.SIZE),
                parts = a.allocate(1);
        a.seal();
        float[] d = a.floats();
        float[] p0 = {1f, -2f, 0.5f}, grad = {3f, 4f, 0f};  // |g| = 5, clipped to 2.5
        System.arraycopy(p0, 0, d, p.offset(), 3);
        System.arraycopy(grad, 0, d, g.offset(), 3);
        AdamW opt = AdamW.defaults(0.1f, 2.5f);
        Program prog = new Program("adamw", List.of(new Optim.SquarePartials(g, parts),
                new Optim.ClipScale(parts, 1, h, opt.clipNorm()),
                new Optim.AdamW(p, g, m, v, h, 1, opt.beta1(), opt.beta2(), opt.eps(), opt.weightDecay())), Set.of(), Set.of());
        double[] ep = {1, -2, 0.5}, em = new double[3], ev = new double[3];
        double lr = 0.01;
        try (JvmBackend b = new JvmBackend(2)) {
            Executable x = b.compile(prog);
            for (int t = 1; t <= 2; t++) {
                d[h.offset() + Hyper.LR] = (float) lr;
                d[h.offset() + Hyper.BIAS1] = opt.bias1(t);
                d[h.offset() + Hyper.BIAS2] = opt.bias2(t);
                x.run();
                assertEquals(5.0, d[h.offset() + Hyper.GRAD_NORM], 1e-6);
                for (int i = 0; i < 3; i++) {
                    double gi = grad[i] * 2.5 / (5.0 + 1e-6);
                    em[i] = 0.9 * em[i] + 0.1 * gi;
                    ev[i] = 0.999 * ev[i] + 0.001 * gi * gi;
                    double mh = em[i] / (1 - Math.pow(0.9, t)), vh = ev[i] / (1 - Math.pow(0.999, t));
                    double decay = i < 1 ? 0.1 * ep[i] : 0;
                    ep[i] -= lr * (decay + mh / (Math.sqrt(vh) + 1e-8));
                }
                for (int i = 0; i < 3; i++) {
                    assertEquals(ep[i], d[p.offset() + i], 1e-5, "param " + i + " after step " + t);
                }
            }
        }
    }
}
