package hybridlab.experiments;

import hybridlab.experiments.cli.BenchCommand;
import hybridlab.experiments.cli.DevicesCommand;
import hybridlab.experiments.cli.InfoCommand;
import hybridlab.experiments.cli.JmhCommand;
import hybridlab.experiments.cli.ReportCommand;
import hybridlab.experiments.cli.RunCommand;
import hybridlab.experiments.cli.SlurmCommand;
import hybridlab.experiments.cli.TrainCommand;
import hybridlab.experiments.cli.ZooCommand;
import hybridlab.experiments.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code experiments} command line. */
@Command(name = "experiments", mixinStandardHelpOptions = true, version = "hybrid-lab 0.1.0",
        description = "Train and compare hybrid convolution + attention vision models.",
        subcommands = {InfoCommand.class, TrainCommand.class, RunCommand.class, ReportCommand.class, SlurmCommand.class, BenchCommand.class,
            DevicesCommand.class, ZooCommand.class, JmhCommand.class})
public final class Main implements Runnable {
    /** Exit codes: 2 bad input (config, data), 1 anything unexpected, 3 a sweep with runs that failed. */
    public static final int BAD_INPUT = 2;
    public static final int RUN_FAILED = 3;

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException || e instanceof hybridlab.experiments.data.DataException) {
                cmd.getErr().println("error: " + e.getMessage());
                return BAD_INPUT;
            }
            throw e;
        });
        return cl.execute(args);
    }
}
