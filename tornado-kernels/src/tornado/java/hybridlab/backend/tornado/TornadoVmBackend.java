package hybridlab.backend.tornado;

import hybridlab.backend.Backend;
import hybridlab.backend.Executable;
import hybridlab.backend.Program;
import uk.ac.manchester.tornado.api.common.TornadoDevice;

/**
 * The TornadoVM backend on one device: compiles a program into a chain of TaskGraphs in one
 * execution plan ({@link TornadoExecutable}). The device id is {@code tornado:<backend>:<device>}
 * in TornadoVM's numbering ({@code tornado --devices}).
 */
public final class TornadoVmBackend implements Backend {
    /**
     * Tasks per graph. TornadoVM encodes each graph's schedule in a byte buffer of
     * {@code tornado.tvm.maxbytecodesize} bytes (4096 by default); a task with its arguments
     * takes up to about 150 of them, and the buffers each graph names take a few hundred.
     */
    static int maxTasksPerGraph() {
        int bytes = Integer.parseInt(System.getProperty("tornado.tvm.maxbytecodesize", "4096"));
        return Math.max(StepTasks.MAX_TASKS, (bytes - 1024) / 150);
    }

    private final int backendIndex, deviceIndex;
    private final TornadoDevice device;
    private final DeviceLimits limits;

    TornadoVmBackend(int backendIndex, int deviceIndex) {
        this.backendIndex = backendIndex;
        this.deviceIndex = deviceIndex;
        this.device = TornadoDevices.device(backendIndex, deviceIndex);
        this.limits = DeviceLimits.of(device);
    }

    @Override
    public String name() {
        return "tornado";
    }

    @Override
    public String device() {
        return TornadoDevices.id(backendIndex, deviceIndex);
    }

    @Override
    public String description() {
        return "TornadoVM " + TornadoDevices.describe(device) + ", " + limits.describe() + (TornadoDevices.bailoutDisabled() ? ""
                : "; WARNING: bail-out to plain Java is on (-Dtornado.recover.bailout=False switches it off)");
    }

    @Override
    public Peak fp32Peak() {
        return TornadoDevices.fp32Peak(device);
    }

    @Override
    public Executable compile(Program program, boolean profile) {
        return new TornadoExecutable(program, device, limits, maxTasksPerGraph(), profile);
    }

    @Override
    public void close() {
    }
}
