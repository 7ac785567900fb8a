package hybridlab.experiments.cli;

import hybridlab.backend.Backend;
import hybridlab.experiments.bench.Throughput;
import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.Files;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.train.Models;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code experiments bench}: steady-state training and inference images per second. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure steady-state training and inference throughput (images/s) on random data.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--model", description = "model preset (or --all)")
    String model;

    @Option(names = "--all", description = "every 32x32 preset, with PyTorch's twins when available, as a table")
    boolean all;

    @Option(names = "--out", paramLabel = "FILE.md", description = "with --all: write the table here (and FILE.json)")
    java.nio.file.Path out;

    @Option(names = "--repeats", description = "with --all: alternating JVM/PyTorch runs per model (default 3)")
    int repeats = 3;

    @Option(names = "--no-torch", description = "with --all: skip the PyTorch comparison")
    boolean noTorch;

    @Option(names = "--batch", description = "batch size (default 64)")
    int batch = 64;

    @Option(names = "--threads", description = "host threads (default: all cores)")
    Integer threads;

    @Option(names = "--steps", description = "timed steps (default 20)")
    int steps = 20;

    @Option(names = "--warmup", description = "untimed steps first (default 5)")
    int warmup = 5;

    @Option(names = "--backend", description = "backend (default jvm)")
    String backend = "jvm";

    @Option(names = "--device", description = "backend device")
    String device = "";

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "model knobs, e.g. fusion=post")
    List<String> sets = new ArrayList<>();

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Option(names = "--profile", description = "print time per kernel type of the training step")
    boolean profile;

    @Override
    public Integer call() throws Exception {
        positive("--steps", steps, 1);
        positive("--warmup", warmup, 0);
        positive("--batch", batch, 1);
        positive("--repeats", repeats, 1);
        if (threads != null) {
            positive("--threads", threads, 1);
        }
        if (all) {
            return table();
        }
        if (model == null) {
            throw new ConfigException("--model: name a preset, or use --all");
        }
        RunConfig cfg = RunConfig.defaults().with("model", model, "--model").withSets(sets)
                .with("batch", batch, "--batch").with("backend", backend, "--backend").with("device", device, "--device");
        if (threads != null) {
            cfg = cfg.with("threads", threads, "--threads");
        }
        Models.resolve(cfg, "--set");
        Throughput.Result r;
        try (Backend b = Backends.open(cfg)) {
            r = Throughput.measure(Models.resolve(cfg, "--set"), model, b, batch, warmup, steps, profile);
        }
        if (json) {
            System.out.println(Files.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
        } else {
            System.out.printf("%s batch %d on %s: train %.1f img/s, infer %.1f img/s (compile %.2f s: training plan %.2f s, "
                            + "evaluation plan %.2f s; %d bytes allocated per step)%n",
                    model, batch, r.device(), r.trainImgS(), r.inferImgS(), r.compileSeconds(), r.compileTrainSeconds(),
                    r.compileInferSeconds(), r.allocBytesPerStep());
        }
        return 0;
    }

    private static void positive(String flag, int value, int min) {
        if (value < min) {
            throw new ConfigException(flag + ": " + value + " is not an integer >= " + min);
        }
    }

    private int table() throws Exception {
        RunConfig cfg = RunConfig.defaults().with("backend", backend, "--backend").with("device", device, "--device");
        if (threads != null) {
            cfg = cfg.with("threads", threads, "--threads");
        }
        RunConfig c = cfg;
        Backends.check(c);
        if (out != null) {
            Files.checkWritableFile(out, "--out");
        }
        String command = "bin/experiments bench --all --batch " + batch + " --threads " + c.backend().hostThreads() + " --steps " + steps
                + " --warmup " + warmup + " --repeats " + repeats + (backend.equals("jvm") ? "" : " --backend " + backend)
                + (device.isEmpty() ? "" : " --device " + device) + (noTorch ? " --no-torch" : "")
                + (out == null ? "" : " --out " + out);
        hybridlab.experiments.bench.ThroughputTable.Report r = hybridlab.experiments.bench.ThroughputTable.measure(
                hybridlab.experiments.bench.ThroughputTable.nanoPresets(), () -> Backends.open(c), batch, warmup, steps,
                repeats, !noTorch, command);
        if (out != null) {
            hybridlab.experiments.bench.ThroughputTable.write(r, out);
            System.out.println("wrote " + out);
        } else {
            System.out.print(hybridlab.experiments.bench.ThroughputTable.markdown(r, "(not written)"));
        }
        return 0;
    }
}
