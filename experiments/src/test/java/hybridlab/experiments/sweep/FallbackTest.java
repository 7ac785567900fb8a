package hybridlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.config.Files;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.report.FakeRecords;
import hybridlab.experiments.train.RunRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A record that cannot be written after its run trained is kept in a fallback file, and the failure names both places. */
class FallbackTest {
    @TempDir
    Path dir;

    @Test
    void aRecordThatCannotBeWrittenAfterTrainingIsKept() throws Exception {
        Path out = dir.resolve("out"), runs = out.resolve("runs");
        RunRecord[] trained = new RunRecord[1];
        RunExecutor vanishingFolder = new RunExecutor() {
            @Override
            public void checkBackend(RunConfig cfg, String where) {
            }

            @Override
            public RunRecord train(RunConfig cfg, Path runsDir) throws Exception {
                java.nio.file.Files.move(runs, runs.resolveSibling("gone")); // the folder goes away while the run trains
                java.nio.file.Files.writeString(runs, "a file now");
                return trained[0] = FakeRecords.finished(cfg);
            }
        };
        Sweep s = Sweep.prepare(SweepFiles.write(dir, "one.yaml", "name: one\n" + SweepFiles.TINY_BASE), List.of(), out, vanishingFolder);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Outcome o = s.run(Selection.ALL, vanishingFolder, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(0, o.trained());
        assertEquals(1, o.failed().size());
        Path fallback = Path.of(System.getProperty("java.io.tmpdir"), "hybridlab-" + trained[0].runId() + ".json");
        String m = o.failed().get(0);
        assertTrue(m.contains(runs.resolve(trained[0].runId() + ".json") + ": cannot be written (")
                && m.contains("the record was saved to " + fallback + " instead"), m);
        assertArrayEquals(Files.JSON.writeValueAsBytes(trained[0]), java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(fallback),
                java.nio.file.Files.readAllBytes(fallback).length - 1), "the whole record, as it would have been written");
        java.nio.file.Files.delete(fallback);
    }
}
