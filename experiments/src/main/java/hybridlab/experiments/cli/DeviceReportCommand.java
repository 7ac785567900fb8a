package hybridlab.experiments.cli;

import hybridlab.backend.Backend;
import hybridlab.backend.BackendProvider;
import hybridlab.backend.JvmBackend;
import hybridlab.experiments.bench.DeviceReport;
import hybridlab.experiments.bench.ThroughputTable;
import hybridlab.experiments.bench.TorchComparison;
import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.train.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "device-report", mixinStandardHelpOptions = true,
        description = {"For every TornadoVM device (and the JVM backend beside it): a training step of every nano preset checked "
                + "against the JVM, both plans' compile times, training and inference img/s, and the device GEMM's GFLOP/s beside "
                + "the device's FP32 peak; writes results/devices-<device>.md per device.",
            "Needs TornadoVM (TORNADOVM_HOME); with --torch-device, the PyTorch twins' img/s on that torch device too."})
public final class DeviceReportCommand implements Callable<Integer> {
    @Option(names = "--out-dir", description = "folder of the reports (default results)")
    Path outDir = Path.of("results");

    @Option(names = "--models", split = ",", description = "presets (default: every nano preset)")
    List<String> models;

    @Option(names = "--devices", split = ",", description = "TornadoVM devices, e.g. tornado:0:0 (default: all)")
    List<String> devices;

    @Option(names = "--batch", description = "batch size (default 64)")
    int batch = 64;

    @Option(names = "--warmup", description = "untimed steps before timing (default 3)")
    int warmup = 3;

    @Option(names = "--steps", description = "timed steps (default 10)")
    int steps = 10;

    @Option(names = "--threads", description = "JVM backend threads (default: all cores)")
    Integer threads;

    @Option(names = "--gemm-n", description = "GEMM size n (n x n times n x n; default 2048)")
    int gemmN = 2048;

    @Option(names = "--gemm-runs", description = "timed GEMM runs of 4 products each (default 5)")
    int gemmRuns = 5;

    @Option(names = "--no-jvm", description = "skip the JVM backend's rows")
    boolean noJvm;

    @Option(names = "--torch-device", description = "also time the PyTorch twins on this torch device (e.g. cuda)")
    String torchDevice;

    @Override
    public Integer call() throws Exception {
        if (batch < 1 || steps < 1 || warmup < 0 || gemmN < 16 || gemmRuns < 1) {
            throw new ConfigException("--batch, --steps, --gemm-runs must be at least 1, --warmup at least 0, --gemm-n at least 16");
        }
        BackendProvider tornado = hybridlab.backend.Backends.providers().stream().filter(p -> p.name().equals("tornado")).findFirst()
                .orElseThrow(() -> new ConfigException("device-report: the TornadoVM backend is not built in (set TORNADOVM_HOME)"));
        if (!tornado.available()) {
            throw new ConfigException("device-report: TornadoVM is not available here: " + tornado.unavailableReason());
        }
        List<String> ids = devices != null ? devices : tornado.devices().stream().map(BackendProvider.DeviceInfo::id).toList();
        List<String> names = models != null ? models : ThroughputTable.nanoPresets();
        int host = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Files.createDirectories(outDir);
        String command = "bin/experiments device-report --batch " + batch + " --warmup " + warmup + " --steps " + steps
                + " --gemm-n " + gemmN + " --gemm-runs " + gemmRuns + (threads != null ? " --threads " + threads : "")
                + (models != null ? " --models " + String.join(",", models) : "") + (devices != null ? " --devices " + String.join(",", devices) : "")
                + (noJvm ? " --no-jvm" : "") + (torchDevice != null ? " --torch-device " + torchDevice : "")
                + (outDir.equals(Path.of("results")) ? "" : " --out-dir " + outDir);

        try (JvmBackend jvm = new JvmBackend(host)) {
            List<DeviceReport.Row> jvmRows = null;
            DeviceReport.GemmRate jvmGemm = null;
            if (!noJvm) {
                jvmRows = new ArrayList<>();
                for (String m : names) {
                    System.err.println("jvm: " + m);
                    jvmRows.add(DeviceReport.preset(m, model(m), jvm, jvm, batch, warmup, steps));
                }
                jvmGemm = DeviceReport.gemm(jvm, gemmN, 4, gemmRuns);
            }
            List<double[]> torch = null;
            String torchNote = "Not timed (no --torch-device).";
            if (torchDevice != null) {
                StringBuilder why = new StringBuilder();
                Optional<TorchComparison> tc = TorchComparison.find(why);
                if (tc.isEmpty()) {
                    torchNote = "Not timed: " + why + ".";
                } else {
                    torch = new ArrayList<>();
                    for (String m : names) {
                        torch.add(tc.get().bench(m, batch, host, warmup, steps, torchDevice));
                    }
                    torchNote = "PyTorch " + tc.get().version() + " on `" + torchDevice + "`, batch " + batch + ", " + warmup
                            + " warm-up and " + steps + " timed steps, the twins of `experiments/src/main/python/torch_compare.py`.";
                }
            }
            for (String id : ids) {
                try (Backend dev = tornado.open(id, host)) {
                    List<DeviceReport.Row> rows = new ArrayList<>();
                    for (String m : names) {
                        System.err.println(id + ": " + m);
                        rows.add(DeviceReport.preset(m, model(m), dev, jvm, batch, warmup, steps));
                    }
                    DeviceReport.GemmRate gemm;
                    try {
                        gemm = DeviceReport.gemm(dev, gemmN, 4, gemmRuns);
                    } catch (RuntimeException e) {
                        gemm = null;
                        System.err.println(id + ": GEMM failed: " + e);
                    }
                    Backend.Peak peak = dev.fp32Peak();
                    List<String> desc = List.of("device: `" + id + "`, " + dev.description(),
                            "JVM backend: " + jvm.description(),
                            "batch " + batch + ", " + warmup + " warm-up and " + steps + " timed steps per plan; compile is each plan's "
                                    + "build for the device (TornadoVM compiles every task then)",
                            "parity: one training step from the same seed-0 parameters and batch on the device and on the JVM; ok when "
                                    + "the losses agree to 1e-3 relative and every parameter to 3 lr (lr " + DeviceReport.LR + ")");
                    String md = DeviceReport.markdown("Device report: " + id, command, desc, rows, jvmRows, torch, torchNote, gemm,
                            jvmGemm, peak, "GEMM: " + gemmN + " x " + gemmN + " times " + gemmN + " x " + gemmN
                                    + ", 4 products per run, " + gemmRuns + " timed runs after one untimed run; GFLOP/s = 2 n^3 per product / time.");
                    Path out = outDir.resolve("devices-" + slug(id, dev.description()) + ".md");
                    Files.writeString(out, md);
                    System.out.println("wrote " + out);
                }
            }
        }
        return 0;
    }

    private static hybridlab.models.ModelConfig model(String name) {
        return Models.resolve(RunConfig.defaults().with("model", name, "--models"), "--models");
    }

    /** {@code tornado:0:0} of a PoCL device becomes {@code pocl-0-0}; of an NVIDIA H200, {@code nvidia-h200-0-0}. */
    static String slug(String id, String description) {
        String d = description.toLowerCase(Locale.ROOT);
        String kind = d.contains("portable computing language") ? "pocl"
                : Arrays.stream(d.replaceAll("[^a-z0-9]+", " ").trim().split(" ")).filter(w -> w.matches(".*\\d.*") || w.equals("nvidia"))
                        .filter(w -> !w.matches("\\d+(\\.\\d+)?") && !w.equals("opencl") && !w.equals("ptx")).limit(2)
                        .reduce((a, b) -> a + "-" + b).orElse("device");
        return kind + "-" + id.replaceAll("^tornado:", "").replace(':', '-');
    }
}
