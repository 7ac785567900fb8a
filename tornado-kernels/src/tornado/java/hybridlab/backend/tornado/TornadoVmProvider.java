package hybridlab.backend.tornado;

import hybridlab.backend.Backend;
import hybridlab.backend.BackendProvider;
import java.util.List;

/**
 * Registers the TornadoVM backend ({@code --backend tornado}). It is available when this JVM
 * runs with TornadoVM's flags (its argfile: module path, JVMCI, runtime properties) and the
 * runtime finds at least one device; otherwise {@link #unavailableReason()} says why. This class
 * touches TornadoVM only through {@link TornadoDevices} after that check, so it loads on any JVM.
 */
public final class TornadoVmProvider implements BackendProvider {
    private String reason;
    private Boolean available;

    @Override
    public String name() {
        return "tornado";
    }

    @Override
    public synchronized boolean available() {
        if (available == null) {
            reason = probe();
            available = reason.isEmpty();
        }
        return available;
    }

    @Override
    public String unavailableReason() {
        return available() ? "" : reason;
    }

    private static String probe() {
        if (System.getProperty("tornado.load.runtime.implementation") == null) {
            return "the TornadoVM runtime is not loaded: run on TornadoVM's JVM flags (java @$TORNADOVM_HOME/tornado-argfile ...; "
                    + "bin/experiments does this when TORNADOVM_HOME is set)";
        }
        try {
            Class.forName("uk.ac.manchester.tornado.api.TornadoExecutionPlan");
            if (TornadoDevices.list().isEmpty()) {
                return "TornadoVM found no device (see: tornado --devices)";
            }
            return "";
        } catch (ClassNotFoundException | LinkageError e) {
            return "the TornadoVM runtime could not be loaded (" + e + "); check TORNADOVM_HOME and its argfile";
        } catch (RuntimeException e) {
            return "TornadoVM failed to start: " + e;
        }
    }

    @Override
    public List<DeviceInfo> devices() {
        return available() ? TornadoDevices.list() : List.of();
    }

    @Override
    public Backend open(String device, int threads) {
        if (!available()) {
            throw new IllegalStateException("backend 'tornado' is not available: " + unavailableReason());
        }
        int[] bd = TornadoDevices.parse(device);
        return new TornadoVmBackend(bd[0], bd[1]);
    }
}
