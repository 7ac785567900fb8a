package hybridlab.experiments.bench;

import hybridlab.backend.Backend;
import hybridlab.backend.Executable;
import hybridlab.backend.Program;
import hybridlab.kernels.Arena;
import hybridlab.kernels.Gemm;
import hybridlab.kernels.MatView;
import hybridlab.kernels.Slice;
import hybridlab.kernels.Step;
import hybridlab.models.ModelConfig;
import hybridlab.nn.Model;
import hybridlab.nn.ParamStore;
import hybridlab.nn.Plan;
import hybridlab.nn.optim.AdamW;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * One device's report: for every preset, a training step from fixed parameters and a fixed batch
 * checked against the JVM backend (loss within {@code 1e-3} relative, every parameter within
 * {@code 3 lr}, the bounds of the device's training-step test), the training and evaluation
 * plans' compile times, and training and inference img/s timed after warm-up on the same
 * compiled plans; then the device GEMM's GFLOP/s at {@code n x n x n} beside the device's FP32
 * peak estimate.
 */
public final class DeviceReport {
    private DeviceReport() {
    }

    /** Learning rate of the parity step (AdamW moves each parameter by about this much). */
    public static final float LR = 1e-3f;

    /** One preset on one device. {@code error} is set (and the figures 0) when it failed. */
    public record Row(String model, boolean parity, float loss, float jvmLoss, double maxParamDiff, double compileTrainS,
                      double compileInferS, double trainImgS, double inferImgS, String error) {
    }

    /** The device GEMM: {@code n x n} times {@code n x n}, {@code products} per run. */
    public record GemmRate(int n, int products, int runs, double seconds, double gflops) {
    }

    /**
     * Measures {@code model} on {@code device}; {@code jvm} gives the parity reference (the same
     * step on the JVM backend; for the JVM device itself the step is compared with a second JVM
     * run, which must give the same bits).
     */
    public static Row preset(String name, ModelConfig mc, Backend device, Backend jvm, int batch, int warmup, int steps) {
        try {
            StepRun one = step(mc, device, batch, warmup, steps);
            StepRun ref = step(mc, jvm, batch, 0, 0);
            double max = 0;
            for (int i = 0; i < one.params.length; i++) {
                max = Math.max(max, Math.abs(one.params[i] - ref.params[i]));
            }
            boolean ok = Math.abs(one.loss - ref.loss) <= 1e-3 * Math.abs(ref.loss) && max <= 3 * LR;
            return new Row(name, ok, one.loss, ref.loss, max, one.compileTrain, one.compileInfer, one.trainImgS, one.inferImgS,
                    null);
        } catch (RuntimeException e) {
            return new Row(name, false, 0, 0, 0, 0, 0, 0, 0, e.toString());
        }
    }

    private record StepRun(float loss, float[] params, double compileTrain, double compileInfer, double trainImgS, double inferImgS) {
    }

    /** One training step from seed-0 parameters on a fixed batch; then, with {@code steps > 0}, the timings. */
    private static StepRun step(ModelConfig mc, Backend backend, int batch, int warmup, int steps) {
        Model model = mc.build();
        ParamStore store = new ParamStore(model);
        store.initialize(0);
        AdamW opt = AdamW.defaults(0.05f, 1f);
        Plan train = Plan.training(model, store, batch, 0f, opt);
        long c0 = System.nanoTime();
        Executable xt = backend.compile(train.program());
        double compileTrain = (System.nanoTime() - c0) / 1e9;
        try (xt) {
            for (Arena a : store.arenas()) {
                xt.upload(a);
            }
            Throughput.fillRandom(train, model.classes());
            train.setStep(LR, opt, 0, 0);
            xt.run();
            float loss = train.lossSum() / batch;
            xt.download(store.paramsArena());
            float[] params = store.paramsArena().floats().clone();
            if (steps == 0) {
                return new StepRun(loss, params, compileTrain, 0, 0, 0);
            }
            double trainS = Throughput.time(xt, train, opt, warmup, steps, null);
            Plan infer = Plan.evaluation(model, store, batch);
            long c1 = System.nanoTime();
            try (Executable xi = backend.compile(infer.program())) {
                double compileInfer = (System.nanoTime() - c1) / 1e9;
                for (Arena a : store.arenas()) {
                    xt.download(a);
                    xi.upload(a);
                }
                Throughput.fillRandom(infer, model.classes());
                double inferS = Throughput.time(xi, infer, null, warmup, steps, null);
                return new StepRun(loss, params, compileTrain, compileInfer, batch * steps / trainS, batch * steps / inferS);
            }
        }
    }

    /** {@code products} GEMMs of {@code n x n} matrices per run, timed over {@code runs} runs after one untimed run. */
    public static GemmRate gemm(Backend backend, int n, int products, int runs) {
        Arena f = Arena.floats("gemm");
        Slice a = f.allocate(n * n), b = f.allocate(n * n);
        List<Step> steps = new ArrayList<>();
        List<Slice> outs = new ArrayList<>();
        for (int i = 0; i < products; i++) {
            outs.add(f.allocate(n * n));
        }
        for (Slice c : outs) {
            steps.add(Gemm.of(MatView.rowMajor(a, n, 0), MatView.rowMajor(b, n, 0), MatView.rowMajor(c, n, 0), 1, n, n, n, false));
        }
        f.seal();
        SplittableRandom r = new SplittableRandom(7);
        for (Slice s : List.of(a, b)) {
            for (int i = 0; i < s.length(); i++) {
                s.f()[s.offset() + i] = (float) (r.nextDouble() - 0.5);
            }
        }
        Program p = new Program("gemm-" + n, steps, Set.of(), Set.of());
        try (Executable x = backend.compile(p)) {
            x.upload(f);
            x.run();
            long t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                x.run();
            }
            x.download(f);  // waits for the device
            double s = (System.nanoTime() - t0) / 1e9;
            double flops = 2.0 * n * n * (double) n * products * runs;
            return new GemmRate(n, products, runs, s, flops / s / 1e9);
        }
    }

    /** The report of one device as markdown. */
    public static String markdown(String title, String command, List<String> description, List<Row> rows, List<Row> jvmRows,
                                  List<double[]> torch, String torchNote, GemmRate gemm, GemmRate jvmGemm, Backend.Peak peak,
                                  String notes) {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(title).append("\n\n");
        out.append("Written by `").append(command).append("`.\n\n");
        for (String d : description) {
            out.append("- ").append(d).append('\n');
        }
        out.append("\n## Presets\n\n");
        out.append("| model | backend | parity vs JVM | loss (device / JVM) | max param diff | compile train s | compile eval s "
                + "| train img/s | infer img/s |\n|---|---|---|---|---|---|---|---|---|\n");
        Function<Row, String> fmt = r -> r.error() != null
                ? "| " + r.model() + " | %s | failed: " + r.error().replace('|', '/') + " | | | | | | |\n"
                : String.format(Locale.ROOT, "| %s | %%s | %s | %.6f / %.6f | %.3g | %.1f | %.1f | %.1f | %.1f |\n", r.model(),
                        r.parity() ? "ok" : "**differs**", r.loss(), r.jvmLoss(), r.maxParamDiff(), r.compileTrainS(),
                        r.compileInferS(), r.trainImgS(), r.inferImgS());
        for (int i = 0; i < rows.size(); i++) {
            out.append(String.format(fmt.apply(rows.get(i)), "device"));
            if (jvmRows != null && i < jvmRows.size()) {
                out.append(String.format(fmt.apply(jvmRows.get(i)), "jvm"));
            }
        }
        out.append("\n## PyTorch twins\n\n").append(torchNote).append("\n\n");
        if (torch != null) {
            out.append("| model | train img/s | infer img/s |\n|---|---|---|\n");
            for (int i = 0; i < rows.size() && i < torch.size(); i++) {
                double[] t = torch.get(i);
                out.append(t == null ? "| " + rows.get(i).model() + " | failed | |\n"
                        : String.format(Locale.ROOT, "| %s | %.1f | %.1f |\n", rows.get(i).model(), t[0], t[1]));
            }
        }
        out.append("\n## GEMM\n\n| backend | n | GFLOP/s | FP32 peak GFLOP/s | share of peak |\n|---|---|---|---|---|\n");
        if (gemm != null) {
            out.append(String.format(Locale.ROOT, "| device | %d | %.1f | %s | %s |\n", gemm.n(), gemm.gflops(),
                    Double.isNaN(peak.gflops()) ? "not known" : String.format(Locale.ROOT, "%.0f (%s)", peak.gflops(), peak.how()),
                    Double.isNaN(peak.gflops()) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * gemm.gflops() / peak.gflops())));
        }
        if (jvmGemm != null) {
            out.append(String.format(Locale.ROOT, "| jvm | %d | %.1f | not known | - |\n", jvmGemm.n(), jvmGemm.gflops()));
        }
        out.append("\n").append(notes).append('\n');
        return out.toString();
    }
}
