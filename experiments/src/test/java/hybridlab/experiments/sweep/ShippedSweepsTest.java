package hybridlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import hybridlab.experiments.config.Files;
import hybridlab.experiments.config.RunConfig;
import hybridlab.models.Zoo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep files shipped in {@code experiments/} expand and validate (on synthetic data, so no download is needed). */
class ShippedSweepsTest {
    @TempDir
    Path dir;

    private Sweep prepare(String file) {
        return Sweep.prepare(Path.of(file), List.of("dataset=synthetic"), dir, new FakeExecutor());
    }

    @Test
    void quickSweepIsValid() {
        SweepPlan p = prepare("quick.yaml").plan();
        assertEquals(4, p.runs().size());
        assertEquals(List.of("model", "fusion"), p.report().keys());
    }

    /** Read as plain YAML: its knob keys may not exist on this branch yet. */
    @Test
    void ablationSweepHasTheOwnersPoints() {
        Map<String, Object> f = Files.readYamlMap(Path.of("ablation.yaml"));
        assertEquals(21, ((List<?>) f.get("points")).size());
        assertEquals(Map.of("train_fraction", List.of(0.1, 1.0)), f.get("axes"));
        assertEquals(List.of(0, 1, 2), f.get("seeds"));
    }

    /** Needs the CoaT, ViTAE and ViT-REL presets and their knobs; skipped on a branch without them. */
    @Test
    void ablationSweepIsValid() {
        assumeTrue(Zoo.all().keySet().containsAll(List.of("coat-lite-nano", "vitae-nano", "vit-rel-nano")), "presets not here yet");
        assumeTrue(RunConfig.KEYS.stream().map(k -> k.name()).toList().containsAll(List.of("crpe_windows", "cpe", "prm_dilations", "pcm")),
                "knob keys not here yet");
        SweepPlan p = prepare("ablation.yaml").plan();
        assertEquals(42, p.variants().size());
        assertEquals(126, p.runs().size());
    }
}
