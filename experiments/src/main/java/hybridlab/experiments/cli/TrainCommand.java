package hybridlab.experiments.cli;

import hybridlab.backend.Backend;
import hybridlab.experiments.config.Files;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.data.Data;
import hybridlab.experiments.train.Models;
import hybridlab.experiments.train.RunRecord;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code experiments train}: one run, one JSON record. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train one model and write its run record (DIR/<run-id>.json).")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--out", paramLabel = "DIR", description = "where the run record goes (default: runs)")
    Path out = Path.of("runs");

    @Option(names = {"-q", "--quiet"}, description = "no progress output")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        RunConfig cfg = options.resolve();
        Models.resolve(cfg, "config");
        Backends.check(cfg);
        Data data = Data.load(cfg);
        Path file = out.resolve(cfg.runId() + ".json");
        if (!quiet) {
            System.err.println("run " + cfg.runId() + ": " + cfg.model() + " on " + data.train().count() + " training images, "
                    + cfg.epochs() + " epoch(s), batch " + cfg.batch() + ", " + cfg.backend() + " with " + cfg.threads() + " thread(s)");
        }
        RunRecord r;
        try (Backend backend = Backends.open(cfg)) {
            r = Progress.train(cfg, data, backend, quiet);
        }
        Files.writeJsonAtomic(file, r);
        if (r.result() != null) {
            System.out.printf("%s: test acc %.4f, train acc (eval) %.4f, gap %.4f, train %.1f img/s, infer %.1f img/s%n",
                    cfg.runId(), r.result().testAcc(), r.result().trainAcc(), r.result().gapAcc(),
                    r.throughput().trainImgS(), r.throughput().inferImgS());
        } else {
            System.out.printf("%s: %s at step %d (loss %s)%n", cfg.runId(), r.status(), r.divergence().step(), r.divergence().loss());
        }
        System.out.println("record: " + file);
        return 0;
    }
}
