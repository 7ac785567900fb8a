package hybridlab.experiments.cli;

import hybridlab.experiments.Main;
import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.report.Report;
import hybridlab.experiments.slurm.Sbatch;
import hybridlab.experiments.slurm.SlurmJob;
import hybridlab.experiments.sweep.Sweep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code experiments slurm SWEEP.yaml --array N}: the sweep as a Slurm job array over one shared output folder, and its report job. */
@Command(name = "slurm", mixinStandardHelpOptions = true,
        description = {"Run a sweep on a Slurm cluster: a job array of N tasks, each training its shard of the sweep (run --shard auto)"
                + " into one shared output folder, and a report job that starts once every task has ended.",
            "The sweep is checked first, as 'run --dry-run' does; then the scripts are written to OUTPUT/slurm/ and, with --submit,"
                + " submitted. One log per task (all its attempts) goes to OUTPUT/slurm/logs/."})
public final class SlurmCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SWEEP.yaml", description = "sweep file (see README, 'Sweeps')")
    Path file;

    @Option(names = "--array", required = true, paramLabel = "N", description = "tasks in the job array; task i trains shard i/N")
    int tasks;

    @Option(names = "--partition", paramLabel = "P", description = "Slurm partition (default: the cluster's)")
    String partition;

    @Option(names = "--time", paramLabel = "T", description = "time limit per task, e.g. 4:00:00 or 1-12 (default: the partition's)")
    String time;

    @Option(names = "--cpus-per-task", paramLabel = "C", description = "CPUs per task, and so the runs' threads (default: Slurm's, 1)")
    Integer cpusPerTask;

    @Option(names = "--mem", paramLabel = "M", description = "memory per task, e.g. 8G (default: the partition's)")
    String mem;

    @Option(names = "--output", paramLabel = "DIR", description = "shared output folder (default: the file's 'output', else runs/<name>)")
    Path output;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "set a run key for every run (repeatable), as for run")
    List<String> sets = new ArrayList<>();

    @Option(names = "--sbatch-option", paramLabel = "OPTION", description = "a further sbatch option for both jobs (repeatable), e.g. --account=ml")
    List<String> sbatchOptions = new ArrayList<>();

    @Option(names = "--requeues", paramLabel = "K", description = "times a task near its time limit puts itself back in the queue (default: 3; 0: never)")
    int requeues = 3;

    @Option(names = "--launcher", paramLabel = "PATH", description = "the experiments command on the nodes (default: this checkout's bin/experiments)")
    Path launcher;

    @Option(names = "--submit", description = "submit both jobs with sbatch and print their ids")
    boolean submit;

    @Override
    public Integer call() throws Exception {
        SlurmJob.Resources resources = new SlurmJob.Resources(partition, time, cpusPerTask, mem, sbatchOptions);
        Path command = launcher();
        Sbatch sbatch = submit ? Sbatch.find(System.getenv("PATH")) : null;
        Sweep sweep = Sweep.prepare(file, sets, output, new LocalExecutor(true, Progress.DEFAULT_EVERY, null));
        int runs = sweep.plan().runs().size();
        if (tasks > runs) {
            throw ConfigException.at("--array", null, tasks + " tasks for the " + runs + " runs of " + file + ": give at most " + runs
                    + " (a task per run)");
        }
        Path out = sweep.output().toAbsolutePath().normalize();
        SlurmJob job = new SlurmJob(sweep.plan().file().name(), file.toAbsolutePath().normalize(), sets, out, command,
                Path.of("").toAbsolutePath(), tasks, resources, requeues);
        job.write();
        System.out.println("wrote " + job.arrayScript() + " (" + tasks + " tasks, each a shard of the " + runs + " runs) and "
                + job.reportScript());
        if (sbatch == null) {
            System.out.println("submit both (or run this command again with --submit):");
            System.out.println("  jid=$(sbatch --parsable " + job.arrayScript() + ") && sbatch --dependency=afterany:${jid%%;*} "
                    + job.reportScript());
            return 0;
        }
        String array = sbatch.submit(List.of(), job.arrayScript(), "the job array");
        System.out.println("array job " + array + ": " + tasks + " tasks, logs " + job.taskLog(array, 1).getParent()
                + "/" + job.name() + "-" + array + "_<task>.log");
        String report;
        try {
            report = sbatch.submit(List.of("--dependency=afterany:" + array), job.reportScript(), "the report job");
        } catch (ConfigException e) {
            System.err.println("error: " + e.getMessage() + "; the job array " + array + " is queued: once it has ended, run"
                    + " 'experiments report " + out + "'");
            return Main.BAD_INPUT;
        }
        System.out.println("report job " + report + ": once every task has ended, writes " + Report.dir(out) + ", log "
                + job.reportLog(report));
        return 0;
    }

    /** {@code --launcher}, or the bin/experiments that started this JVM (it names its checkout). */
    private Path launcher() {
        Path p = launcher;
        if (p == null) {
            String root = System.getProperty("hybridlab.root");
            if (root == null) {
                throw ConfigException.at("--launcher", null, "not given, and this JVM was not started by bin/experiments;"
                        + " give the path of bin/experiments as the nodes see it");
            }
            p = Path.of(root, "bin", "experiments");
        }
        p = p.toAbsolutePath().normalize();
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            throw ConfigException.at("--launcher", null, p + ": no executable file");
        }
        return p;
    }
}
