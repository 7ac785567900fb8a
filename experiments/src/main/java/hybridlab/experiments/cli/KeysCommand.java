package hybridlab.experiments.cli;

import hybridlab.experiments.config.RunKeys;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code experiments keys}: every run key with its type, default, what it accepts and what it does. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "List the run keys (for --set, --config files and sweep files) with type, default and help.")
public final class KeysCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.print(RunKeys.table());
        return 0;
    }
}
