package hybridlab.experiments.slurm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import hybridlab.experiments.Main;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code experiments slurm --submit} on a real single-node Slurm cluster (Debian's slurmctld,
 * slurmd and munge, configured and started by {@code src/test/slurm/cluster.sh} in a temporary
 * folder). A tiny synthetic sweep of 6 runs goes out as a 3-task array into one shared folder;
 * task 2 gets Slurm's time-limit warning mid-run and requeues itself, task 3 is cancelled
 * mid-run and, after the report job has run on the partial sweep, requeued by hand. In the end
 * every run has been trained to completion exactly once (counted in the task logs) and the
 * report equals the one a local {@code run} of the same sweep writes.
 *
 * <p>Skipped, with the reason, without root or the packages, or when the cluster does not start;
 * with {@code HYBRIDLAB_SLURM_TEST=required} (set by {@code .ci/run} once it installed them) a
 * cluster that does not start fails the test instead.
 */
class SlurmClusterTest {
    private static final Path CLUSTER_SH = Path.of("src/test/slurm/cluster.sh").toAbsolutePath();
    private static final List<String> COMMANDS = List.of("munged", "mungekey", "slurmctld", "slurmd", "sbatch", "squeue", "scancel",
            "scontrol", "sinfo");
    private static final long WAIT_MINUTES = 10;
    private static final Pattern START = Pattern.compile("^\\[(\\d+)/(\\d+)] (\\S+): .*");
    private static final Pattern ATTEMPT = Pattern.compile("^task \\d+_\\d+: attempt (\\d+) on .*");

    private static Path cluster;
    /** The client environment: this cluster's config, and the mark cluster.sh finds left-over job processes by. */
    private static Map<String, String> slurmEnv;

    @TempDir
    Path dir;

    record Result(int code, String out) {
    }

    @BeforeAll
    static void startCluster() throws Exception {
        List<String> missing = COMMANDS.stream().filter(c -> !onPath(c)).toList();
        assumeTrue(missing.isEmpty(), "Slurm test skipped: " + String.join(", ", missing)
                + " not installed (apt-get install slurmctld slurmd slurm-client munge; .ci/run does)");
        assumeTrue(exec(Map.of(), 10, "id", "-u").out().strip().equals("0"), "Slurm test skipped: slurmd needs root");
        cluster = Files.createTempDirectory("hybridlab-slurm");
        Result r = exec(Map.of(), 120, CLUSTER_SH.toString(), "start", cluster.toString(), String.valueOf(freePort()),
                String.valueOf(freePort()), String.valueOf(ProcessHandle.current().pid()));
        if (r.code() != 0) {
            String why = "the single-node Slurm cluster did not start: " + r.out().strip();
            deleteTree(cluster);
            cluster = null;
            if ("required".equals(System.getenv("HYBRIDLAB_SLURM_TEST"))) {
                fail(why);
            }
            assumeTrue(false, "Slurm test skipped: " + why);
        }
        slurmEnv = Map.of("SLURM_CONF", cluster.resolve("slurm.conf").toString(), "HYBRIDLAB_SLURM_CLUSTER", cluster.toString());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster == null) {
            return;
        }
        Result r = exec(Map.of(), 120, CLUSTER_SH.toString(), "stop", cluster.toString());
        assertEquals(0, r.code(), "the cluster stops and leaves nothing running: " + r.out());
        deleteTree(cluster);
    }

    @Test
    void aThreeTaskArrayTrainsEveryRunOnceThroughARequeueAndACancelAndReportsAsALocalRun() throws Exception {
        Path sweep = Files.writeString(dir.resolve("tiny.yaml"), "name: tiny\n"
                + "base: {dataset: synthetic, synthetic_train: 128, synthetic_test: 64, batch: 32, eval_batch: 64, epochs: 1, threads: 1,"
                // a run cut off after a step goes on from its checkpoint: its record must still equal the local run's
                + " model: coatnet-nano-CCCC, checkpoint_every: 1 steps}\n"
                + "axes: {lr: [0.002, 0.001, 0.0005]}\nseeds: [0, 1]\n"
                + "report: {metrics: [test_acc, train_acc, gap_acc, train_loss, params]}\n");
        Path local = dir.resolve("local"), shared = dir.resolve("shared");
        assertEquals(0, Main.execute("run", sweep.toString(), "--output", local.toString(), "-q"));
        List<List<String>> shards = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            shards.add(runIds(sweep, local, i + "/3"));
        }

        Path launcher = launcher();
        Result submitted = exec(slurmEnv, 300, launcher.toString(), "slurm", sweep.toString(), "--array", "3", "--output", shared.toString(),
                "--partition", "test", "--time", "30", "--cpus-per-task", "1", "--launcher", launcher.toString(), "--submit");
        assertEquals(0, submitted.code(), submitted.out());
        String array = group("array job (\\d+): 3 tasks", submitted.out()), report = group("report job (\\d+): ", submitted.out());
        Path logs = shared.resolve("slurm/logs");
        Path[] taskLog = {null, logs.resolve("tiny-" + array + "_1.log"), logs.resolve("tiny-" + array + "_2.log"),
            logs.resolve("tiny-" + array + "_3.log")};

        // mid-run: task 2 gets the warning Slurm sends before the time limit, task 3 is cancelled
        awaitLine(taskLog[2], l -> START.matcher(l).matches(), array + "_2 starts a run");
        slurm("scancel", "--signal=USR1", "--batch", array + "_2");
        awaitLine(taskLog[3], l -> START.matcher(l).matches(), array + "_3 starts a run");
        slurm("scancel", array + "_3");
        awaitJob(report, j -> !j.get("JobState").matches("PENDING|RUNNING|CONFIGURING|COMPLETING"));
        assertEquals("COMPLETED", job(array + "_1").get("JobState"));
        assertEquals(List.of("COMPLETED", "1"), List.of(job(array + "_2").get("JobState"), job(array + "_2").get("Restarts")),
                "task 2 requeued itself once and finished: " + Files.readString(taskLog[2]));
        assertEquals("CANCELLED", job(array + "_3").get("JobState"), "task 3 was cancelled before it ended: " + Files.readString(taskLog[3]));
        assertEquals("COMPLETED", job(report).get("JobState"));

        // the report job started after the requeued task 2 had ended: it saw shards 1 and 2 whole, shard 3 cut short
        int recorded = records(shared).size();
        assertTrue(recorded >= 4 && recorded < 6, "shards 1 and 2 recorded, shard 3 not: " + records(shared).keySet());
        String reportLog = Files.readString(shared.resolve("slurm/logs/tiny-report-" + report + ".log"));
        assertTrue(reportLog.contains("tiny: " + recorded + " of 6 runs recorded (0 diverged, " + (6 - recorded) + " missing)"), reportLog);
        assertTrue(Files.readString(shared.resolve("report/report.md")).contains("**Partial sweep**"));

        // the cancelled task, resubmitted, finishes the sweep and (ending last) writes the whole report
        slurm("scontrol", "requeue", array + "_3");
        awaitJob(array + "_3", j -> j.get("JobState").equals("COMPLETED") || j.get("JobState").matches("FAILED|CANCELLED|TIMEOUT")
                && !j.get("Restarts").equals("0"));
        assertEquals(List.of("COMPLETED", "1", "0:0"), List.of(job(array + "_3").get("JobState"), job(array + "_3").get("Restarts"),
                job(array + "_3").get("ExitCode")), Files.readString(taskLog[3]));

        assertEquals(records(local).keySet(), records(shared).keySet(), "every run recorded");
        Map<String, Integer> completed = new TreeMap<>();
        for (int task = 1; task <= 3; task++) {
            Trainings t = trainings(taskLog[task]);
            assertEquals(new TreeMap<>(Map.of(shards.get(task - 1).get(0), 1, shards.get(task - 1).get(1), 1)), t.completed(),
                    "task " + task + " trained its shard " + task + "/3:\n" + Files.readString(taskLog[task]));
            t.completed().forEach((id, n) -> completed.merge(id, n, Integer::sum));
            assertEquals(task == 1 ? 0 : 1, t.interrupted().values().stream().mapToInt(Integer::intValue).sum(),
                    "task " + task + ": runs cut short\n" + Files.readString(taskLog[task]));
            assertTrue(shards.get(task - 1).containsAll(t.interrupted().keySet()), "task " + task + " cut short a run of its own shard");
        }
        Map<String, Integer> once = new TreeMap<>();
        records(local).keySet().forEach(f -> once.put(f.replace(".json", ""), 1));
        assertEquals(once, completed, "each run trained to its end exactly once over all tasks and attempts");

        for (String f : List.of("metrics.csv", "epochs.csv")) {
            assertArrayEquals(Files.readAllBytes(local.resolve("report").resolve(f)), Files.readAllBytes(shared.resolve("report").resolve(f)), f);
        }
        assertEquals(aboveThroughput(local), aboveThroughput(shared), "report.md above its throughput section");
    }

    /** The run ids of a shard, in order, from {@code run --dry-run}. */
    private static List<String> runIds(Path sweep, Path output, String shard) throws Exception {
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.execute("run", sweep.toString(), "--output", output.toString(), "--dry-run", "--shard", shard));
        } finally {
            System.setOut(out);
        }
        return buf.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("done ")).map(l -> l.substring(9).split(" ")[0]).toList();
    }

    /** Completed and interrupted trainings in one task's log, per run id. */
    record Trainings(Map<String, Integer> completed, Map<String, Integer> interrupted) {
    }

    /**
     * A training starts with {@code run}'s line {@code [i/n] <run-id>: ...} and has completed when
     * its result line ({@code "  test acc ..."} or {@code "  diverged at step ..."}) follows before
     * the next start line or the next attempt of the task; otherwise it was cut short.
     */
    static Trainings trainings(Path log) throws IOException {
        Map<String, Integer> completed = new TreeMap<>(), interrupted = new TreeMap<>();
        String current = null;
        for (String line : Files.readAllLines(log)) {
            Matcher start = START.matcher(line);
            if (start.matches() || ATTEMPT.matcher(line).matches()) {
                if (current != null) {
                    interrupted.merge(current, 1, Integer::sum);
                }
                current = start.matches() ? start.group(3) : null;
            } else if (current != null && (line.startsWith("  test acc ") || line.startsWith("  diverged at step "))) {
                completed.merge(current, 1, Integer::sum);
                current = null;
            }
        }
        if (current != null) {
            interrupted.merge(current, 1, Integer::sum);
        }
        return new Trainings(completed, interrupted);
    }

    private static String aboveThroughput(Path output) throws IOException {
        String md = Files.readString(output.resolve("report/report.md"));
        int at = md.indexOf("\n## Throughput");
        assertTrue(at > 0, "report.md has a throughput section");
        return md.substring(0, at);
    }

    /** The visible records of an output folder. */
    private static Map<String, byte[]> records(Path output) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        Path runs = output.resolve("runs");
        if (Files.isDirectory(runs)) {
            try (Stream<Path> s = Files.list(runs)) {
                for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".json") && !p.getFileName().toString().startsWith(".")).toList()) {
                    m.put(p.getFileName().toString(), Files.readAllBytes(p));
                }
            }
        }
        return m;
    }

    /** A stand-in for bin/experiments that starts this test's classes (the jar is not built yet when the tests run). */
    private Path launcher() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path p = dir.resolve("experiments");
        Files.writeString(p, "#!/bin/sh\nexec " + SlurmJob.quote(java.toString())
                + " --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss8m -cp "
                + SlurmJob.quote(System.getProperty("java.class.path")) + " hybridlab.experiments.Main \"$@\"\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static String group(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "'" + regex + "' in:\n" + text);
        return m.group(1);
    }

    private static void slurm(String... cmd) throws Exception {
        Result r = exec(slurmEnv, 60, cmd);
        assertEquals(0, r.code(), String.join(" ", cmd) + ": " + r.out());
    }

    /** {@code scontrol show job -o ID} as key=value pairs. */
    private static Map<String, String> job(String id) throws Exception {
        Result r = exec(slurmEnv, 60, "scontrol", "show", "job", "-o", id);
        assertEquals(0, r.code(), r.out());
        Map<String, String> m = new HashMap<>();
        for (String word : r.out().strip().split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                m.putIfAbsent(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return m;
    }

    private static void awaitJob(String id, Predicate<Map<String, String>> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(WAIT_MINUTES);
        Map<String, String> j = job(id);
        while (!done.test(j)) {
            assertTrue(System.nanoTime() < deadline, "job " + id + " still " + j.get("JobState") + " after " + WAIT_MINUTES + " minutes");
            Thread.sleep(500);
            j = job(id);
        }
    }

    private static void awaitLine(Path log, Predicate<String> line, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(WAIT_MINUTES);
        while (!Files.exists(log) || Files.readAllLines(log).stream().noneMatch(line)) {
            assertTrue(System.nanoTime() < deadline, what + ": not within " + WAIT_MINUTES + " minutes; log: "
                    + (Files.exists(log) ? Files.readString(log) : "none"));
            Thread.sleep(100);
        }
    }

    /** Runs {@code cmd} with {@code env} added to this process's environment; stdout and stderr together. */
    private static Result exec(Map<String, String> env, int timeoutSeconds, String... cmd) throws Exception {
        Path out = Files.createTempFile("hybridlab-slurm-test", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", cmd) + ": no end within " + timeoutSeconds + " s: " + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(d.isEmpty() ? "." : d, command);
            if (Files.isExecutable(p)) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
