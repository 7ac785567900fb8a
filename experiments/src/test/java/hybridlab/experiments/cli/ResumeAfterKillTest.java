package hybridlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.Main;
import hybridlab.experiments.config.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} with checkpoints in a child JVM, killed with SIGKILL once it has checkpointed in
 * the middle of its first epoch, then run again: it resumes and ends with the record of a run
 * that was never interrupted, every metric bit for bit.
 */
class ResumeAfterKillTest {
    @TempDir
    Path dir;

    private static final String[] RUN = {"--set", "model=coatnet-nano-CCCC", "--set", "dataset=synthetic", "--set", "synthetic_train=960",
        "--set", "synthetic_test=128", "--set", "batch=32", "--set", "epochs=2", "--set", "crop_pad=2", "--set", "hflip=true",
        "--threads", "2"};

    private static String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of("train"));
        a.addAll(List.of(RUN));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static List<Path> files(Path folder, String suffix) throws Exception {
        if (!java.nio.file.Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = java.nio.file.Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
        }
    }

    @Test
    void aRunKilledMidEpochResumesToTheSameRecord() throws Exception {
        Path whole = dir.resolve("whole"), killed = dir.resolve("killed");
        assertEquals(0, CliTest.run(args("--out", whole.toString()))[0]);

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--add-modules",
                "jdk.incubator.vector", "-Xss8m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args("--set", "checkpoint_every=3 steps", "--out", killed.toString())));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (files(killed, ".ckpt").isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        p.destroyForcibly();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(1, files(killed, ".ckpt").size(), "killed after a checkpoint: " + java.nio.file.Files.readString(dir.resolve("child.log")));
        assertEquals(List.of(), files(killed, ".json"), "and before the end");

        Object[] again = CliTest.run(args("--set", "checkpoint_every=3 steps", "--out", killed.toString()));
        assertEquals(0, again[0], (String) again[2]);
        assertTrue(((String) again[2]).matches("(?s).*resumed from its checkpoint at epoch \\d/2, step \\d+/30.*"), (String) again[2]);
        Map<String, Object> want = Files.readJsonMap(files(whole, ".json").get(0)), got = Files.readJsonMap(files(killed, ".json").get(0));
        assertEquals(want.get("epochs"), got.get("epochs"), "per-epoch metrics, bit for bit");
        assertEquals(want.get("final"), got.get("final"), "final metrics");
        assertEquals(want.get("run_id"), got.get("run_id"));
        assertEquals(List.of(), files(killed, ".ckpt"), "a finished run's checkpoint is removed");
    }
}
