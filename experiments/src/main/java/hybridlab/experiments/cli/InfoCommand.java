package hybridlab.experiments.cli;

import hybridlab.experiments.config.Files;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.train.Models;
import hybridlab.models.ModelConfig;
import hybridlab.models.Preset;
import hybridlab.models.Zoo;
import hybridlab.nn.ModelInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code experiments info MODEL}: parameters, FLOPs and a layer table. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show a model's parameters, forward FLOPs per image and layer table.")
public final class InfoCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "MODEL", description = "model preset")
    String model;

    @Option(names = "--list", description = "list the presets")
    boolean list;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "model knobs, e.g. fusion=none")
    List<String> sets = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (list || model == null) {
            for (Preset p : Zoo.all().values()) {
                System.out.printf("%-22s %s%n", p.name(), p.description());
            }
            return 0;
        }
        RunConfig cfg = RunConfig.defaults().with("model", model, "MODEL").withSets(sets);
        Preset preset = cfg.model().preset("MODEL");
        ModelConfig mc = Models.resolve(cfg, "--set");
        ModelInfo info = ModelInfo.of(mc.build());
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", preset.name());
            out.put("description", preset.description());
            out.put("config", mc.toString());
            out.put("input_shape", info.inputShape());
            out.put("params", info.params());
            out.put("flops", info.flops());
            out.put("layers", info.layers().stream().map(l -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", l.name());
                m.put("output_shape", l.outShape());
                m.put("params", l.params());
                m.put("flops", 2 * l.macs());
                return m;
            }).collect(Collectors.toList()));
            System.out.println(Files.JSON.writeValueAsString(out));
            return 0;
        }
        System.out.println(preset.name() + ": " + preset.description());
        System.out.println("config: " + mc);
        System.out.println("input: " + dims(info.inputShape()));
        System.out.printf("params: %,d%n", info.params());
        System.out.printf("flops: %,d (%.2f M; forward, per image, 2 x multiply-adds)%n", info.flops(), info.flops() / 1e6);
        System.out.printf("%n%-12s %-14s %12s %12s%n", "layer", "output", "params", "MFLOPs");
        for (ModelInfo.Layer l : info.layers()) {
            System.out.printf("%-12s %-14s %,12d %12.2f%n", l.name(), dims(Arrays.copyOfRange(l.outShape(), 1, l.outShape().length)),
                    l.params(), 2 * l.macs() / 1e6);
        }
        return 0;
    }

    static String dims(int[] shape) {
        return Arrays.stream(shape).mapToObj(String::valueOf).collect(Collectors.joining("x"));
    }
}
