package hybridlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.report.Report;
import hybridlab.experiments.report.SweepResults;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resume, divergence, failures and shards, with a fake executor (no training). */
class ResumeTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    private Outcome run(FakeExecutor executor, Shard shard) throws IOException, InterruptedException {
        return run(executor, new Selection(shard, java.util.Map.of()));
    }

    private Outcome run(FakeExecutor executor, Selection shard) throws IOException, InterruptedException {
        Sweep s = Sweep.prepare(SweepFiles.write(dir, "sweep.yaml", SweepFiles.GRID), List.of(), dir.resolve("out"), executor);
        Outcome o = s.run(shard, executor, log);
        Report.write(s.output(), log);
        return o;
    }

    /** Every file under {@code folder} by relative path, with its bytes. */
    static Map<String, byte[]> snapshot(Path folder) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(folder.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), k));
    }

    @Test
    void rerunningAFinishedSweepTrainsNothingAndRewritesTheSameReport() throws Exception {
        FakeExecutor first = new FakeExecutor();
        Outcome o = run(first, Shard.ALL);
        assertEquals(new Outcome(8, 0, 0, 0, List.of()), o);
        assertEquals(8, new HashSet<>(first.trained).size());
        Map<String, byte[]> before = snapshot(dir.resolve("out"));

        FakeExecutor second = new FakeExecutor();
        assertEquals(new Outcome(0, 8, 0, 0, List.of()), run(second, Shard.ALL));
        assertEquals(List.of(), second.trained);
        assertSameFiles(before, snapshot(dir.resolve("out")));
    }

    @Test
    void truncatedRecordIsSetAsideWithAWarningAndItsRunTrainsAgain() throws Exception {
        run(new FakeExecutor(), Shard.ALL);
        Path runs = dir.resolve("out/runs");
        Path victim;
        try (Stream<Path> s = Files.list(runs)) {
            victim = s.sorted().findFirst().orElseThrow();
        }
        byte[] whole = Files.readAllBytes(victim);
        Files.write(victim, java.util.Arrays.copyOf(whole, whole.length / 3));
        String id = victim.getFileName().toString().replace(".json", "");

        FakeExecutor again = new FakeExecutor();
        assertEquals(new Outcome(1, 7, 0, 0, List.of()), run(again, Shard.ALL));
        assertEquals(List.of(id), again.trained);
        String out = logBytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("warning: " + victim + ": unreadable run record (truncated by a crash?)"), out);
        assertTrue(Files.exists(runs.resolve(id + ".json.corrupt")));
        assertArrayEquals(whole, Files.readAllBytes(victim), "the fake executor gives the same record again");
    }

    @Test
    void divergedRunsAreRecordedAndNotRetried() throws Exception {
        FakeExecutor executor = new FakeExecutor(Set.of("coatnet-nano-CCCT"), Set.of(), 0);
        assertEquals(new Outcome(8, 0, 0, 4, List.of()), run(executor, Shard.ALL));
        SweepResults r = Report.write(dir.resolve("out"), log);
        assertEquals(4, r.diverged());
        assertEquals(0, r.missing());
        FakeExecutor again = new FakeExecutor(Set.of("coatnet-nano-CCCT"), Set.of(), 0);
        assertEquals(new Outcome(0, 8, 0, 0, List.of()), run(again, Shard.ALL));
        String md = Files.readString(dir.resolve("out/report/report.md"));
        assertTrue(md.contains("| coatnet-nano-CCCT | diverged | diverged |"), md);
        assertTrue(md.contains("### Diverged runs"), md);
    }

    @Test
    void aRunThatFailsDoesNotStopTheOthersAndIsRetriedNextTime() throws Exception {
        Outcome o = run(new FakeExecutor(Set.of(), Set.of("coatnet-nano-CCTT"), 0), Shard.ALL);
        assertEquals(4, o.trained());
        assertEquals(4, o.failed().size());
        assertTrue(o.failed().get(0).contains("out of device memory (fake)"), o.failed().get(0));
        String md = Files.readString(dir.resolve("out/report/report.md"));
        assertTrue(md.contains("4 finished, 0 diverged, 4 missing") && md.contains("**Partial sweep**"), md);

        FakeExecutor retry = new FakeExecutor();
        assertEquals(new Outcome(4, 4, 0, 0, List.of()), run(retry, Shard.ALL));
        assertTrue(retry.trained.stream().allMatch(id -> id.startsWith("coatnet-nano-CCTT")));
    }

    @Test
    void onlyFiltersRunByValueAndTheRestRunsLater() throws Exception {
        FakeExecutor first = new FakeExecutor();
        Outcome o = run(first, Selection.of(Shard.ALL, List.of("seed=1", "fusion=post")));
        assertEquals(2, o.trained(), "two models with seed 1 and post fusion");
        assertTrue(first.trained.stream().allMatch(id -> id.contains("-s1-")), first.trained.toString());
        FakeExecutor rest = new FakeExecutor();
        assertEquals(new Outcome(6, 2, 0, 0, List.of()), run(rest, Shard.ALL));
        String m = assertThrows(ConfigException.class, () -> Selection.of(Shard.ALL, List.of("sead=1"))).getMessage();
        assertTrue(m.startsWith("--only: sead: unknown key (did you mean 'seed'?)"), m);
    }

    @Test
    void shardsShareOneOutputFolderAndCoverEveryRunExactlyOnce() throws Exception {
        List<String> all = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            FakeExecutor e = new FakeExecutor();
            Outcome o = run(e, new Shard(i, 3));
            assertEquals(i == 3 ? 2 : 3, o.trained(), "shard " + i);
            all.addAll(e.trained);
        }
        assertEquals(8, all.size());
        assertEquals(8, new HashSet<>(all).size());
        SweepResults r = Report.write(dir.resolve("out"), log);
        assertEquals(8, r.finished());

        Sweep s = Sweep.prepare(dir.resolve("sweep.yaml"), List.of(), dir.resolve("out"), new FakeExecutor());
        for (int n = 1; n <= 9; n++) {
            Set<Integer> seen = new HashSet<>();
            for (int i = 1; i <= n; i++) {
                for (SweepRun run : s.plan().runs(new Selection(new Shard(i, n), java.util.Map.of()))) {
                    assertTrue(seen.add(run.index()), "run " + run.index() + " in two shards of " + n);
                }
            }
            assertEquals(8, seen.size(), "shards of " + n + " cover all runs");
        }
    }

    @Test
    void shardMustBeIOfN() {
        assertEquals(new Shard(2, 4), Shard.parse("2/4"));
        for (String bad : List.of("0/4", "5/4", "2", "a/b", "1/0")) {
            String m = assertThrows(ConfigException.class, () -> Shard.parse(bad)).getMessage();
            assertTrue(m.startsWith("--shard: '" + bad + "' is not i/n with 1 <= i <= n"), m);
        }
    }
}
