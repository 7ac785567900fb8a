package hybridlab.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds backend providers on the class path. */
public final class Backends {
    private Backends() {
    }

    public static List<BackendProvider> providers() {
        List<BackendProvider> all = new ArrayList<>();
        all.add(new JvmBackend.Provider());
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (!p.name().equals("jvm")) {
                all.add(p);
            }
        }
        return all;
    }

    public static List<String> names() {
        return providers().stream().map(BackendProvider::name).toList();
    }

    public static BackendProvider provider(String name) {
        for (BackendProvider p : providers()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown backend '" + name + "'; available: " + names());
    }

    /** Opens {@code backend} (family) on {@code device} with {@code threads} host threads. */
    public static Backend open(String backend, String device, int threads) {
        BackendProvider p = provider(backend);
        if (!p.available()) {
            throw new IllegalArgumentException("backend '" + backend + "' is not available here: " + p.unavailableReason());
        }
        return p.open(device, threads);
    }
}
