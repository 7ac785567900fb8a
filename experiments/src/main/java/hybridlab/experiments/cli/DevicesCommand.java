package hybridlab.experiments.cli;

import hybridlab.backend.BackendProvider;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code experiments devices}: backends and their devices. */
@Command(name = "devices", mixinStandardHelpOptions = true, description = "List backends and devices.")
public final class DevicesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (BackendProvider p : hybridlab.backend.Backends.providers()) {
            if (!p.available()) {
                System.out.printf("%-8s unavailable: %s%n", p.name(), p.unavailableReason());
                continue;
            }
            for (BackendProvider.DeviceInfo d : p.devices()) {
                System.out.printf("%-8s %-16s %s%n", p.name(), d.id(), d.description());
            }
        }
        return 0;
    }
}
