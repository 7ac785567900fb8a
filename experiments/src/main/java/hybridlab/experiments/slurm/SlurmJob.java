package hybridlab.experiments.slurm;

import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.Files;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sweep as two Slurm batch scripts: a job array of {@code tasks} tasks, each training its
 * shard of the sweep ({@code run --shard auto}) into the one shared output folder, and a report
 * job submitted to start once every task has ended ({@code afterany}). Every path in them is
 * absolute, so they run from any folder; both go to {@code OUTPUT/slurm/}, the logs (one per
 * task, appended to by its requeued attempts) to {@code OUTPUT/slurm/logs/}.
 *
 * @param name      the sweep's name: job names and log file names
 * @param launcher  the command that starts the experiments CLI on the nodes
 * @param workDir   the jobs' working folder (the sweep file's relative paths, git commit)
 * @param requeues  how many times a task near its time limit puts itself back in the queue
 */
public record SlurmJob(String name, Path sweepFile, List<String> sets, Path output, Path launcher, Path workDir, int tasks,
                       Resources resources, int requeues) {
    /** Slurm may send the time-limit warning up to a minute early; below this limit it could come soon after the start. */
    static final long SIGNAL_MIN_LIMIT_S = 600;
    static final int SIGNAL_GRACE_S = 120;
    private static final Pattern SAFE_PATH = Pattern.compile("[^\\s%\"'\\\\]+");

    public SlurmJob {
        sets = List.copyOf(sets);
        name = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        checkSbatchPath(output, "--output");
        checkSbatchPath(workDir, "the current folder");
        if (tasks < 1) {
            throw ConfigException.at("--array", null, tasks + " tasks: give at least 1");
        }
        if (requeues < 0) {
            throw ConfigException.at("--requeues", null, requeues + " is negative; 0 turns requeueing at the time limit off");
        }
    }

    private static void checkSbatchPath(Path p, String where) {
        if (!SAFE_PATH.matcher(p.toString()).matches()) {
            throw ConfigException.at(where, null, p + ": Slurm's #SBATCH paths cannot hold spaces, quotes or '%'; choose another folder");
        }
    }

    /**
     * What each job asks of Slurm: flags of {@code sbatch}, checked here so that a typo fails
     * before anything is written or submitted; {@code extra} are further sbatch options
     * (e.g. {@code --account=ml}) for both jobs.
     */
    public record Resources(String partition, String time, Integer cpusPerTask, String mem, List<String> extra) {
        private static final Pattern PARTITION = Pattern.compile("[A-Za-z0-9_.,-]+");
        private static final Pattern MEM = Pattern.compile("\\d+[KMGT]?");
        private static final Pattern OPTION = Pattern.compile("(--?[A-Za-z][A-Za-z0-9-]*)(?:[= ]\\S.*)?");
        /** The options these scripts set themselves (or that would break them), long and short. */
        private static final Map<String, String> OWN = Map.ofEntries(Map.entry("--array", "--array"), Map.entry("-a", "--array"),
                Map.entry("--output", "--output"), Map.entry("-o", "--output"), Map.entry("--error", "--output"), Map.entry("-e", "--output"),
                Map.entry("--open-mode", "--output"), Map.entry("--chdir", "the current folder"), Map.entry("-D", "the current folder"),
                Map.entry("--dependency", "--submit"), Map.entry("-d", "--submit"), Map.entry("--job-name", "the sweep's name"),
                Map.entry("-J", "the sweep's name"), Map.entry("--signal", "--requeues"), Map.entry("--requeue", "--requeues"),
                Map.entry("--no-requeue", "--requeues"), Map.entry("--wrap", "the scripts"), Map.entry("--parsable", "--submit"),
                Map.entry("--partition", "--partition"), Map.entry("-p", "--partition"), Map.entry("--time", "--time"),
                Map.entry("-t", "--time"), Map.entry("--cpus-per-task", "--cpus-per-task"), Map.entry("-c", "--cpus-per-task"),
                Map.entry("--mem", "--mem"));

        public Resources {
            extra = List.copyOf(extra);
            if (partition != null && !PARTITION.matcher(partition).matches()) {
                throw ConfigException.at("--partition", null, "'" + partition + "' is not a partition name (letters, digits, _ . - ; a list with ,)");
            }
            if (time != null) {
                limitSeconds(time);
            }
            if (cpusPerTask != null && (cpusPerTask < 1 || cpusPerTask > 4096)) {
                throw ConfigException.at("--cpus-per-task", null, cpusPerTask + " is not between 1 and 4096");
            }
            if (mem != null && !MEM.matcher(mem).matches()) {
                throw ConfigException.at("--mem", null, "'" + mem + "' is not a size in megabytes, or with a unit K, M, G or T (e.g. 8G)");
            }
            for (String o : extra) {
                Matcher m = OPTION.matcher(o);
                if (o.contains("\n") || !m.matches()) {
                    throw ConfigException.at("--sbatch-option", null, "'" + o + "' is not one sbatch option (e.g. --account=ml or --qos=long)");
                }
                String own = OWN.get(m.group(1));
                if (own != null) {
                    throw ConfigException.at("--sbatch-option", null, "'" + o + "': " + m.group(1) + " is set by 'experiments slurm' itself"
                            + (own.startsWith("--") ? " (use " + own + ")" : " (from " + own + ")"));
                }
            }
        }

        /** The lines both scripts share, after their own. */
        List<String> directives(boolean perTask) {
            List<String> lines = new ArrayList<>();
            if (partition != null) {
                lines.add("--partition=" + partition);
            }
            if (time != null) {
                lines.add("--time=" + time);
            }
            if (perTask && cpusPerTask != null) {
                lines.add("--cpus-per-task=" + cpusPerTask);
            }
            if (mem != null) {
                lines.add("--mem=" + mem);
            }
            lines.addAll(extra);
            return lines;
        }
    }

    /**
     * Seconds in a Slurm time limit ({@code minutes}, {@code minutes:seconds}, {@code hours:minutes:seconds},
     * {@code days-hours}, {@code days-hours:minutes}, {@code days-hours:minutes:seconds}); 0 for none
     * ({@code 0}, {@code UNLIMITED}, {@code INFINITE}).
     */
    public static long limitSeconds(String time) {
        String t = time.strip();
        if (t.equalsIgnoreCase("UNLIMITED") || t.equalsIgnoreCase("INFINITE")) {
            return 0;
        }
        Matcher days = Pattern.compile("(\\d{1,4})-(\\d{1,2})(?::(\\d{1,2})(?::(\\d{1,2}))?)?").matcher(t);
        if (days.matches()) {
            return ((Long.parseLong(days.group(1)) * 24 + Long.parseLong(days.group(2))) * 60 + part(days.group(3))) * 60 + part(days.group(4));
        }
        Matcher plain = Pattern.compile("(\\d{1,7})(?::(\\d{1,2})(?::(\\d{1,2}))?)?").matcher(t);
        if (plain.matches()) {
            long a = Long.parseLong(plain.group(1));
            if (plain.group(2) == null) {
                return a * 60;
            }
            return plain.group(3) == null ? a * 60 + part(plain.group(2)) : (a * 60 + part(plain.group(2))) * 60 + part(plain.group(3));
        }
        throw ConfigException.at("--time", null, "'" + time + "' is not a Slurm time limit: minutes, minutes:seconds, hours:minutes:seconds,"
                + " days-hours, days-hours:minutes or days-hours:minutes:seconds (e.g. 90, 4:00:00, 1-12)");
    }

    private static long part(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }

    public Path dir() {
        return output.resolve("slurm");
    }

    public Path logs() {
        return dir().resolve("logs");
    }

    public Path arrayScript() {
        return dir().resolve("array.sbatch");
    }

    public Path reportScript() {
        return dir().resolve("report.sbatch");
    }

    /** The log of task {@code task} of array job {@code arrayJob}; all of its attempts append to it. */
    public Path taskLog(String arrayJob, int task) {
        return logs().resolve(name + "-" + arrayJob + "_" + task + ".log");
    }

    public Path reportLog(String reportJob) {
        return logs().resolve(name + "-report-" + reportJob + ".log");
    }

    /** Whether tasks get the time-limit warning: with requeues allowed and a limit long enough for it to mean something. */
    boolean signalsTimeLimit() {
        if (requeues == 0) {
            return false;
        }
        long limit = resources.time() == null ? 0 : limitSeconds(resources.time());
        return limit == 0 || limit >= SIGNAL_MIN_LIMIT_S;
    }

    /** Writes both scripts and creates the log folder (Slurm does not create it). */
    public void write() throws IOException {
        java.nio.file.Files.createDirectories(logs());
        Files.writeAtomic(arrayScript(), arrayScriptText());
        Files.writeAtomic(reportScript(), reportScriptText());
    }

    public String arrayScriptText() {
        StringBuilder sb = new StringBuilder("#!/bin/bash\n");
        sb.append("# Sweep '").append(name).append("' (").append(sweepFile).append(") as a Slurm job array of ").append(tasks)
                .append(" tasks:\n# task i trains shard i/").append(tasks).append(" of its runs (experiments run --shard auto) into ")
                .append(output).append(",\n# skipping runs already recorded there. Written by 'experiments slurm'; submit it, then ")
                .append(reportScript().getFileName()).append("\n# with --dependency=afterany:<this job's id> (or let 'experiments slurm --submit' do both).\n");
        List<String> own = new ArrayList<>(List.of("--job-name=" + name, "--array=1-" + tasks,
                "--output=" + logs().resolve(name + "-%A_%a.log"), "--open-mode=append", "--chdir=" + workDir, "--requeue"));
        if (signalsTimeLimit()) {
            own.add("--signal=B:USR1@" + SIGNAL_GRACE_S);
        }
        own.addAll(resources.directives(true));
        own.forEach(o -> sb.append("#SBATCH ").append(o).append('\n'));
        sb.append("set -u\n");
        sb.append("task=\"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n");
        sb.append("echo \"task $task: attempt $((${SLURM_RESTART_COUNT:-0} + 1)) on $(hostname) at $(date '+%F %T')\"\n");
        if (signalsTimeLimit()) {
            sb.append("\n# Near the time limit (--signal above) the task puts itself back in the queue: its next attempt\n")
                    .append("# skips what is recorded by then. Bounded, as a run longer than the limit would never end.\n")
                    .append("near_time_limit() {\n")
                    .append("  if [ \"${SLURM_RESTART_COUNT:-0}\" -lt ").append(requeues).append(" ]; then\n")
                    .append("    echo \"task $task: time limit near, requeued\"\n")
                    .append("    scontrol requeue \"$task\"\n")
                    .append("  else\n")
                    .append("    echo \"task $task: time limit near; restarted ").append(requeues).append(" times already, not requeued\"\n")
                    .append("  fi\n")
                    .append("}\n")
                    .append("trap near_time_limit USR1\n");
        }
        sb.append("trap 'kill -TERM \"$pid\" 2>/dev/null' TERM\n\n");
        List<String> cmd = new ArrayList<>(List.of(quote(launcher.toString()), "run", quote(sweepFile.toString()), "--output",
                quote(output.toString()), "--shard", "auto", "--threads", "\"${SLURM_CPUS_PER_TASK:-1}\""));
        sets.forEach(s -> cmd.addAll(List.of("--set", quote(s))));
        sb.append(String.join(" ", cmd)).append(" &\n");
        sb.append("pid=$!\n");
        sb.append("# wait returns early for each trapped signal: go on waiting until the sweep process has ended\n");
        sb.append("while wait \"$pid\"; status=$?; [ \"$status\" -gt 128 ] && kill -0 \"$pid\" 2>/dev/null; do :; done\n");
        sb.append("exit \"$status\"\n");
        return sb.toString();
    }

    public String reportScriptText() {
        StringBuilder sb = new StringBuilder("#!/bin/bash\n");
        sb.append("# The report of sweep '").append(name).append("' from the records in ").append(output)
                .append(",\n# submitted to start once every task of ").append(arrayScript().getFileName())
                .append(" has ended (--dependency=afterany:<its job id>).\n");
        List<String> own = new ArrayList<>(List.of("--job-name=" + name + "-report", "--output=" + logs().resolve(name + "-report-%j.log"),
                "--chdir=" + workDir, "--cpus-per-task=1"));
        own.addAll(resources.directives(false));
        own.forEach(o -> sb.append("#SBATCH ").append(o).append('\n'));
        sb.append("exec ").append(quote(launcher.toString())).append(" report ").append(quote(output.toString())).append('\n');
        return sb.toString();
    }

    /** {@code s} as one word for bash. */
    static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:=,+@%-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
