package hybridlab.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import hybridlab.backend.Executable;
import hybridlab.backend.JvmBackend;
import hybridlab.kernels.Arena;
import hybridlab.kernels.Slice;
import hybridlab.models.Knobs;
import hybridlab.models.ModelConfig;
import hybridlab.models.Zoo;
import hybridlab.models.coatnet.ViTRelConfig;
import hybridlab.nn.Model;
import hybridlab.nn.Param;
import hybridlab.nn.ParamStore;
import hybridlab.nn.Plan;
import hybridlab.nn.Safetensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The PyTorch twins compute the Java models' functions: a model's weights saved as safetensors
 * (its own parameter names) load by name into the twin of the same preset, and eval-mode logits
 * and mean cross-entropy of one fixed batch agree within float32 rounding. Runs where PyTorch is
 * installed (Debian: {@code apt-get install python3-torch}); skipped with the reason elsewhere.
 */
class TorchTwinTest {
    static final int BATCH = 5;
    static final int[] LABELS = {3, 1, 4, 1, 5};
    /** Float32 rounding through a deep net, relative to the logits' size. */
    static final double TOLERANCE = 1e-4;

    static TorchComparison torch;
    static String whyNot;

    @BeforeAll
    static void findTorch() {
        StringBuilder why = new StringBuilder();
        torch = TorchComparison.find(why).orElse(null);
        whyNot = why.toString();
    }

    /** Every nano preset at its own fusion, and the other fusions of the models that have one. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(nullValues = "preset", value = {
        "coatnet-nano-CCCC, preset", "coatnet-nano-CCCT, preset", "coatnet-nano-CCTT, preset", "coatnet-nano-CTTT, preset",
        "vit-rel-nano, preset", "coat-lite-nano, preset", "coat-nano, preset", "vitae-nano, preset",
        "coatnet-nano-CCTT, post", "coatnet-nano-CCTT, none", "vit-rel-nano, post"})
    void twinGivesTheJavaModelsLogitsAndLoss(String preset, String fusion, @TempDir Path dir) throws IOException {
        assumeTrue(torch != null, "PyTorch twin comparison not run: " + whyNot);
        ModelConfig cfg = Zoo.get(preset).config();
        if (fusion != null) {
            cfg = cfg.with(new Knobs(null, fusion, null, null, null, null, null, null));
        }
        Model model = cfg.build();
        ParamStore store = new ParamStore(model);
        store.initialize(7);
        SplittableRandom rng = new SplittableRandom(11);
        float tableScale = cfg instanceof ViTRelConfig v ? v.tableScale() : 1f;
        perturb(store, rng, tableScale);
        Path weights = dir.resolve(preset + ".safetensors");
        Safetensors.save(store, weights, Map.of("model", preset));

        float[] images = new float[BATCH * 32 * 32];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) rng.nextGaussian();
        }
        Path input = dir.resolve("images.f32");
        ByteBuffer b = ByteBuffer.allocate(4 * images.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(images);
        Files.write(input, b.array());

        float[][] java = new float[BATCH][];
        double javaLoss = evaluate(model, store, images, java);
        TorchComparison.Logits twin = torch.logits(preset, fusion, weights, input, LABELS);

        assertEquals(BATCH, twin.logits().length, "twin's batch");
        double maxAbs = 0, maxDiff = 0;
        for (int i = 0; i < BATCH; i++) {
            assertEquals(java[i].length, twin.logits()[i].length, "classes");
            for (int c = 0; c < java[i].length; c++) {
                maxAbs = Math.max(maxAbs, Math.abs(java[i][c]));
                maxDiff = Math.max(maxDiff, Math.abs(java[i][c] - twin.logits()[i][c]));
            }
        }
        double lossDiff = Math.abs(javaLoss - twin.loss());
        String summary = String.format(Locale.ROOT, "%s %s: max |logit| %.4f, max |diff| %.3g, loss %.6f vs %.6f (|diff| %.3g)",
                preset, fusion == null ? "(preset)" : fusion, maxAbs, maxDiff, javaLoss, twin.loss(), lossDiff);
        System.out.println(summary);
        assertTrue(maxAbs > 0.1, "logits are non-trivial: " + summary);
        assertTrue(maxDiff <= TOLERANCE * (1 + maxAbs), "logits: " + summary);
        assertTrue(lossDiff <= TOLERANCE * (1 + javaLoss), "loss: " + summary);
    }

    /**
     * Gives every layer a say in the logits, so that a twin that ignored, misplaced or miscomputed
     * any of them would differ: weights {@code N(0, 1 / fan-in)} (the initialisers' std 0.02 for
     * linear layers leaves squeeze-excitation gates and attention scores all but constant), norm
     * scales and shifts, biases and tokens moved by {@code N(0, 0.2)}, bias tables so the bias
     * used is {@code N(0, 0.5)}, running means {@code N(0, 0.3)} and variances in [0.5, 2).
     * Fixed buffers (ViTAE's position encoding) are kept.
     */
    static void perturb(ParamStore store, SplittableRandom rng, float tableScale) {
        for (Param p : store.byName().values()) {
            String leaf = p.name().substring(p.name().lastIndexOf('.') + 1);
            if (p.kind() == Param.Kind.STATE && !leaf.equals("running_mean") && !leaf.equals("running_var")) {
                continue;
            }
            float fanInStd = (float) Math.sqrt((double) p.shape()[0] / p.size());
            Slice d = p.data();
            for (int i = 0; i < p.size(); i++) {
                int at = d.offset() + i;
                float g = (float) rng.nextGaussian();
                d.f()[at] = switch (p.kind()) {
                    case DECAY -> fanInStd * g;
                    case NO_DECAY -> leaf.equals("table") ? 0.5f * g / tableScale : d.f()[at] + 0.2f * g;
                    case STATE -> leaf.equals("running_var") ? 0.5f + 1.5f * (float) rng.nextDouble() : 0.3f * g;
                };
            }
        }
    }

    /** Logits into {@code out} and the mean cross-entropy of the batch, in eval mode on the JVM backend. */
    static double evaluate(Model model, ParamStore store, float[] images, float[][] out) {
        Plan plan = Plan.evaluation(model, store, BATCH);
        try (JvmBackend backend = new JvmBackend(2); Executable x = backend.compile(plan.program())) {
            for (Arena a : store.arenas()) {
                x.upload(a);
            }
            Slice in = plan.input().data();
            System.arraycopy(images, 0, in.f(), in.offset(), images.length);
            System.arraycopy(LABELS, 0, plan.labels().i(), plan.labels().offset(), BATCH);
            plan.setStep(0f, null, 0, 0);
            x.run();
            Slice logits = plan.logits().data();
            x.download(logits.arena());
            int classes = model.classes();
            for (int i = 0; i < BATCH; i++) {
                out[i] = new float[classes];
                System.arraycopy(logits.f(), logits.offset() + i * classes, out[i], 0, classes);
            }
            return plan.lossSum() / BATCH;
        }
    }
}
