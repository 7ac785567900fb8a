package hybridlab.experiments;

import hybridlab.experiments.cli.BenchCommand;
import hybridlab.experiments.cli.DeviceReportCommand;
import hybridlab.experiments.cli.DevicesCommand;
import hybridlab.experiments.cli.EvaluateCommand;
import hybridlab.experiments.cli.InfoCommand;
import hybridlab.experiments.cli.JmhCommand;
import hybridlab.experiments.cli.KeysCommand;
import hybridlab.experiments.cli.ReportCommand;
import hybridlab.experiments.cli.ReproduceCommand;
import hybridlab.experiments.cli.RunCommand;
import hybridlab.experiments.cli.SlurmCommand;
import hybridlab.experiments.cli.TrainCommand;
import hybridlab.experiments.cli.ZooCommand;
import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.OutputException;
import hybridlab.experiments.config.RunKeys;
import hybridlab.experiments.data.DataException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code experiments} command line. */
@Command(name = "experiments", mixinStandardHelpOptions = true, version = "hybrid-lab 0.1.0",
        description = "Train and compare hybrid convolution + attention vision models.",
        subcommands = {InfoCommand.class, TrainCommand.class, RunCommand.class, ReportCommand.class, SlurmCommand.class,
            BenchCommand.class, DevicesCommand.class, DeviceReportCommand.class, ZooCommand.class, JmhCommand.class, KeysCommand.class, EvaluateCommand.class,
            ReproduceCommand.class})
public final class Main implements Runnable {
    /**
     * Exit codes: 2 bad input (config, data, a place that cannot be written), 1 an internal
     * error, 3 a sweep with runs that failed.
     */
    public static final int BAD_INPUT = 2, INTERNAL = 1;
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
        cl.getSubcommands().get("train").getCommandSpec().usageMessage().footer("%nRun keys:%n" + RunKeys.table().replace("%", "%%"));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException || e instanceof DataException || e instanceof OutputException) {
                cmd.getErr().println("error: " + e.getMessage());
                return BAD_INPUT;
            }
            cmd.getErr().println(internalError(e, args));
            return INTERNAL;
        });
        return cl.execute(args);
    }

    /** One line for the terminal; the whole story in a file whose path it names. */
    public static String internalError(Exception e, String[] args) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "hybridlab-error-" + stamp + "-" + ProcessHandle.current().pid() + ".txt");
        String line = "internal error: " + e;
        try {
            Files.writeString(file, "experiments " + String.join(" ", args) + "\n" + Runtime.version() + "\n\n" + trace);
            return line + "\nthe full report is in " + file + " (please include it when reporting the problem)";
        } catch (IOException io) {
            return line + "\n" + trace;
        }
    }
}
