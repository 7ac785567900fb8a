package hybridlab.backend.tornado;

import hybridlab.backend.Program;
import hybridlab.kernels.Arena;
import hybridlab.kernels.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import uk.ac.manchester.tornado.api.ImmutableTaskGraph;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * A program as a chain of TaskGraphs over one set of device buffers: the input graph (sends the
 * program's input arenas), the compute graphs (the steps in order, cut between steps so each
 * graph stays within TornadoVM's per-graph bytecode buffer), and one upload graph per other
 * arena (sends that arena; run once to allocate, then on {@code upload}).
 *
 * <p>Every graph names every device buffer: it consumes from the device all buffers it does not
 * send itself and persists all of them. TornadoVM hands a consumed buffer over from the graph
 * that ran last in the same execution plan, so whichever graph runs next finds every buffer where
 * the previous one left it: parameters, optimizer state and activations never leave the device.
 */
final class GraphChain {
    /** Process-wide counter, so graph names are unique across plans. */
    private static final AtomicInteger PLANS = new AtomicInteger();

    /** Graphs in plan order, and their roles. */
    final List<ImmutableTaskGraph> graphs = new ArrayList<>();
    final List<String> names = new ArrayList<>();
    /** Index of the input graph, or -1 if the program has no inputs. */
    final int input;
    /** Compute graphs are {@code [firstCompute, endCompute)}. */
    final int firstCompute, endCompute;
    /** Upload graph of each non-input arena (and of the workspace, keyed by null). */
    final Map<Arena, Integer> upload = new HashMap<>();
    final int workspaceUpload;

    GraphChain(Program program, DeviceArenas arenas, FloatArray workspace, int maxTasksPerGraph) {
        String prefix = "hl" + PLANS.incrementAndGet() + "_";
        List<Object> all = new ArrayList<>(arenas.allBut(List.of()));
        all.add(workspace);
        Object[] everything = all.toArray();

        // input graph: the host's per-run arenas go in
        List<Arena> inputs = program.inputs().stream().filter(arenas::holds).toList();
        if (inputs.isEmpty()) {
            input = -1;
        } else {
            TaskGraph g = new TaskGraph(prefix + "in");
            List<Object> others = new ArrayList<>(arenas.allBut(inputs));
            others.add(workspace);
            g.consumeFromDevice(others.toArray());
            Object[] sent = inputs.stream().map(arenas::of).toArray();
            g.transferToDevice(DataTransferMode.EVERY_EXECUTION, sent);
            touch(g, 0, sent);
            input = add(g.persistOnDevice(everything), prefix + "in");
        }

        // compute graphs: the steps, cut between steps
        firstCompute = graphs.size();
        StepTasks tasks = new StepTasks(arenas, workspace);
        List<Step> steps = program.steps();
        int i = 0;
        while (i < steps.size()) {
            String name = prefix + "c" + (graphs.size() - firstCompute);
            TaskGraph g = new TaskGraph(name).consumeFromDevice(everything);
            int count = 0;
            while (i < steps.size() && (count == 0 || count + StepTasks.MAX_TASKS <= maxTasksPerGraph)) {
                count += tasks.add(g, i, steps.get(i));
                i++;
            }
            add(g.persistOnDevice(everything), name);
        }
        endCompute = graphs.size();

        // upload graphs: one per arena the host does not send every run, and the workspace
        int k = 0;
        for (Arena a : arenas.arenas()) {
            if (!inputs.contains(a)) {
                upload.put(a, uploadGraph(prefix + "up" + k++, arenas.of(a), everything));
            }
        }
        workspaceUpload = uploadGraph(prefix + "up" + k, workspace, everything);
    }

    private int uploadGraph(String name, Object array, Object[] everything) {
        TaskGraph g = new TaskGraph(name);
        List<Object> others = new ArrayList<>();
        for (Object o : everything) {
            if (o != array) {
                others.add(o);
            }
        }
        if (!others.isEmpty()) {
            g.consumeFromDevice(others.toArray());
        }
        g.transferToDevice(DataTransferMode.EVERY_EXECUTION, array);
        touch(g, 0, array);
        return add(g.persistOnDevice(everything), name);
    }

    /** A one-work-item task per array that reads and rewrites its first element: it gives the graph a task over the array. */
    private static void touch(TaskGraph g, int first, Object... arrays) {
        int part = first;
        for (Object a : arrays) {
            String id = new TaskId(TaskId.BACKEND, part++).name();
            if (a instanceof FloatArray f) {
                g.task(id, GraphChain::touchFloats, f);
            } else {
                g.task(id, GraphChain::touchInts, (IntArray) a);
            }
        }
    }

    public static void touchFloats(FloatArray a) {
        a.set(0, a.get(0));
    }

    public static void touchInts(IntArray a) {
        a.set(0, a.get(0));
    }

    private int add(TaskGraph g, String name) {
        graphs.add(g.snapshot());
        names.add(name);
        return graphs.size() - 1;
    }
}
