package hybridlab.experiments.bench;

import hybridlab.backend.Backend;
import hybridlab.experiments.config.Files;
import hybridlab.experiments.train.Env;
import hybridlab.models.Preset;
import hybridlab.models.Zoo;
import hybridlab.nn.ModelInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Throughput of every small (32x32) preset on one backend, beside PyTorch's twin of the same
 * model on the same machine, threads and batch, measured in one run: JVM and PyTorch alternate
 * {@code repeats} times and the medians are compared.
 */
public final class ThroughputTable {
    private ThroughputTable() {
    }

    /**
     * One model's medians; the torch fields are 0 without PyTorch; {@code error} is null, or why
     * the model could not be measured on this backend (its figures are then 0).
     */
    public record Row(String model, long params, long flops, double trainImgS, double inferImgS, double torchTrainImgS,
                      double torchInferImgS, double[] trainSamples, double[] torchTrainSamples, long allocBytesPerStep,
                      double compileSeconds, String error) {
    }

    public record Report(String command, String machine, String jvm, String backend, String torch, int batch, int threads,
                         int warmup, int steps, int repeats, List<Row> rows) {
    }

    public static List<String> nanoPresets() {
        List<String> names = new ArrayList<>();
        for (Preset p : Zoo.all().values()) {
            if (p.config().build().inputShape()[1] == 32) {
                names.add(p.name());
            }
        }
        return names;
    }

    public static Report measure(List<String> models, Supplier<Backend> backends, int batch, int warmup, int steps,
                                 int repeats, boolean withTorch, String command) {
        StringBuilder why = new StringBuilder();
        Optional<TorchComparison> torch = withTorch ? TorchComparison.find(why) : Optional.empty();
        if (!withTorch) {
            why.append("comparison switched off (--no-torch)");
        }
        List<Row> rows = new ArrayList<>();
        String backendName = "";
        int threads = 0;
        for (String model : models) {
            double[] tr = new double[repeats], inf = new double[repeats], ttr = new double[repeats], tinf = new double[repeats];
            long alloc = 0;
            double compile = 0;
            String error = null;
            for (int r = 0; r < repeats; r++) {
                try (Backend b = backends.get()) {
                    Throughput.Result res = Throughput.measure(Zoo.get(model).config(), model, b, batch, warmup, steps);
                    tr[r] = res.trainImgS();
                    inf[r] = res.inferImgS();
                    alloc = Math.max(alloc, res.allocBytesPerStep());
                    compile = Math.max(compile, res.compileSeconds());
                    backendName = res.device();
                    threads = res.threads();
                } catch (RuntimeException e) {
                    // A device that cannot compile or run one model still gives the others' figures.
                    error = e.getClass().getSimpleName() + ": " + e.getMessage();
                    System.err.printf(Locale.ROOT, "%s: failed on this backend: %s%n", model, error);
                    break;
                }
                if (torch.isPresent()) {
                    double[] t = torch.get().bench(model, batch, threads, warmup, steps);
                    ttr[r] = t == null ? 0 : t[0];
                    tinf[r] = t == null ? 0 : t[1];
                }
            }
            ModelInfo info = ModelInfo.of(Zoo.get(model).config().build());
            rows.add(error != null
                    ? new Row(model, info.params(), info.flops(), 0, 0, median(ttr), median(tinf), tr, ttr, alloc, compile, error)
                    : new Row(model, info.params(), info.flops(), median(tr), median(inf), median(ttr), median(tinf), tr, ttr, alloc,
                            compile, null));
            System.err.printf(Locale.ROOT, "%s: train %.1f img/s (PyTorch %.1f), infer %.1f img/s (PyTorch %.1f)%n", model,
                    median(tr), median(ttr), median(inf), median(tinf));
        }
        return new Report(command, Env.cpu(), Env.jvm(), backendName,
                torch.map(t -> "PyTorch " + t.version()).orElse("not measured: " + why), batch, threads, warmup, steps,
                repeats, rows);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    public static void write(Report r, Path markdown) throws IOException {
        Path json = markdown.resolveSibling(markdown.getFileName().toString().replaceFirst("\\.md$", "") + ".json");
        Files.write(json, Files.JSON.writeValueAsString(r) + "\n");
        Files.write(markdown, markdown(r, json.getFileName().toString()));
    }

    public static String markdown(Report r, String recordName) {
        boolean torch = r.torch().startsWith("PyTorch");
        StringBuilder sb = new StringBuilder("# Training and inference throughput\n\n");
        sb.append(String.format(Locale.ROOT, "Produced by `%s` (raw figures in `%s`).%n%n", r.command(), recordName));
        sb.append(String.format(Locale.ROOT, "- machine: %s; %s%n- backend: %s, batch %d, %d thread(s)%n", r.machine(), r.jvm(),
                r.backend(), r.batch(), r.threads()));
        sb.append(String.format(Locale.ROOT, "- comparison: %s, same batch and threads, AdamW, random 1x32x32 inputs%n", r.torch()));
        sb.append(String.format(Locale.ROOT, "- each figure is the median of %d alternating runs (JVM, PyTorch, JVM, ...), "
                + "%d warm-up steps then %d timed steps each%n%n", r.repeats(), r.warmup(), r.steps()));
        sb.append("| model | params | MFLOPs/img | train img/s | PyTorch train | train ratio | infer img/s | PyTorch infer | infer ratio "
                + "| compile s |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : r.rows()) {
            sb.append(String.format(Locale.ROOT, "| `%s` | %,d | %.1f | %s | %s | %s | %s | %s | %s | %.2f |%n", row.model(), row.params(),
                    row.flops() / 1e6, fmt(row.trainImgS()), torch ? fmt(row.torchTrainImgS()) : "-",
                    torch ? ratio(row.trainImgS(), row.torchTrainImgS()) : "-", fmt(row.inferImgS()),
                    torch ? fmt(row.torchInferImgS()) : "-", torch ? ratio(row.inferImgS(), row.torchInferImgS()) : "-",
                    row.compileSeconds()));
        }
        sb.append("\nRatios are ").append(r.backend()).append(" / PyTorch (above 1: this backend is faster). Throughput excludes "
                + "data loading; compile is the time to build the training and inference plans for the device (their first "
                + "run included), apart from throughput.\n");
        for (Row row : r.rows()) {
            if (row.error() != null) {
                sb.append(String.format(Locale.ROOT, "%n`%s` failed on this backend: %s%n", row.model(), row.error()));
            }
        }
        return sb.toString();
    }

    static String fmt(double v) {
        return v > 0 ? String.format(Locale.ROOT, "%.1f", v) : "failed";
    }

    static String ratio(double a, double b) {
        return b > 0 ? String.format(Locale.ROOT, "%.2fx", a / b) : "-";
    }
}
