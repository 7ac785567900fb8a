package hybridlab.experiments.cli;

import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.config.Yaml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by commands that build a run config: a YAML file, overrides, execution knobs. */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE.yaml", description = "run configuration (a map of keys)")
    Path config;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "override one key (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N", description = "host threads (default: all cores)")
    Integer threads;

    @Option(names = "--backend", description = "backend: jvm (default) or tornado")
    String backend;

    @Option(names = "--device", description = "backend device, e.g. tornado:0:0")
    String device;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "the dataset's folder (sets data_dir)")
    Path dataDir;

    /** Defaults, then the file, then {@code --set}, then the dedicated flags. */
    public RunConfig resolve() {
        return apply(RunConfig.defaults());
    }

    /** {@code base}, then the file, then {@code --set}, then the dedicated flags. */
    public RunConfig apply(RunConfig base) {
        RunConfig c = base;
        if (config != null) {
            c = c.withAll(Yaml.readMap(config), config.toString());
        }
        c = c.withSets(sets);
        if (threads != null) {
            c = c.with("threads", threads, "--threads");
        }
        if (backend != null) {
            c = c.with("backend", backend, "--backend");
        }
        if (device != null) {
            c = c.with("device", device, "--device");
        }
        if (dataDir != null) {
            c = c.with("data_dir", dataDir.toString(), "--data-dir");
        }
        return c;
    }
}
