package hybridlab.experiments.cli;

import hybridlab.backend.Backend;
import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.Display;
import hybridlab.experiments.config.Files;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.data.Data;
import hybridlab.experiments.report.Records;
import hybridlab.experiments.train.Models;
import hybridlab.experiments.train.RunRecord;
import hybridlab.experiments.train.Trainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code experiments train}: one run, one JSON record; everything it needs is checked before it trains. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train one model and write its run record (DIR/<run-id>.json).",
            "Run keys (for --set and --config files) follow; 'experiments keys' lists them with what each accepts."})
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--out", paramLabel = "DIR", description = "where the run record goes (default: runs)")
    Path out = Path.of("runs");

    @Option(names = {"-q", "--quiet"}, description = "no progress output")
    boolean quiet;

    @Option(names = "--progress-every", paramLabel = "SECONDS",
            description = "when not on a terminal, a progress line every SECONDS (default 30)")
    int progressEvery = (int) Progress.DEFAULT_EVERY.toSeconds();

    @Override
    public Integer call() throws Exception {
        RunConfig cfg = options.resolve();
        if (progressEvery < 1) {
            throw ConfigException.at("--progress-every", null, progressEvery + " is not a number of seconds >= 1");
        }
        Models.resolve(cfg, "config");
        Backends.check(cfg);
        Files.checkWritableFolder(out, "--out");
        Data data = Data.load(cfg);
        Models.forData(cfg, data.train(), "config");
        if (cfg.schedule().batch() > data.train().count()) {
            throw ConfigException.at("config", "batch", cfg.schedule().batch() + " is larger than the training set ("
                    + data.train().count() + " images at train_fraction " + Display.of(cfg.data().trainFraction()) + ")");
        }
        if (data.val() != null && data.val().count() == 0) {
            throw ConfigException.at("config", "val_fraction", Display.of(cfg.data().valFraction())
                    + " holds out no image of this training set (too small a share of each class)");
        }
        if (!quiet) {
            System.err.println("run " + cfg.runId() + ": " + cfg.model().name() + " on " + data.train().count() + " training images, "
                    + cfg.schedule().epochs() + " epoch(s), batch " + cfg.schedule().batch() + ", " + cfg.backend().backend() + " with "
                    + cfg.backend().hostThreads() + " thread(s)");
        }
        RunRecord r;
        try (Backend backend = Backends.open(cfg)) {
            r = Progress.train(cfg, data, backend, quiet, Duration.ofSeconds(progressEvery), out);
        }
        Path file = Records.write(out, r);
        Trainer.finished(cfg, out);
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
