package hybridlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.ModuleFiles;
import hybridlab.models.Zoo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep files shipped in {@code experiments/} expand and validate (on synthetic data, so no download is needed). */
class ShippedSweepsTest {
    @TempDir
    Path dir;

    private Sweep prepare(String file) {
        return Sweep.prepare(ModuleFiles.path(file), List.of("dataset=synthetic"), dir, new FakeExecutor());
    }

    @Test
    void quickSweepIsValid() {
        SweepPlan p = prepare("quick.yaml").plan();
        assertEquals(4, p.runs().size());
        assertEquals(List.of("model", "fusion"), p.report().keys());
    }

    @Test
    void ablationSweepIsValid() {
        SweepPlan p = prepare("ablation.yaml").plan();
        assertEquals(42, p.variants().size(), "21 points x 2 training-set fractions");
        assertEquals(126, p.runs().size(), "x 3 seeds");
        assertEquals(List.of(0.1, 1.0), p.variants().stream().map(v -> v.config().data().trainFraction()).distinct().sorted().toList());
    }

    @Test
    void zooCheckSweepCoversEveryNanoPreset() {
        SweepPlan p = prepare("zoo-check.yaml").plan();
        List<String> nano = Zoo.all().keySet().stream().filter(n -> n.contains("nano")).sorted().toList();
        assertEquals(nano, p.variants().stream().map(v -> v.config().model().name()).sorted().toList());
    }

    @Test
    void dataSizeSweepHasOneSeriesPerLayoutAcrossItsFractions() throws Exception {
        // expanded only: 1% of the synthetic set would not hold a batch
        SweepPlan p = Expansion.expand(SweepFile.read(ModuleFiles.path("data-size.yaml")), List.of(), null);
        assertEquals(25, p.runs().size());
        assertEquals(List.of("model", "fusion", "train_fraction"), p.report().keys(), "epochs follows the fraction: not a row");
        Map<List<String>, Long> fractionsPerSeries = p.variants().stream().collect(Collectors.groupingBy(
                v -> List.of(v.coordinates().get("model"), String.valueOf(v.coordinates().get("fusion"))), Collectors.counting()));
        assertEquals(5, fractionsPerSeries.size());
        assertEquals(List.of(5L), fractionsPerSeries.values().stream().distinct().toList());
    }

    @Test
    void cifarSweepIsValid() {
        SweepPlan p = Sweep.prepare(ModuleFiles.path("cifar.yaml"), List.of("dataset=synthetic", "epochs=1"), dir, new FakeExecutor()).plan();
        assertEquals(4, p.runs().size());
        assertEquals(List.of("model", "fusion"), p.report().keys());
    }

    @Test
    void shippedSweepsWriteIntoTheIgnoredRunsFolderSoAFreshCloneTrains() throws Exception {
        for (String f : List.of("quick.yaml", "zoo-check.yaml", "ablation.yaml", "data-size.yaml")) {
            SweepPlan p = Expansion.expand(SweepFile.read(ModuleFiles.path(f)), List.of(), null);
            assertEquals(Path.of("runs", f.replace(".yaml", "")), p.output(), f);
        }
        assertTrue(java.nio.file.Files.readAllLines(ModuleFiles.path("..", ".gitignore")).contains("/runs/"));
    }
}
