package hybridlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.ModuleFiles;
import hybridlab.experiments.report.Manifest;
import hybridlab.experiments.report.Report;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The committed results folders under the current run ids: their sweeps, run again as the
 * records were made, find every record (so they train nothing), and their reports rebuild from
 * the records byte for byte.
 */
class ShippedResultsTest {
    @ParameterizedTest
    @CsvSource({"quick, quick.yaml", "zoo-check, zoo-check.yaml", "ablation-2-epochs, ablation.yaml"})
    void aRerunOfTheSweepFindsEveryCommittedRecord(String folder, String sweepFile) throws IOException {
        Path results = ModuleFiles.path("..", "results", folder);
        Manifest m = Manifest.read(results);
        SweepPlan plan = Expansion.expand(SweepFile.read(ModuleFiles.path(sweepFile)), m.overrides(), results);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        RecordStore store = new RecordStore(results.resolve(Report.RUNS), quiet);
        long recorded;
        try (Stream<Path> s = Files.list(results.resolve(Report.RUNS))) {
            recorded = s.filter(p -> p.toString().endsWith(".json")).count();
        }
        long found = plan.runs().stream().filter(r -> store.state(r.runId()) == RecordStore.State.DONE).count();
        assertTrue(recorded > 0);
        assertEquals(recorded, found, "every committed record is a planned run the sweep would skip");
    }

    @ParameterizedTest
    @CsvSource({"quick", "zoo-check", "ablation-2-epochs"})
    void theReportRebuildsByteForByte(String folder, @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path results = ModuleFiles.path("..", "results", folder), copy = dir.resolve(folder);
        Files.createDirectories(copy.resolve(Report.RUNS));
        Files.copy(results.resolve(Manifest.FILE), copy.resolve(Manifest.FILE));
        try (Stream<Path> s = Files.list(results.resolve(Report.RUNS))) {
            for (Path p : s.toList()) {
                Files.copy(p, copy.resolve(Report.RUNS).resolve(p.getFileName()));
            }
        }
        Report.write(copy, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        // every table; the plots are pictures whose pixels depend on the machine's fonts
        List<String> tables;
        try (Stream<Path> s = Files.list(Report.dir(results))) {
            tables = s.map(p -> p.getFileName().toString()).filter(f -> !f.matches(".*\\.(png|svg|pdf)")).sorted().toList();
        }
        assertTrue(tables.containsAll(List.of("report.md", "metrics.csv", "epochs.csv", "throughput.csv", "tables.tex",
                "matched_loss.csv", "paired.csv")), folder + ": " + tables);
        for (String f : tables) {
            assertArrayEquals(Files.readAllBytes(Report.dir(results).resolve(f)), Files.readAllBytes(Report.dir(copy).resolve(f)),
                    folder + "/report/" + f);
        }
    }
}
