package hybridlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} and {@code report} on the command line: exit codes, messages, dry runs. */
class SweepCommandsTest {
    @TempDir
    Path dir;

    private Path sweep(String yaml) throws Exception {
        return Files.writeString(dir.resolve("s.yaml"), "name: s\noutput: " + dir.resolve("out") + "\n"
                + "base: {model: coatnet-nano-CCTT, dataset: synthetic, synthetic_train: 128, synthetic_test: 64, batch: 32}\n" + yaml);
    }

    @Test
    void dryRunListsEveryRunAndTrainsNothing() throws Exception {
        Path f = sweep("axes: {fusion: [pre, post]}\nseeds: [0, 1]\n");
        Object[] r = CliTest.run("run", f.toString(), "--dry-run", "--shard", "2/2");
        assertEquals(0, r[0], (String) r[2]);
        String out = (String) r[1];
        assertEquals(3, out.lines().count(), out);
        assertTrue(out.contains("to run   coatnet-nano-CCTT-s0-") && out.contains("{fusion: post}, seed 0"), out);
        assertTrue(out.endsWith("4 runs (2 variants x 2 seeds), all valid; shard 2/2: 2 runs, 0 done, 2 to run; output "
                + dir.resolve("out") + "\n"), out);
        assertFalse(Files.exists(dir.resolve("out")), "a dry run writes nothing");
        r = CliTest.run("run", f.toString(), "--dry-run", "--output", "/proc/hybridlab-dry");
        assertTrue(CliTest.userError(r).startsWith("error: --output: /proc/hybridlab-dry: cannot be created in /proc"),
                "a dry run checks the output folder as the real run does");
    }

    @Test
    void badSweepExitsWithCodeTwoAndNoStackTrace() throws Exception {
        Path f = sweep("axes: {fusion: [pre, middle]}\n");
        Object[] r = CliTest.run("run", f.toString());
        assertEquals(Main.BAD_INPUT, r[0]);
        String err = (String) r[2];
        assertEquals("error: " + f + ": axes.fusion: 'middle' is not one of pre, post, none\n", err);
        r = CliTest.run("run", f.toString(), "--shard", "3/2");
        assertEquals(Main.BAD_INPUT, r[0]);
        assertTrue(((String) r[2]).startsWith("error: --shard: '3/2' is not i/n"), (String) r[2]);
        r = CliTest.run("run", dir.resolve("missing.yaml").toString());
        assertEquals("error: " + dir.resolve("missing.yaml") + ": no such file\n", r[2]);
        r = CliTest.run("run", sweep("backends: [jvm, tpu]\n").toString());
        assertEquals(Main.BAD_INPUT, r[0]);
        assertTrue(((String) r[2]).startsWith("error: " + f + ": backend: unknown backend 'tpu'"), (String) r[2]);
    }

    @Test
    void reportOfAFolderThatIsNoSweepIsABadInput() {
        Object[] r = CliTest.run("report", dir.toString());
        assertEquals(Main.BAD_INPUT, r[0]);
        assertEquals("error: " + dir + ": not a sweep output folder (no sweep.json; 'experiments run SWEEP.yaml' writes it)\n", r[2]);
    }

    @Test
    void reportWithASweepFileReportsRecordsGatheredFromElsewhere() throws Exception {
        Path f = sweep("axes: {fusion: [pre, post]}\nseeds: [0]\n");
        assertEquals(0, CliTest.run("run", f.toString(), "-q")[0]);
        Path gathered = dir.resolve("gathered");
        Files.createDirectories(gathered.resolve("runs"));
        try (var s = Files.list(dir.resolve("out/runs"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".json")).toList()) {
                Files.copy(p, gathered.resolve("runs").resolve(p.getFileName()));
            }
        }
        Object[] r = CliTest.run("report", gathered.toString(), "--sweep", f.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[1]).startsWith("s: 2 of 2 runs recorded"), (String) r[1]);
        assertEquals(Files.readString(dir.resolve("out/report/metrics.csv")), Files.readString(gathered.resolve("report/metrics.csv")));
        assertTrue(CliTest.userError(CliTest.run("report", gathered.toString(), "--set", "epochs=1")).startsWith("error: --set: only with"));
    }
}
