package hybridlab.experiments.cli;

import hybridlab.experiments.config.Files;
import hybridlab.models.Preset;
import hybridlab.models.Zoo;
import hybridlab.nn.ModelInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code experiments zoo}: every preset's parameters and FLOPs beside the papers' figures, as Markdown. */
@Command(name = "zoo", mixinStandardHelpOptions = true,
        description = "Write the model-zoo table (params and FLOPs of every preset, with the papers' figures).")
public final class ZooCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "FILE.md", description = "write here instead of standard output")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (out != null) {
            Files.checkWritableFile(out, "--out");
        }
        String md = table();
        if (out == null) {
            System.out.print(md);
        } else {
            Files.write(out, md);
            System.out.println("wrote " + out);
        }
        return 0;
    }

    /** The whole document; depends only on the model code. */
    public static String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Model zoo\n\n")
                .append("Generated from the model code by `bin/experiments zoo --out results/model-zoo.md`; do not edit.\n\n")
                .append("Parameters are trainable scalars. MACs are forward multiply-adds per image (convolutions, ")
                .append("linear layers and attention matmuls); `bin/experiments info` reports FLOPs as 2 x MACs. ")
                .append("The papers' \"FLOPs\" count multiply-adds, so they are compared with MACs here. ")
                .append("Differences over 5% are explained below the table.\n\n")
                .append("| preset | input | params (M) | GMACs | paper params (M) | paper GFLOPs (MACs) | params diff | MACs diff |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        List<String> notes = new ArrayList<>();
        for (Preset p : Zoo.all().values()) {
            ModelInfo info = ModelInfo.of(p.config().build());
            int[] in = info.inputShape();
            double params = info.params() / 1e6, gmacs = info.macs() / 1e9;
            sb.append(String.format(Locale.ROOT, "| `%s` | %dx%dx%d | %.3f | %.4f |", p.name(), in[0], in[1], in[2], params, gmacs));
            if (p.paper() == null) {
                sb.append(" | | | |\n");
                continue;
            }
            double dp = params / p.paper().paramsM() - 1, df = gmacs / p.paper().gflops() - 1;
            sb.append(String.format(Locale.ROOT, " %.1f | %.1f | %+.1f%% | %+.1f%% |%n", p.paper().paramsM(), p.paper().gflops(),
                    100 * dp, 100 * df));
            if (Math.abs(dp) > 0.05 || Math.abs(df) > 0.05) {
                notes.add(String.format(Locale.ROOT, "- **%s** (%s; params %+.1f%%, MACs %+.1f%%): %s", p.name(), p.paper().source(),
                        100 * dp, 100 * df, p.paper().difference() == null ? "not explained yet." : p.paper().difference()));
            }
        }
        sb.append("\nSources: ");
        List<String> sources = new ArrayList<>();
        for (Preset p : Zoo.all().values()) {
            if (p.paper() != null && !sources.contains(p.paper().source())) {
                sources.add(p.paper().source());
            }
        }
        sb.append(String.join("; ", sources)).append(".\n");
        if (!notes.isEmpty()) {
            sb.append("\n## Differences over 5%\n\n").append(String.join("\n", notes)).append('\n');
        }
        sb.append("\n## Presets\n\n");
        for (Preset p : Zoo.all().values()) {
            sb.append("- `").append(p.name()).append("`: ").append(p.description()).append('\n');
        }
        return sb.toString();
    }
}
