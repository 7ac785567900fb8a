package hybridlab.experiments.cli;

import hybridlab.backend.Backend;
import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.Files;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.data.Data;
import hybridlab.experiments.data.Dataset;
import hybridlab.experiments.eval.Evaluation;
import hybridlab.experiments.eval.EvaluationReport;
import hybridlab.experiments.train.Models;
import hybridlab.experiments.train.Trainer;
import hybridlab.models.ModelConfig;
import hybridlab.nn.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code experiments evaluate WEIGHTS}: a model saved by a run ({@code save: true}) on its own
 * data, or on other data given by {@code --set} / {@code --data-dir}: loss, accuracy, per-class
 * accuracy, confusion matrix and inference images/s. The weights carry their run's config, so
 * the model and the normalisation (the run's training split's statistics) are rebuilt as the
 * run had them.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a saved model (WEIGHTS.safetensors from a run with save: true): loss, accuracy, per-class accuracy,",
            "confusion matrix (Markdown, CSV, PNG) and inference images/s."})
public final class EvaluateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "WEIGHTS", description = "a .safetensors file written by a run")
    Path weights;

    @Mixin
    ConfigOptions options;

    @Option(names = "--split", description = "test (default), val or train")
    String split = "test";

    @Option(names = "--out", paramLabel = "DIR", description = "where the files go (default: WEIGHTS without .safetensors, plus -eval)")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!java.nio.file.Files.isRegularFile(weights)) {
            throw new ConfigException(weights + ": no such file");
        }
        Map<String, String> meta;
        try {
            meta = Safetensors.metadata(weights);
        } catch (IOException e) {
            throw new ConfigException(weights + ": " + e.getMessage());
        }
        String recorded = meta.get(Trainer.WEIGHTS_CONFIG);
        if (recorded == null) {
            throw new ConfigException(weights + ": holds no run config (" + Trainer.WEIGHTS_CONFIG + " metadata); only weights saved "
                    + "by a run (save: true) can be evaluated");
        }
        Map<String, Object> values = Files.JSON.readValue(recorded, new com.fasterxml.jackson.core.type.TypeReference<
                LinkedHashMap<String, Object>>() { });
        RunConfig cfg = options.apply(RunConfig.fromRecord(values, weights + ": config"));
        Path dir = out != null ? out : weights.resolveSibling(weights.getFileName().toString().replaceFirst("\\.safetensors$", "") + "-eval");
        Files.checkWritableFolder(dir, "--out");
        Data data = Data.load(cfg);
        Dataset d = switch (split) {
            case "test" -> data.test();
            case "train" -> data.train();
            case "val" -> {
                if (data.val() == null) {
                    throw new ConfigException("--split: val: this run holds out no validation set (val_fraction is 0)");
                }
                yield data.val();
            }
            default -> throw new ConfigException("--split: '" + split + "' is not one of test, val, train");
        };
        ModelConfig mc = Models.forData(cfg, data.train(), "config");
        Evaluation e;
        try (Backend backend = Backends.open(cfg)) {
            e = Evaluation.of(mc, weights, d, split, data.classNames(), cfg.schedule().evalBatch(), backend);
        } catch (IOException ex) {
            throw new ConfigException(weights + ": " + ex.getMessage());
        }
        java.nio.file.Files.createDirectories(dir);
        List<String> files = EvaluationReport.write(e, weights.getFileName().toString(), dir);
        System.out.printf(Locale.ROOT, "%s on %s (%s, %d images): loss %.4f, accuracy %.4f, inference %.1f img/s%n",
                meta.getOrDefault(Trainer.WEIGHTS_RUN_ID, weights.getFileName().toString()), d.name(), split, e.images(), e.loss(),
                e.accuracy(), e.inferImgS());
        System.out.println("wrote " + String.join(", ", files.stream().map(f -> dir.resolve(f).toString()).toList()));
        return 0;
    }
}
