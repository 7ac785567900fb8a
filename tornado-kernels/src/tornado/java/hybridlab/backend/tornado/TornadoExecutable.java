package hybridlab.backend.tornado;

import hybridlab.backend.Executable;
import hybridlab.backend.Program;
import hybridlab.kernels.Arena;
import hybridlab.kernels.Step;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import uk.ac.manchester.tornado.api.ImmutableTaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.ProfilerMode;
import uk.ac.manchester.tornado.api.enums.TornadoVMBackendType;
import uk.ac.manchester.tornado.api.exceptions.TornadoExecutionPlanException;

/**
 * A program compiled for one TornadoVM device: its {@link GraphChain} in one
 * {@link TornadoExecutionPlan}, each graph run in order with {@code withGraph(i).execute()}
 * (one {@code execute()} over chained graphs fails in TornadoVM 5.2).
 *
 * <p>{@link #run()} stages the input arenas, runs the input, compute and output graphs, and
 * copies the output arenas back; nothing else crosses to the host. The host copy of the heap is
 * refreshed only when an arena is downloaded after a run, and sent back before the next run only
 * when an arena was uploaded. Compilation (TornadoVM's JIT for every task) happens in the
 * constructor, so a backend's compile time is measured apart from its running time.
 */
final class TornadoExecutable implements Executable {
    private static final Pattern TASK_TIME = Pattern.compile(
            "\"[^\"]*\\.(s\\d+_\\d+|io\\d+_\\d+)\"\\s*:\\s*\\{[^}]*?\"TASK_KERNEL_TIME\"\\s*:\\s*\"(\\d+)\"");

    /** OpenCL build options of every kernel: warnings off, no relaxed math. */
    static final String OPENCL_FLAGS = "-w";

    private final Program program;
    private final DeviceArenas arenas;
    private final GraphChain chain;
    private final TornadoExecutionPlan plan;
    private final List<Arena> inputs, outputs;
    private final long[] nanos;
    /** The device holds newer data than the host mirrors / the host mirrors hold newer data than the device. */
    private boolean deviceNewer, hostNewer;

    TornadoExecutable(Program program, TornadoDevice device, DeviceLimits limits, int maxTasksPerGraph, boolean profile) {
        this.program = program;
        int ws = 1;
        for (Step s : program.steps()) {
            ws = Math.max(ws, StepTasks.workspaceFloats(s, limits));
        }
        this.arenas = new DeviceArenas(program.arenas(), program.inputs(), program.outputs(), ws);
        this.chain = new GraphChain(program, arenas, maxTasksPerGraph, limits);
        this.inputs = program.inputs().stream().filter(arenas::holds).toList();
        this.outputs = program.outputs().stream().filter(arenas::holds).toList();
        this.nanos = profile ? new long[program.steps().size()] : null;
        this.plan = new TornadoExecutionPlan(chain.graphs.toArray(new ImmutableTaskGraph[0]));
        plan.withDevice(device);
        // IEEE arithmetic as written: TornadoVM's default OpenCL flags (-cl-fast-relaxed-math
        // -cl-mad-enable) let the driver reassociate sums, and how it does depends on the order
        // TornadoVM happens to declare a kernel's variables, which varies from run to run
        plan.withCompilerFlags(TornadoVMBackendType.OPENCL, OPENCL_FLAGS);
        if (profile) {
            plan.withProfiler(ProfilerMode.SILENT);
        }
        // JIT-compile every task now: run the whole chain once on the initial contents, then
        // send them again (the run changed running statistics, parameters, optimizer moments)
        hostNewer = true;
        run();
        hostNewer = true;
        deviceNewer = false;
        if (nanos != null) {
            Arrays.fill(nanos, 0L);
        }
    }

    /** {@code -Dhybridlab.tornado.verbose=true}: time of every graph's first run (TornadoVM's JIT), on stderr. */
    private static final boolean VERBOSE = Boolean.getBoolean("hybridlab.tornado.verbose");
    private final java.util.BitSet ran = new java.util.BitSet();

    private TornadoExecutionResult execute(int graph) {
        long t0 = VERBOSE && !ran.get(graph) ? System.nanoTime() : 0;
        TornadoExecutionResult r;
        try {
            r = plan.withGraph(graph).withGridScheduler(chain.grids.get(graph)).execute();
        } catch (RuntimeException e) {
            throw new IllegalStateException(program.name() + ": graph " + chain.names.get(graph) + " (" + (graph + 1) + " of "
                    + chain.graphs.size() + ") failed on the device; its tasks and their geometry: "
                    + String.join(", ", chain.geometry.get(graph)), e);
        }
        if (t0 != 0) {
            ran.set(graph);
            System.err.printf("%s: graph %d/%d (%s) first run %.2f s%n", program.name(), graph + 1, chain.graphs.size(),
                    chain.names.get(graph), (System.nanoTime() - t0) / 1e9);
        }
        if (nanos != null && graph >= chain.firstCompute && graph < chain.endCompute) {
            Matcher m = TASK_TIME.matcher(r.getProfilerResult().getProfileLog());
            while (m.find()) {
                TaskId id = TaskId.parse(m.group(1));
                if (id != null && id.step() < nanos.length) {
                    nanos[id.step()] += Long.parseLong(m.group(2));
                }
            }
        }
        return r;
    }

    @Override
    public void run() {
        if (hostNewer) {
            execute(chain.upload);
            hostNewer = false;
        }
        for (Arena a : inputs) {
            if (arenas.isFloat(a)) {
                arenas.toStaging(a);
            } else {
                arenas.toMirror(a);
            }
        }
        if (chain.input >= 0) {
            execute(chain.input);
        }
        for (int g = chain.firstCompute; g < chain.endCompute; g++) {
            execute(g);
        }
        if (chain.output >= 0) {
            execute(chain.output);
            for (Arena a : outputs) {
                if (arenas.isFloat(a)) {
                    arenas.fromStaging(a);
                }
            }
        }
        deviceNewer = true;
    }

    @Override
    public void upload(Arena arena) {
        if (!arenas.holds(arena) || inputs.contains(arena)) {
            return;  // inputs are staged on every run
        }
        refreshHost();
        arenas.toMirror(arena);
        hostNewer = true;
    }

    @Override
    public void download(Arena arena) {
        if (!arenas.holds(arena)) {
            return;
        }
        refreshHost();
        arenas.toHost(arena);
    }

    /** Brings the heap back if the device ran since it was last brought back. */
    private void refreshHost() {
        if (deviceNewer) {
            execute(chain.download);
            deviceNewer = false;
        }
    }

    @Override
    public Program program() {
        return program;
    }

    /** Device kernel time per step (TornadoVM's profiler), when compiled with profiling. */
    @Override
    public long[] stepNanos() {
        return nanos == null ? new long[0] : nanos;
    }

    /** Graphs in the plan, and how many of them run the program's steps. */
    int graphs() {
        return chain.graphs.size();
    }

    int computeGraphs() {
        return chain.endCompute - chain.firstCompute;
    }

    long deviceBytes() {
        return arenas.bytes();
    }

    @Override
    public void close() {
        try {
            plan.freeDeviceMemory();
            plan.close();
        } catch (TornadoExecutionPlanException e) {
            throw new IllegalStateException("closing TornadoVM plan of " + program.name(), e);
        }
    }
}
