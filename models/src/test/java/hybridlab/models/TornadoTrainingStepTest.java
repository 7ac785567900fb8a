package hybridlab.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.backend.Backend;
import hybridlab.backend.BackendProvider;
import hybridlab.backend.Backends;
import hybridlab.backend.Executable;
import hybridlab.backend.JvmBackend;
import hybridlab.kernels.Arena;
import hybridlab.nn.Model;
import hybridlab.nn.ParamStore;
import hybridlab.nn.Plan;
import hybridlab.nn.optim.AdamW;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A whole training step of a small CoAtNet (CCTT layout, one block per stage: every conv and
 * transformer kernel, stochastic depth, clipping, AdamW) as one TornadoVM execution plan, on
 * every TornadoVM device present (or the one {@code -Dhybridlab.tornado.device} names), agrees
 * with the JVM backend (it is smaller than the nano presets because TornadoVM compiles each task
 * on first use, about a second each on a CPU OpenCL device): three steps from the same parameters
 * and batches give the same losses, and the same parameters after them. Runs only where the
 * TornadoVM backend is available (built with {@code -Ptornado}, run on TornadoVM's JVM flags);
 * elsewhere it is skipped with the reason.
 *
 * <p>Tolerance: losses within {@code 1e-3} relative; every parameter within {@code 3 lr} of the
 * JVM's after three steps (AdamW moves a parameter by about {@code lr} per step whatever the
 * gradient's size, so a near-zero gradient summed in another order can flip one step's sign),
 * and the mean absolute difference below {@code 0.05 lr}.
 */
class TornadoTrainingStepTest {
    static final int BATCH = 8, STEPS = 3;
    static final float LR = 1e-3f;

    @Test
    void trainingStepMatchesJvm() {
        BackendProvider p = Backends.providers().stream().filter(b -> b.name().equals("tornado")).findFirst().orElse(null);
        Assumptions.assumeTrue(p != null, "TornadoVM backend not built in (build with mvn -Ptornado)");
        Assumptions.assumeTrue(p.available(), () -> "TornadoVM backend unavailable: " + p.unavailableReason());
        String preset = "coatnet CCTT, depths 1,1,1,1,1";
        float[] jvmLoss = new float[STEPS];
        float[] jvmParams;
        try (JvmBackend jvm = new JvmBackend(2)) {
            jvmParams = train(preset, jvm, jvmLoss);
        }
        String only = System.getProperty("hybridlab.tornado.device", "");
        int checked = 0;
        for (BackendProvider.DeviceInfo d : p.devices()) {
            if (only.isBlank() || d.id().equals(only)) {
                try (Backend dev = p.open(d.id(), 0)) {
                    checkDevice(preset, dev, jvmLoss, jvmParams);
                }
                checked++;
            }
        }
        assertTrue(checked > 0, "no TornadoVM device " + only);
    }

    /** The device's steps against the JVM's losses and parameters. */
    static void checkDevice(String preset, Backend dev, float[] jvmLoss, float[] jvmParams) {
        float[] devLoss = new float[STEPS];
        float[] devParams = train(preset, dev, devLoss);
        for (int s = 0; s < STEPS; s++) {
            assertTrue(Math.abs(devLoss[s] - jvmLoss[s]) <= 1e-3 * Math.abs(jvmLoss[s]),
                    dev.device() + ", step " + s + " loss: device " + devLoss[s] + ", jvm " + jvmLoss[s]);
        }
        double max = 0, sum = 0;
        for (int i = 0; i < jvmParams.length; i++) {
            double d = Math.abs(devParams[i] - jvmParams[i]);
            max = Math.max(max, d);
            sum += d;
        }
        double mean = sum / jvmParams.length;
        System.out.printf("%s vs jvm, %s, %d steps: losses %s vs %s; params max |diff| %.3g, mean %.3g%n", dev.device(), preset, STEPS,
                java.util.Arrays.toString(devLoss), java.util.Arrays.toString(jvmLoss), max, mean);
        assertTrue(max <= 3 * LR, dev.device() + ": max parameter difference " + max);
        assertTrue(mean <= 0.05 * LR, dev.device() + ": mean parameter difference " + mean);
    }

    /** {@link #STEPS} training steps on fixed random batches; returns the parameters after them. */
    static float[] train(String preset, Backend backend, float[] losses) {
        Model model = new hybridlab.models.coatnet.CoAtNetConfig("CCTT", new int[] {1, 1, 1, 1, 1}, new int[] {8, 16, 16, 32, 32}, 1,
                hybridlab.kernels.RelAttention.Fusion.PRE, 16, 4, 0.25f, 4, 1, 32, 10, 0.1f).build();
        ParamStore store = new ParamStore(model);
        store.initialize(7);
        AdamW opt = AdamW.defaults(0.05f, 1f);
        Plan plan = Plan.training(model, store, BATCH, 0.1f, opt);
        try (Executable x = backend.compile(plan.program())) {
            for (Arena a : store.arenas()) {
                x.upload(a);
            }
            Random r = new Random(11);
            float[] in = plan.input().data().f();
            int off = plan.input().data().offset();
            for (int s = 0; s < STEPS; s++) {
                for (int i = 0; i < plan.input().size(); i++) {
                    in[off + i] = (float) r.nextGaussian();
                }
                for (int i = 0; i < BATCH; i++) {
                    plan.labels().i()[plan.labels().offset() + i] = r.nextInt(model.classes());
                }
                plan.setStep(LR, opt, s, 5);
                x.run();
                losses[s] = plan.lossSum() / BATCH;
            }
            x.download(store.paramsArena());
        }
        Arena params = store.paramsArena();
        return params.floats().clone();
    }
}
