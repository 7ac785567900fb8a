package hybridlab.backend.tornado;

import hybridlab.backend.Executable;
import hybridlab.backend.Program;
import hybridlab.kernels.Arena;
import hybridlab.kernels.Step;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.ProfilerMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoExecutionPlanException;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * A program compiled for one TornadoVM device: its {@link GraphChain} in one
 * {@link TornadoExecutionPlan}, each graph run in order with {@code withGraph(i).execute()}.
 *
 * <p>{@link #run()} copies the input arenas into their mirrors, runs the input graph and the
 * compute graphs, and copies the output arenas back; nothing else crosses to the host.
 * {@link #upload} runs the arena's upload graph; {@link #download} copies a buffer back through
 * the graph that ran last. Compilation (TornadoVM's JIT for every task) happens in the
 * constructor, so a backend's compile time is measured apart from its running time.
 */
final class TornadoExecutable implements Executable {
    private static final Pattern TASK_TIME = Pattern.compile(
            "\"[^\"]*\\.(s\\d+_\\d+|io\\d+_\\d+)\"\\s*:\\s*\\{[^}]*?\"TASK_KERNEL_TIME\"\\s*:\\s*\"(\\d+)\"");

    private final Program program;
    private final DeviceArenas arenas;
    private final FloatArray workspace;
    private final GraphChain chain;
    private final TornadoExecutionPlan plan;
    private final List<Arena> inputs, outputs;
    private final long[] nanos;
    private TornadoExecutionResult last;

    TornadoExecutable(Program program, TornadoDevice device, int maxTasksPerGraph, boolean profile) {
        this.program = program;
        this.arenas = new DeviceArenas(program.arenas());
        int ws = 1;
        for (Step s : program.steps()) {
            ws = Math.max(ws, StepTasks.workspaceFloats(s));
        }
        this.workspace = new FloatArray(ws);
        this.chain = new GraphChain(program, arenas, workspace, maxTasksPerGraph);
        this.inputs = program.inputs().stream().filter(arenas::holds).toList();
        this.outputs = program.outputs().stream().filter(arenas::holds).toList();
        this.nanos = profile ? new long[program.steps().size()] : null;
        this.plan = new TornadoExecutionPlan(chain.graphs.toArray(new uk.ac.manchester.tornado.api.ImmutableTaskGraph[0]));
        plan.withDevice(device);
        if (profile) {
            plan.withProfiler(ProfilerMode.SILENT);
        }
        // allocate every buffer on the device and send the host's initial contents
        for (Arena a : arenas.arenas()) {
            if (!inputs.contains(a)) {
                execute(chain.upload.get(a));
            }
        }
        execute(chain.workspaceUpload);
        // JIT-compile every task now: run the whole chain once on the initial contents, then
        // restore the state it changed (running statistics, parameters, optimizer moments)
        run();
        for (Arena a : arenas.arenas()) {
            if (!inputs.contains(a)) {
                arenas.toMirror(a);
                execute(chain.upload.get(a));
            }
        }
        if (nanos != null) {
            java.util.Arrays.fill(nanos, 0L);
        }
    }

    private void execute(int graph) {
        last = plan.withGraph(graph).execute();
        if (nanos != null && graph >= chain.firstCompute && graph < chain.endCompute) {
            Matcher m = TASK_TIME.matcher(last.getProfilerResult().getProfileLog());
            while (m.find()) {
                TaskId id = TaskId.parse(m.group(1));
                if (id != null && id.step() < nanos.length) {
                    nanos[id.step()] += Long.parseLong(m.group(2));
                }
            }
        }
    }

    @Override
    public void run() {
        for (Arena a : inputs) {
            arenas.toMirror(a);
        }
        if (chain.input >= 0) {
            execute(chain.input);
        }
        for (int g = chain.firstCompute; g < chain.endCompute; g++) {
            execute(g);
        }
        if (!outputs.isEmpty()) {
            last.transferToHost(outputs.stream().map(arenas::of).toArray());
            for (Arena a : outputs) {
                arenas.toHost(a);
            }
        }
    }

    @Override
    public void upload(Arena arena) {
        if (!arenas.holds(arena)) {
            return;
        }
        arenas.toMirror(arena);
        if (!inputs.contains(arena)) {
            execute(chain.upload.get(arena));
        }
    }

    @Override
    public void download(Arena arena) {
        if (!arenas.holds(arena)) {
            return;
        }
        last.transferToHost(arenas.of(arena));
        arenas.toHost(arena);
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

    /** Graphs in the plan: input, compute and upload graphs. */
    int graphs() {
        return chain.graphs.size();
    }

    int computeGraphs() {
        return chain.endCompute - chain.firstCompute;
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
