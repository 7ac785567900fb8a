package hybridlab.experiments.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.Main;
import hybridlab.experiments.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code experiments slurm} without a cluster: the scripts it writes, what their shell code does
 * with Slurm's variables and signals (run by bash against a stand-in launcher and scontrol), and
 * the errors for bad flags, all raised before anything is written.
 */
class SlurmCommandTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result cli(String... args) {
        Object[] r = hybridlab.experiments.cli.CliTest.run(args);
        return new Result((Integer) r[0], (String) r[1], (String) r[2]);
    }

    private Path sweep() throws Exception {
        return Files.writeString(dir.resolve("s.yaml"), "name: s\nbase: {dataset: synthetic, synthetic_train: 128, synthetic_test: 64, batch: 32}\n"
                + "axes: {lr: [0.002, 0.001]}\nseeds: [0, 1]\n");
    }

    /** An executable shell script in the test folder. */
    private Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/bash\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void writesAnArrayOfShardsAndAReportJobWithTheGivenResources() throws Exception {
        Path launcher = script("experiments", "exit 0\n"), out = dir.resolve("out");
        Result r = cli("slurm", sweep().toString(), "--array", "3", "--output", out.toString(), "--launcher", launcher.toString(),
                "--partition", "cpu", "--time", "4:00:00", "--cpus-per-task", "8", "--mem", "16G", "--sbatch-option=--account=ml",
                "--set", "epochs=2");
        assertEquals(0, r.code(), r.err());
        Path array = out.resolve("slurm/array.sbatch"), report = out.resolve("slurm/report.sbatch");
        assertTrue(r.out().startsWith("wrote " + array + " (3 tasks, each a shard of the 4 runs) and " + report + "\n"), r.out());
        assertTrue(r.out().contains("jid=$(sbatch --parsable " + array + ") && sbatch --dependency=afterany:${jid%%;*} " + report), r.out());
        assertTrue(Files.isDirectory(out.resolve("slurm/logs")), "Slurm does not create the log folder");
        String a = Files.readString(array);
        List<String> directives = a.lines().filter(l -> l.startsWith("#SBATCH ")).map(l -> l.substring(8)).toList();
        assertEquals(List.of("--job-name=s", "--array=1-3", "--output=" + out.resolve("slurm/logs/s-%A_%a.log"), "--open-mode=append",
                "--chdir=" + Path.of("").toAbsolutePath(), "--requeue", "--signal=B:USR1@120", "--partition=cpu", "--time=4:00:00",
                "--cpus-per-task=8", "--mem=16G", "--account=ml"), directives);
        assertTrue(a.contains("\n" + launcher + " run " + dir.resolve("s.yaml") + " --output " + out
                + " --shard auto --threads \"${SLURM_CPUS_PER_TASK:-1}\" --set epochs=2 &\n"), a);
        String rep = Files.readString(report);
        assertEquals(List.of("--job-name=s-report", "--output=" + out.resolve("slurm/logs/s-report-%j.log"),
                "--chdir=" + Path.of("").toAbsolutePath(), "--cpus-per-task=1", "--partition=cpu", "--time=4:00:00", "--mem=16G", "--account=ml"),
                rep.lines().filter(l -> l.startsWith("#SBATCH ")).map(l -> l.substring(8)).toList());
        assertTrue(rep.endsWith("\nexec " + launcher + " report " + out + "\n"), rep);
    }

    @Test
    void aShortTimeLimitOrNoRequeuesGetsNoTimeLimitSignal() throws Exception {
        Path launcher = script("experiments", "exit 0\n");
        assertEquals(0, cli("slurm", sweep().toString(), "--array", "2", "--output", dir.resolve("a").toString(), "--launcher",
                launcher.toString(), "--time", "5").code());
        assertFalse(Files.readString(dir.resolve("a/slurm/array.sbatch")).contains("USR1"));
        assertEquals(0, cli("slurm", sweep().toString(), "--array", "2", "--output", dir.resolve("b").toString(), "--launcher",
                launcher.toString(), "--requeues", "0").code());
        assertFalse(Files.readString(dir.resolve("b/slurm/array.sbatch")).contains("USR1"));
    }

    /** The array script run by bash as Slurm would start task 2 of job 7: what the launcher gets, and what USR1 and TERM do. */
    @Test
    void theTaskScriptPassesItsCpusAsThreadsRequeuesItselfOnTheWarningAndForwardsTerm() throws Exception {
        Path args = dir.resolve("args"), started = dir.resolve("started"), termed = dir.resolve("termed"), requeued = dir.resolve("requeued");
        // the stand-in for bin/experiments: records its arguments, then runs until TERM
        Path launcher = script("experiments", "printf '%s\\n' \"$@\" > " + args + "\ntrap 'touch " + termed + "; exit 143' TERM\n"
                + "touch " + started + "\nwhile :; do sleep 0.1; done\n");
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Files.move(script("scontrol", "echo \"$@\" > " + requeued + "\n"), bin.resolve("scontrol"));
        assertEquals(0, cli("slurm", sweep().toString(), "--array", "2", "--output", dir.resolve("out").toString(), "--launcher",
                launcher.toString(), "--set", "epochs=2").code());
        Path array = dir.resolve("out/slurm/array.sbatch");

        for (int restarts : new int[] {0, 3}) {
            List.of(args, started, termed, requeued).forEach(p -> p.toFile().delete());
            ProcessBuilder pb = new ProcessBuilder("bash", array.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("task.log").toFile());
            Map<String, String> env = pb.environment();
            env.putAll(Map.of("SLURM_ARRAY_JOB_ID", "7", "SLURM_ARRAY_TASK_ID", "2", "SLURM_CPUS_PER_TASK", "4",
                    "SLURM_RESTART_COUNT", String.valueOf(restarts), "PATH", bin + ":" + System.getenv("PATH")));
            Process task = pb.start();
            awaitFile(started, task);
            assertEquals(List.of("run", dir.resolve("s.yaml").toString(), "--output", dir.resolve("out").toString(), "--shard", "auto",
                    "--threads", "4", "--set", "epochs=2"), Files.readAllLines(args));
            signal(task, "USR1"); // Slurm's warning before the time limit
            if (restarts == 0) {
                awaitFile(requeued, task);
                assertEquals("requeue 7_2", Files.readString(requeued).strip());
            }
            signal(task, "TERM"); // what Slurm sends when it requeues (or cancels) the task
            assertTrue(task.waitFor(30, TimeUnit.SECONDS));
            assertEquals(143, task.exitValue(), "the task ends with the launcher's status");
            assertTrue(Files.exists(termed), "TERM reached the launcher");
            String log = Files.readString(dir.resolve("task.log"));
            assertTrue(log.startsWith("task 7_2: attempt " + (restarts + 1) + " on "), log);
            if (restarts == 3) {
                assertFalse(Files.exists(requeued), "no requeue once restarted --requeues times");
                assertTrue(log.contains("task 7_2: time limit near; restarted 3 times already, not requeued"), log);
            }
        }
    }

    private static void awaitFile(Path p, Process owner) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(p) && owner.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(Files.exists(p), p + " written (the task script " + (owner.isAlive() ? "still runs" : "ended") + ")");
    }

    private static void signal(Process p, String signal) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor());
    }

    @Test
    void badFlagsAreUserErrorsNamingTheFlagAndWriteNothing() throws Exception {
        Path s = sweep(), launcher = script("experiments", "exit 0\n"), out = dir.resolve("out");
        Map<List<String>, String> cases = Map.ofEntries(
                Map.entry(List.of("--array", "0"), "error: --array: 0 tasks: give at least 1"),
                Map.entry(List.of("--array", "5"), "error: --array: 5 tasks for the 4 runs of " + s + ": give at most 4 (a task per run)"),
                Map.entry(List.of("--array", "2", "--time", "1:2:3:4"), "error: --time: '1:2:3:4' is not a Slurm time limit"),
                Map.entry(List.of("--array", "2", "--mem", "8GB"), "error: --mem: '8GB' is not a size"),
                Map.entry(List.of("--array", "2", "--partition", "a b"), "error: --partition: 'a b' is not a partition name"),
                Map.entry(List.of("--array", "2", "--cpus-per-task", "0"), "error: --cpus-per-task: 0 is not between 1 and 4096"),
                Map.entry(List.of("--array", "2", "--requeues", "-1"), "error: --requeues: -1 is negative"),
                Map.entry(List.of("--array", "2", "--sbatch-option=--mem-per-cpu=2G", "--sbatch-option=--job-name=x"), "error: --sbatch-option:"
                        + " '--job-name=x': --job-name is set by 'experiments slurm' itself (from the sweep's name)"),
                Map.entry(List.of("--array", "2", "--sbatch-option=-a 1-9"), "error: --sbatch-option: '-a 1-9': -a is set by"),
                Map.entry(List.of("--array", "2", "--sbatch-option=account"), "error: --sbatch-option: 'account' is not one sbatch option"),
                Map.entry(List.of("--array", "2", "--set", "fusion=middle"), "error: --set: fusion: 'middle' is not one of pre, post, none"));
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            List<String> args = new ArrayList<>(List.of("slurm", s.toString(), "--output", out.toString(), "--launcher", launcher.toString()));
            args.addAll(c.getKey());
            Result r = cli(args.toArray(String[]::new));
            assertEquals(Main.BAD_INPUT, r.code(), c.getKey() + ": " + r.err());
            assertTrue(r.err().startsWith(c.getValue()), c.getKey() + ": " + r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
            assertFalse(Files.exists(out), c.getKey() + ": nothing written");
        }
        Path spaced = dir.resolve("my runs");
        Result sp = cli("slurm", s.toString(), "--array", "2", "--output", spaced.toString(), "--launcher", launcher.toString());
        assertEquals("error: --output: " + spaced + ": Slurm's #SBATCH paths cannot hold spaces, quotes or '%'; choose another folder\n", sp.err());
        assertFalse(Files.exists(spaced));
        Result r = cli("slurm", s.toString(), "--array", "2", "--output", out.toString(), "--launcher", dir.resolve("nowhere").toString());
        assertEquals(Main.BAD_INPUT, r.code());
        assertEquals("error: --launcher: " + dir.resolve("nowhere") + ": no executable file\n", r.err());
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "base: {epoch: 2}\n");
        r = cli("slurm", bad.toString(), "--array", "2", "--output", out.toString(), "--launcher", launcher.toString(), "--submit");
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().startsWith("error: " + bad + ": base.epoch: unknown key (did you mean 'epochs'?)"), r.err());
        assertFalse(Files.exists(out), "an invalid sweep is neither written nor submitted");
    }

    /** The two flags of {@code run} that the task script uses, on bad input (the cluster test runs them for real). */
    @Test
    void runRefusesShardAutoOutsideAnArrayAndABadThreadCount() throws Exception {
        Path s = sweep();
        Result r = cli("run", s.toString(), "--shard", "auto", "--dry-run");
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().startsWith("error: --shard: auto: SLURM_ARRAY_TASK_ID is not set"), r.err());
        r = cli("run", s.toString(), "--threads", "-1", "--dry-run");
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().startsWith("error: --threads: threads: '-1'"), r.err());
    }

    @Test
    void sbatchIsLookedUpOnThePathAndItsParsableAnswerRead() {
        ConfigException e = assertThrows(ConfigException.class, () -> Sbatch.find(dir.toString()));
        assertTrue(e.getMessage().startsWith("--submit: sbatch is not on the PATH"), e.getMessage());
        assertEquals("123", Sbatch.jobId("123\n", "the job array"));
        assertEquals("123", Sbatch.jobId("sbatch: warning: something\n123;cluster\n", "the job array"));
        assertThrows(ConfigException.class, () -> Sbatch.jobId("Submitted batch job 123", "the job array"));
    }

    @Test
    void slurmTimeLimitsInEveryForm() {
        assertEquals(90 * 60, SlurmJob.limitSeconds("90"));
        assertEquals(90 * 60 + 30, SlurmJob.limitSeconds("90:30"));
        assertEquals(4 * 3600, SlurmJob.limitSeconds("4:00:00"));
        assertEquals(36 * 3600, SlurmJob.limitSeconds("1-12"));
        assertEquals(36 * 3600 + 30 * 60, SlurmJob.limitSeconds("1-12:30"));
        assertEquals(36 * 3600 + 30 * 60 + 5, SlurmJob.limitSeconds("1-12:30:05"));
        assertEquals(0, SlurmJob.limitSeconds("UNLIMITED"));
        assertThrows(ConfigException.class, () -> SlurmJob.limitSeconds("4h"));
    }
}
