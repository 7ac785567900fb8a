package hybridlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.backend.Executable;
import hybridlab.backend.JvmBackend;
import hybridlab.nn.Model;
import hybridlab.nn.Param;
import hybridlab.nn.ParamStore;
import hybridlab.nn.Plan;
import hybridlab.nn.optim.AdamW;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every preset compiles into a training plan whose steps check every buffer size, runs one
 * forward/backward step at its input size, produces a finite loss, and sends a non-zero
 * gradient to every parameter (no parameter is left unwired) except the one set the architecture
 * cannot reach: in ViTAE the last normal cell's PCM only feeds image tokens, and after it only
 * per-token layers run before the CLS-token readout.
 */
class PresetShapesTest {
    static Stream<String> presets() {
        return Zoo.all().keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("presets")
    void oneTrainingStepReachesEveryParameter(String name) {
        Model model = Zoo.get(name).config().build();
        int batch = model.inputShape()[1] > 64 ? 1 : 4;
        ParamStore store = new ParamStore(model);
        store.initialize(3);
        AdamW opt = AdamW.defaults(0.05f, 0f);
        Plan plan = Plan.training(model, store, batch, 0.1f, opt);
        assertEquals(batch, plan.input().dim(0));
        Random r = new Random(1);
        float[] in = plan.input().data().f();
        for (int i = 0; i < plan.input().size(); i++) {
            in[plan.input().data().offset() + i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < batch; i++) {
            plan.labels().i()[plan.labels().offset() + i] = i % model.classes();
        }
        plan.setStep(0f, opt, 0, 0);  // lr 0: gradients only
        try (JvmBackend b = new JvmBackend(2)) {
            Executable x = b.compile(plan.program());
            x.run();
        }
        float loss = plan.lossSum() / batch;
        assertTrue(Float.isFinite(loss) && loss > 0, name + " loss " + loss);
        List<String> dead = new ArrayList<>();
        for (Param p : store.byName().values()) {
            if (!p.trainable() || unreachable(model, p.name())) {
                continue;
            }
            boolean nonZero = false, finite = true;
            for (int i = 0; i < p.size(); i++) {
                float gv = p.grad().f()[p.grad().offset() + i];
                nonZero |= gv != 0f;
                finite &= Float.isFinite(gv);
            }
            if (!nonZero || !finite) {
                dead.add(p.name() + (finite ? " (all zero)" : " (not finite)"));
            }
        }
        assertTrue(dead.isEmpty(), name + ": " + dead);
    }

    static boolean unreachable(Model m, String param) {
        if (m instanceof hybridlab.models.vitae.ViTAE v) {
            return param.startsWith("blocks." + (v.config().normalDepth() - 1) + ".PCM.");
        }
        return false;
    }
}
