package hybridlab.backend.tornado;

import hybridlab.kernels.Slice;
import hybridlab.kernels.TornadoGroups;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * What an op's device binding needs to add one program step's tasks to a task graph: the graph,
 * task names taken with their {@link Launch}, the device heap and the offsets of the step's
 * slices in it, the shared work-group context and the device's limits. Each op binds its own
 * steps beside its device kernels ({@code TornadoConv.bind(DeviceTasks, Conv.Forward)}, ...);
 * {@link StepTasks} only dispatches.
 *
 * <p>Every float slice is passed as its offset in the one device heap ({@link DeviceArenas}), so
 * a task names the heap once: TornadoVM's task-graph builder loops forever on a task that names
 * one array twice with a write before the last use, which separate arena arrays would cause.
 *
 * <p>A kernel takes no scalar parameters: its offsets, sizes, strides and flags come in a small
 * int array of the task's own ({@link #args}), its float constants in a float array
 * ({@link #floats}), both sent to the device once. TornadoVM specialises a task on its scalar
 * arguments (they become constants of the generated OpenCL), so with scalars every task of one
 * method was a different program for the driver to build; with the arguments in arrays every
 * task of one method generates the same source, which the driver builds once and serves from
 * its cache (PoCL's, keyed by source) for every other task.
 */
public final class DeviceTasks {
    private final TaskGraph graph;
    private final TaskId.Parts ids;
    private final DeviceArenas arenas;
    private final DeviceLimits limits;
    private final KernelContext ctx;

    DeviceTasks(TaskGraph graph, TaskId.Parts ids, DeviceArenas arenas, DeviceLimits limits, KernelContext ctx) {
        this.graph = graph;
        this.ids = ids;
        this.arenas = arenas;
        this.limits = limits;
        this.ctx = ctx;
    }

    /** The graph the step's tasks go into. */
    public TaskGraph graph() {
        return graph;
    }

    /** The name of the step's next task, recorded with the geometry it launches with. */
    public String task(Launch launch) {
        return ids.next(launch);
    }

    /** The device heap every float slice lives in. */
    public FloatArray heap() {
        return arenas.heap();
    }

    /** The work-group context every {@code KernelContext} task is given. */
    public KernelContext ctx() {
        return ctx;
    }

    /** Heap offset of a float slice. */
    public int at(Slice s) {
        return arenas.at(s);
    }

    /** Heap offset of an optional slice; -1 when absent. */
    public int off(Slice s) {
        return s == null ? -1 : arenas.at(s);
    }

    /** The device array of an int slice (index it from the slice's offset). */
    public IntArray ints(Slice s) {
        return arenas.ints(s);
    }

    /**
     * A task's int arguments, in the order the kernel unpacks them: an array of the task's own,
     * sent to the device on the plan's first run (the values never change).
     */
    public IntArray args(int... values) {
        IntArray a = IntArray.fromElements(values);
        graph.transferToDevice(DataTransferMode.FIRST_EXECUTION, a);
        return a;
    }

    /** A task's float arguments (constants of the step), like {@link #args}. */
    public FloatArray floats(float... values) {
        FloatArray a = FloatArray.fromElements(values);
        graph.transferToDevice(DataTransferMode.FIRST_EXECUTION, a);
        return a;
    }

    /** Heap offset of the step's workspace (its size declared by the op's {@code workspaceFloats}). */
    public int workspace() {
        return arenas.workspace();
    }

    /** Whether this device gets the CPU form of the kernels ({@link KernelFamily#CPU}). */
    public boolean cpu() {
        return limits.cpu();
    }

    /** The most work-items of a work-group on this device. */
    public int maxGroup() {
        return limits.maxGroup();
    }

    /** The device's limits and kernel family. */
    public DeviceLimits limits() {
        return limits;
    }

    /** Whether the device takes work-groups of {@code items} work-items, {@code side0 x side1}. */
    public boolean fitsGroup(int items, int side0, int side1) {
        return limits.fitsGroup(items, side0, side1);
    }

    /** {@code count} work-groups, one per output, each reducing {@code len} elements ({@link TornadoGroups}). */
    public Launch reduce(int count, int len) {
        return Launch.groups(new int[] {count}, new int[] {group(len)});
    }

    /**
     * The work-group of a reduction over {@code len} elements: the next power of two, at most the
     * device's limit and {@link TornadoGroups#MAX_GROUP}.
     */
    private int group(int len) {
        int cap = Math.min(limits.maxGroup(), TornadoGroups.MAX_GROUP);
        int g = len <= 1 ? 1 : Integer.highestOneBit(len - 1) << 1;
        return Math.max(1, Math.min(cap, g));
    }

    /** A boolean kernel argument. */
    public static int flag(boolean b) {
        return b ? 1 : 0;
    }
}
