package hybridlab.backend;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Finds backend providers on the class path. */
public final class Backends {
    private Backends() {
    }

    /**
     * The JVM backend, then every registered one. A registration whose class is missing (a build
     * directory left over from {@code -Ptornado} and rebuilt without it) is skipped, not fatal.
     */
    public static List<BackendProvider> providers() {
        List<BackendProvider> all = new ArrayList<>();
        all.add(new JvmBackend.Provider());
        // the loader reports a registration it cannot load from next(), then moves past it
        for (Iterator<BackendProvider> it = ServiceLoader.load(BackendProvider.class).iterator(); it.hasNext(); ) {
            try {
                BackendProvider p = it.next();
                if (!p.name().equals("jvm")) {
                    all.add(p);
                }
            } catch (ServiceConfigurationError e) {
                // skipped: see above
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
