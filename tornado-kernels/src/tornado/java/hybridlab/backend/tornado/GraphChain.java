package hybridlab.backend.tornado;

import hybridlab.backend.Program;
import hybridlab.kernels.Arena;
import hybridlab.kernels.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.ImmutableTaskGraph;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.WorkerGrid;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * A program as a chain of TaskGraphs over the resident device arrays (the heap and the int
 * arenas, {@link DeviceArenas}), in plan order:
 * <ul>
 * <li>upload: sends the resident arrays (allocates them on the first run);
 * <li>input: sends the input arenas' staging arrays and copies them into the heap;
 * <li>compute: the steps in order, cut between steps so each graph stays within TornadoVM's
 * per-graph bytecode buffer;
 * <li>output: copies the output arenas out of the heap into their staging arrays and brings those back;
 * <li>download: brings the heap back.
 * </ul>
 * Every graph consumes the resident arrays from the device and persists them again, so whichever
 * graph runs next finds them where the previous one left them: parameters, optimizer state and
 * activations never leave the device during training.
 *
 * <p>Every task of every graph has an explicit {@code WorkerGrid} ({@link DeviceLimits#grid} of
 * the {@link Launch} it was added with) in its graph's {@link GridScheduler}; a geometry the
 * device cannot take fails here, naming the graph and the task.
 */
final class GraphChain {
    /** Process-wide counter, so graph names are unique across plans. */
    private static final AtomicInteger PLANS = new AtomicInteger();

    final List<ImmutableTaskGraph> graphs = new ArrayList<>();
    final List<String> names = new ArrayList<>();
    /** Per graph: its grid scheduler, and each task's name and geometry (for messages). */
    final List<GridScheduler> grids = new ArrayList<>();
    final List<List<String>> geometry = new ArrayList<>();
    private final DeviceLimits limits;
    /** Tasks added to the graph being built, with their launches. */
    private List<TaskId.Launched> pending = new ArrayList<>();
    final int upload, input, output, download;
    /** Compute graphs are {@code [firstCompute, endCompute)}. */
    final int firstCompute, endCompute;

    GraphChain(Program program, DeviceArenas arenas, int maxTasksPerGraph, DeviceLimits limits) {
        this.limits = limits;
        String prefix = "hl" + PLANS.incrementAndGet() + "_";
        Object[] resident = arenas.resident().toArray();
        FloatArray heap = arenas.heap();
        int io = 0;

        TaskGraph up = new TaskGraph(prefix + "up").transferToDevice(DataTransferMode.EVERY_EXECUTION, resident);
        io = touch(up, io, resident);
        upload = add(up.persistOnDevice(resident), prefix + "up");

        List<Arena> inputs = program.inputs().stream().filter(arenas::holds).toList();
        if (inputs.isEmpty()) {
            input = -1;
        } else {
            List<Object> kept = new ArrayList<>(arenas.resident());
            inputs.stream().filter(a -> !arenas.isFloat(a)).forEach(a -> kept.remove(arenas.ints(a)));
            TaskGraph g = new TaskGraph(prefix + "in").consumeFromDevice(kept.toArray());
            for (Arena a : inputs) {
                if (arenas.isFloat(a) && a.size() > 0) {
                    FloatArray s = arenas.staging(a);
                    g.transferToDevice(DataTransferMode.EVERY_EXECUTION, s);
                    g.task(ioTask(io++, Launch.loops(a.size())), GraphChain::stageIn, s, heap, args(g, arenas.base(a), a.size()));
                } else if (!arenas.isFloat(a)) {
                    IntArray i = arenas.ints(a);
                    g.transferToDevice(DataTransferMode.EVERY_EXECUTION, i);
                    io = touch(g, io, i);
                }
            }
            input = add(g.persistOnDevice(resident), prefix + "in");
        }

        firstCompute = graphs.size();
        StepTasks tasks = new StepTasks(arenas, limits);
        List<Step> steps = program.steps();
        int i = 0;
        while (i < steps.size()) {
            String name = prefix + "c" + (graphs.size() - firstCompute);
            TaskGraph g = new TaskGraph(name).consumeFromDevice(resident);
            int count = 0;
            while (i < steps.size() && (count == 0 || count + StepTasks.MAX_TASKS <= maxTasksPerGraph)) {
                int before = pending.size();
                int covered = tasks.add(g, i, steps.get(i), i + 1 < steps.size() ? steps.get(i + 1) : null, pending);
                if (pending.size() - before > StepTasks.MAX_TASKS) {
                    throw new IllegalStateException("step " + i + " (" + steps.get(i).label() + ") added " + (pending.size() - before)
                            + " tasks, more than StepTasks.MAX_TASKS (" + StepTasks.MAX_TASKS + ")");
                }
                i += covered;
                count += pending.size() - before;
            }
            add(g.persistOnDevice(resident), name);
        }
        endCompute = graphs.size();

        List<Arena> outputs = program.outputs().stream().filter(a -> arenas.holds(a) && arenas.isFloat(a)).toList();
        if (outputs.isEmpty()) {
            output = -1;
        } else {
            TaskGraph g = new TaskGraph(prefix + "out").consumeFromDevice(resident);
            for (Arena a : outputs) {
                FloatArray s = arenas.staging(a);
                g.task(ioTask(io++, Launch.loops(a.size())), GraphChain::stageOut, heap, s, args(g, arenas.base(a), a.size()));
                g.transferToHost(DataTransferMode.EVERY_EXECUTION, s);
            }
            output = add(g.persistOnDevice(resident), prefix + "out");
        }

        TaskGraph down = new TaskGraph(prefix + "down").consumeFromDevice(resident);
        touch(down, io, heap);
        down.transferToHost(DataTransferMode.EVERY_EXECUTION, resident);
        download = add(down.persistOnDevice(resident), prefix + "down");
    }

    /** A one-work-item task per array that rewrites its first element: a graph moves only arrays some task names. */
    private int touch(TaskGraph g, int io, Object... arrays) {
        for (Object a : arrays) {
            String id = ioTask(io++, Launch.single());
            if (a instanceof FloatArray f) {
                g.task(id, GraphChain::touchFloats, f);
            } else {
                g.task(id, GraphChain::touchInts, (IntArray) a);
            }
        }
        return io;
    }

    public static void touchFloats(FloatArray a) {
        a.set(0, a.get(0));
    }

    public static void touchInts(IntArray a) {
        a.set(0, a.get(0));
    }

    /** A staging task's arguments (heap offset, length), sent once, as {@link DeviceTasks#args}. */
    private static IntArray args(TaskGraph g, int off, int n) {
        IntArray a = IntArray.fromElements(off, n);
        g.transferToDevice(DataTransferMode.FIRST_EXECUTION, a);
        return a;
    }

    /** Staging array of an input arena into its heap region; args: heap offset, length. */
    public static void stageIn(FloatArray src, FloatArray mem, IntArray args) {
        int off = args.get(0), n = args.get(1);
        for (@Parallel int i = 0; i < Math.max(0, n); i++) {
            mem.set(off + i, src.get(i));
        }
    }

    /** Heap region of an output arena into its staging array; args: heap offset, length. */
    public static void stageOut(FloatArray mem, FloatArray dst, IntArray args) {
        int off = args.get(0), n = args.get(1);
        for (@Parallel int i = 0; i < Math.max(0, n); i++) {
            dst.set(i, mem.get(off + i));
        }
    }

    /** The name of the backend's own task {@code io}, recorded with its launch. */
    private String ioTask(int io, Launch launch) {
        String name = new TaskId(TaskId.BACKEND, io).name();
        pending.add(new TaskId.Launched(name, launch));
        return name;
    }

    /** Snapshots graph {@code g} with a grid scheduler holding every task added since the last graph. */
    private int add(TaskGraph g, String name) {
        GridScheduler scheduler = new GridScheduler();
        List<String> described = new ArrayList<>();
        for (TaskId.Launched t : pending) {
            WorkerGrid grid;
            try {
                grid = limits.grid(t.launch());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("graph " + name + ", task " + t.name() + ": " + e.getMessage(), e);
            }
            scheduler.addWorkerGrid(name + "." + t.name(), grid);
            described.add(t.name() + " (" + t.launch() + "; " + DeviceLimits.describe(grid) + ")");
        }
        pending = new ArrayList<>();
        graphs.add(g.snapshot());
        names.add(name);
        grids.add(scheduler);
        geometry.add(List.copyOf(described));
        return graphs.size() - 1;
    }
}
