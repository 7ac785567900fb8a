package hybridlab.backend;

import java.util.List;

/**
 * Service interface (java.util.ServiceLoader) for backends. The JVM backend is always present;
 * the TornadoVM backend registers itself when built with the {@code tornado} profile and run
 * on a TornadoVM-enabled JVM.
 */
public interface BackendProvider {
    /** Family name used in {@code --backend}. */
    String name();

    /** Whether this backend can run here (e.g. the TornadoVM runtime is on the module path). */
    boolean available();

    /** Why {@link #available()} is false, for {@code experiments devices}. */
    default String unavailableReason() {
        return "";
    }

    /** Devices this backend can open, as {@code id -> description}. */
    List<DeviceInfo> devices();

    /** Opens a device; {@code device} is null or empty for the default one. */
    Backend open(String device, int threads);

    record DeviceInfo(String id, String description) {
    }
}
