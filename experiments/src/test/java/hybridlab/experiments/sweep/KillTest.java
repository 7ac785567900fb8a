package hybridlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.Main;
import hybridlab.experiments.report.Report;
import hybridlab.experiments.report.SweepResults;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} during {@code run}, then {@code run} again: the sweep finishes with the same
 * records and tables as a run that was never interrupted. The sweep runs in a child JVM that is
 * killed with SIGKILL ({@link Process#destroyForcibly()}) once it has written some records.
 */
class KillTest {
    @TempDir
    Path dir;

    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    /** Starts {@code mainClass args} in a new JVM with this JVM's class path; output goes to files. */
    private Process start(String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectOutput(dir.resolve("child.out").toFile()).redirectError(dir.resolve("child.err").toFile())
                .start();
    }

    /** The visible record files of an output folder (temporary files of interrupted writes are hidden). */
    private static Map<String, byte[]> records(Path output) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        Path runs = output.resolve("runs");
        if (Files.isDirectory(runs)) {
            try (Stream<Path> s = Files.list(runs)) {
                for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".json") && !p.getFileName().toString().startsWith("."))
                        .toList()) {
                    m.put(p.getFileName().toString(), Files.readAllBytes(p));
                }
            }
        }
        return m;
    }

    /** Kills {@code p} with SIGKILL as soon as {@code output} holds {@code records} records (or the process ends). */
    private void killAfter(Process p, Path output, int records) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (records(output).size() < records && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        p.destroyForcibly();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), "the child ends");
    }

    @Test
    void killedAtSeveralMomentsTheSweepEndsWithTheSameRecordsAndTables() throws Exception {
        Path file = SweepFiles.write(dir, "sweep.yaml", SweepFiles.GRID);
        Path reference = dir.resolve("reference"), killed = dir.resolve("killed");
        FakeExecutor once = new FakeExecutor();
        Sweep s = Sweep.prepare(file, List.of(), reference, once);
        s.run(Selection.ALL, once, quiet);
        Report.write(reference, quiet);

        for (int records : new int[] {0, 2, 5}) {
            Process p = start(FakeSweepMain.class.getName(), file.toString(), killed.toString(), "150");
            killAfter(p, killed, records);
        }
        assertTrue(records(killed).size() < 8, "the kills interrupted the sweep: " + records(killed).keySet()
                + "\n" + Files.readString(dir.resolve("child.err")));
        FakeExecutor rest = new FakeExecutor();
        Sweep again = Sweep.prepare(file, List.of(), killed, rest);
        Outcome o = again.run(Selection.ALL, rest, quiet);
        Report.write(killed, quiet);

        assertEquals(8 - o.skipped(), rest.trained.size());
        Map<String, byte[]> want = records(reference), got = records(killed);
        assertEquals(want.keySet(), got.keySet());
        want.forEach((k, v) -> assertArrayEquals(v, got.get(k), k));
        Map<String, byte[]> wantReport = ResumeTest.snapshot(Report.dir(reference)), gotReport = ResumeTest.snapshot(Report.dir(killed));
        ResumeTest.assertSameFiles(wantReport, gotReport);
    }

    /**
     * The real CLI, real training (tiny): killed after its first record, run again to the end.
     * Records written before the kill are kept as they are and not retrained; every run ends up
     * recorded once. The numbers are compared with an uninterrupted run's within a small
     * tolerance, not bit for bit: the compute layer is not yet bit-reproducible between a cold
     * and a warmed-up JVM (its vector EXP differs by an ulp between interpreted and JIT-compiled
     * code), so two uninterrupted runs in two fresh JVMs differ in the same way.
     */
    @Test
    void realSweepKilledWithSigkillResumesWithoutLosingOrRetrainingRuns() throws Exception {
        Path file = SweepFiles.write(dir, "real.yaml", "name: real\nbase: {dataset: synthetic, synthetic_train: 128, synthetic_test: 64, "
                + "batch: 32, eval_batch: 64, epochs: 1, threads: 1, model: coatnet-nano-CCCC}\n"
                + "axes: {lr: [0.002, 0.001]}\nseeds: [0, 1]\nreport: {metrics: [test_acc, train_acc, gap_acc, train_loss, params]}\n");
        Path reference = dir.resolve("reference"), killed = dir.resolve("killed");
        assertEquals(0, Main.execute("run", file.toString(), "--output", reference.toString(), "-q"));

        Process p = start(Main.class.getName(), "run", file.toString(), "--output", killed.toString(), "-q");
        killAfter(p, killed, 1);
        Map<String, byte[]> beforeResume = records(killed);
        assertTrue(!beforeResume.isEmpty() && beforeResume.size() < 4, "killed mid-sweep: " + beforeResume.keySet()
                + "\n" + Files.readString(dir.resolve("child.err")));

        assertEquals(0, Main.execute("run", file.toString(), "--output", killed.toString(), "-q"));
        Map<String, byte[]> after = records(killed);
        assertEquals(records(reference).keySet(), after.keySet(), "every run recorded once");
        beforeResume.forEach((k, v) -> assertArrayEquals(v, after.get(k), "kept as written before the kill: " + k));

        SweepResults want = Report.write(reference, quiet), got = Report.write(killed, quiet);
        assertEquals(List.of(4, 4, 0), List.of(got.planned(), got.finished(), got.missing()));
        List<String[]> wantRows = csv(Report.dir(reference).resolve("metrics.csv")), gotRows = csv(Report.dir(killed).resolve("metrics.csv"));
        assertEquals(wantRows.size(), gotRows.size());
        for (int r = 0; r < wantRows.size(); r++) {
            for (int c = 0; c < wantRows.get(r).length; c++) {
                String w = wantRows.get(r)[c], g = gotRows.get(r)[c];
                if (r == 0 || !w.matches("-?[0-9.]+") || w.equals(g)) {
                    assertEquals(w, g, "metrics.csv row " + r + " column " + wantRows.get(0)[c]);
                } else {
                    assertEquals(Double.parseDouble(w), Double.parseDouble(g), 0.05, "metrics.csv row " + r + " column " + wantRows.get(0)[c]);
                }
            }
        }
        assertEquals(want.variants().size(), got.variants().size());

        Map<String, byte[]> finished = records(killed);
        assertEquals(0, Main.execute("run", file.toString(), "--output", killed.toString(), "-q"), "a finished sweep runs again at once");
        Map<String, byte[]> untouched = records(killed);
        finished.forEach((k, v) -> assertArrayEquals(v, untouched.get(k), "not retrained: " + k));
    }

    private static List<String[]> csv(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(l -> l.split(",", -1)).toList();
    }
}
