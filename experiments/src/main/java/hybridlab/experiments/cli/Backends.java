package hybridlab.experiments.cli;

import hybridlab.backend.Backend;
import hybridlab.backend.BackendProvider;
import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.RunConfig;
import java.util.List;

/** Opens the backend a run config names, with config errors for unknown or unavailable ones. */
final class Backends {
    private Backends() {
    }

    static void check(RunConfig cfg) {
        check(cfg, "config");
    }

    /** Fails with a config error at {@code where} when the backend is unknown or unavailable here. */
    static void check(RunConfig cfg, String where) {
        BackendProvider p;
        try {
            p = hybridlab.backend.Backends.provider(cfg.backend().backend());
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(where, "backend", e.getMessage());
        }
        if (!p.available()) {
            throw ConfigException.at(where, "backend", "'" + cfg.backend().backend() + "' is not available here: " + p.unavailableReason());
        }
        List<String> ids = p.devices().stream().map(BackendProvider.DeviceInfo::id).toList();
        String device = cfg.backend().deviceOrDefault();
        if (!device.isEmpty() && !ids.contains(device)) {
            throw ConfigException.at(where, "device", "'" + device + "' is not a device of backend '" + cfg.backend().backend()
                    + "'; devices: " + String.join(", ", ids) + " ('experiments devices' lists them)");
        }
    }

    static Backend open(RunConfig cfg) {
        check(cfg);
        return hybridlab.backend.Backends.open(cfg.backend().backend(), cfg.backend().deviceOrDefault(), cfg.backend().hostThreads());
    }
}
