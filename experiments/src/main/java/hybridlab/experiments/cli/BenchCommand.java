package hybridlab.experiments.cli;

import hybridlab.backend.Backend;
import hybridlab.experiments.bench.Throughput;
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
    @Option(names = "--model", required = true, description = "model preset")
    String model;

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
        RunConfig cfg = RunConfig.defaults().with("model", model, "--model").withOverrides(sets)
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
            System.out.printf("%s batch %d on %s: train %.1f img/s, infer %.1f img/s (compile %.2f s, %d bytes allocated per step)%n",
                    model, batch, r.device(), r.trainImgS(), r.inferImgS(), r.compileSeconds(), r.allocBytesPerStep());
        }
        return 0;
    }
}
