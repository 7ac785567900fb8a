package hybridlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes sharing one output folder ({@link FakeSweepMain} in child JVMs): each run is trained
 * exactly once, counted from the "[i/n] run-id" line a runner prints before it trains a run; a
 * process killed mid-run leaves a claim that the next one takes over.
 */
class SharedFolderTest {
    @TempDir
    Path dir;

    /** 2 models x 2 fusions, one seed: 4 runs. */
    private static final String FOUR = "name: four\n" + SweepFiles.TINY_BASE
            + "axes:\n  model: [coatnet-nano-CCCT, coatnet-nano-CCTT]\n  fusion: [pre, post]\n";
    private static final Pattern TRAINS = Pattern.compile("^\\[\\d+/\\d+\\] (\\S+): ", Pattern.MULTILINE);

    private Process start(String name, Path sweep, Path output, long delayMillis) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), FakeSweepMain.class.getName(),
                sweep.toString(), output.toString(), String.valueOf(delayMillis)));
        return new ProcessBuilder(cmd).redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(dir.resolve(name + ".err").toFile())
                .start();
    }

    private Map<String, Integer> trainings(String... names) throws IOException {
        Map<String, Integer> count = new TreeMap<>();
        for (String n : names) {
            Matcher m = TRAINS.matcher(Files.readString(dir.resolve(n + ".err")));
            while (m.find()) {
                count.merge(m.group(1), 1, Integer::sum);
            }
        }
        return count;
    }

    private static List<String> files(Path runs, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(runs)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix) && !n.startsWith(".")).sorted().toList();
        }
    }

    @Test
    void twoProcessesOnOneFolderTrainEachRunExactlyOnce() throws Exception {
        Path sweep = SweepFiles.write(dir, "four.yaml", FOUR), out = dir.resolve("out");
        Process a = start("a", sweep, out, 300), b = start("b", sweep, out, 300);
        assertTrue(a.waitFor(3, TimeUnit.MINUTES) && b.waitFor(3, TimeUnit.MINUTES), "both end");
        assertEquals(0, a.exitValue(), Files.readString(dir.resolve("a.err")));
        assertEquals(0, b.exitValue(), Files.readString(dir.resolve("b.err")));
        Map<String, Integer> n = trainings("a", "b");
        assertEquals(4, n.size(), n.toString());
        n.forEach((id, times) -> assertEquals(1, times, id + " trained once"));
        assertEquals(n.keySet().stream().map(id -> id + ".json").toList(), files(out.resolve("runs"), ".json"));
        assertEquals(List.of(), files(out.resolve("runs"), RunClaims.SUFFIX), "no claim left behind");
    }

    @Test
    void aRunWhoseProcessWasKilledIsClaimedAndFinishedByTheNext() throws Exception {
        Path sweep = SweepFiles.write(dir, "four.yaml", FOUR), out = dir.resolve("out");
        Process a = start("a", sweep, out, 600_000); // its first run never ends by itself
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while ((!Files.isDirectory(out.resolve("runs")) || files(out.resolve("runs"), RunClaims.SUFFIX).isEmpty())
                && a.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<String> claimed = files(out.resolve("runs"), RunClaims.SUFFIX);
        assertEquals(1, claimed.size(), "a is training its first run");
        a.destroyForcibly();
        assertTrue(a.waitFor(1, TimeUnit.MINUTES));
        assertEquals(List.of(), files(out.resolve("runs"), ".json"), "killed before it recorded anything");

        Process b = start("b", sweep, out, 0);
        assertTrue(b.waitFor(3, TimeUnit.MINUTES));
        assertEquals(0, b.exitValue(), Files.readString(dir.resolve("b.err")));
        Map<String, Integer> n = trainings("b");
        assertEquals(4, n.size(), "b trains the 4 runs, a's too: " + n);
        assertTrue(n.containsKey(claimed.get(0).replace(RunClaims.SUFFIX, "")));
        assertEquals(4, files(out.resolve("runs"), ".json").size());
        assertEquals(List.of(), files(out.resolve("runs"), RunClaims.SUFFIX));
    }
}
