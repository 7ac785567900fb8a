package hybridlab.backend.tornado;

import hybridlab.kernels.Activation;
import hybridlab.kernels.BatchNorm;
import hybridlab.kernels.Channels;
import hybridlab.kernels.Conv;
import hybridlab.kernels.DepthwiseConv;
import hybridlab.kernels.Dropout;
import hybridlab.kernels.Elementwise;
import hybridlab.kernels.FactorAttention;
import hybridlab.kernels.Gemm;
import hybridlab.kernels.LayerNorm;
import hybridlab.kernels.Loss;
import hybridlab.kernels.Optim;
import hybridlab.kernels.Pool;
import hybridlab.kernels.RelAttention;
import hybridlab.kernels.Resize;
import hybridlab.kernels.Rows;
import hybridlab.kernels.Softmax;
import hybridlab.kernels.Step;
import hybridlab.kernels.TornadoActivation;
import hybridlab.kernels.TornadoBatchNorm;
import hybridlab.kernels.TornadoChannels;
import hybridlab.kernels.TornadoConv;
import hybridlab.kernels.TornadoDepthwiseConv;
import hybridlab.kernels.TornadoDropout;
import hybridlab.kernels.TornadoElementwise;
import hybridlab.kernels.TornadoFactorAttention;
import hybridlab.kernels.TornadoGemm;
import hybridlab.kernels.TornadoGroups;
import hybridlab.kernels.TornadoLayerNorm;
import hybridlab.kernels.TornadoLoss;
import hybridlab.kernels.TornadoOptim;
import hybridlab.kernels.TornadoPool;
import hybridlab.kernels.TornadoRelAttention;
import hybridlab.kernels.TornadoResize;
import hybridlab.kernels.TornadoRows;
import hybridlab.kernels.TornadoSoftmax;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;

/**
 * Dispatches program steps to their ops' device bindings: an exhaustive switch over the sealed
 * {@link Step} hierarchy (a step type without a device binding does not compile), one line a
 * step type. What each step launches (its kernels, their arguments and geometry, its workspace)
 * is written beside the op's device kernels, in {@code Tornado<Op>}, the device twin of the op's
 * JVM kernels in {@code <Op>}.
 *
 * <p>Every task is added with its {@link Launch} (taken with its id), so each has an explicit
 * grid. The device's {@link KernelFamily} picks the form of the ops that have one per kind of
 * device: on the GPU family, reductions (norm statistics and gradient sums, softmax over
 * contiguous rows, row sums, the loss sum, the gradient norm) are {@code KernelContext}
 * work-group kernels ({@link TornadoGroups}) sized by the device's limit, and products the tiled
 * GEMM; on the CPU family (or a device that refuses the tiled GEMM's 16 x 16 work-groups,
 * {@code TornadoGemm.blocked}) products are the blocked GEMM, and batch norm, layer norm and column
 * sums a work-item per channel, row or block of columns, summed in 16 lanes.
 *
 * <p>Most steps are one task (a GEMM with its bias and epilogue, batch-norm training and
 * backward); a few are passes over a device workspace (an operand packed for the GEMM, relative
 * attention's products with the softmax between them). {@link #MAX_TASKS} bounds the tasks of any
 * step ({@link GraphChain} checks it), so a graph is cut between steps.
 */
final class StepTasks {
    /** The most tasks one step adds (relative attention's backward pass with POST fusion on the blocked GEMM). */
    static final int MAX_TASKS = 7;

    private final DeviceArenas arenas;
    private final DeviceLimits limits;
    /** The work-group context every {@code KernelContext} task is given. */
    private final KernelContext ctx = new KernelContext();

    StepTasks(DeviceArenas arenas, DeviceLimits limits) {
        this.arenas = arenas;
        this.limits = limits;
    }

    /** Floats of device workspace the step needs on a device of these limits (0 for most). */
    static int workspaceFloats(Step step, DeviceLimits limits) {
        return switch (step) {
            case Gemm s -> TornadoGemm.workspaceFloats(s, limits);
            case Conv.Forward s -> TornadoConv.workspaceFloats(s);
            case Conv.BackwardData s -> TornadoConv.workspaceFloats(s);
            case Conv.BackwardWeight s -> TornadoConv.workspaceFloats(s, limits);
            case RelAttention.Forward s -> TornadoRelAttention.workspaceFloats(s, limits);
            case RelAttention.Backward s -> TornadoRelAttention.workspaceFloats(s, limits);
            case FactorAttention.Backward s -> TornadoFactorAttention.workspaceFloats(s);
            default -> 0;
        };
    }

    /**
     * Adds the tasks of program step {@code index} to {@code g}, and those of {@code next} (the
     * step after it, null at the end) where an op computes it in the same tasks (a product's
     * epilogue, {@link TornadoGemm.Then}); returns how many steps that covered, 1 or 2. The tasks
     * are named after step {@code index}, which a profile then charges with both steps' time.
     */
    int add(TaskGraph g, int index, Step step, Step next, java.util.List<TaskId.Launched> launched) {
        TaskId.Parts id = new TaskId.Parts(index, launched);
        DeviceTasks t = new DeviceTasks(g, id, arenas, limits, ctx);
        if (step instanceof Gemm s && next != null) {
            TornadoGemm.Then then = TornadoGemm.Then.of(s, next);
            if (then != null) {
                TornadoGemm.bind(t, s, then);
                return 2;
            }
        }
        switch (step) {
            case Elementwise.Fill s -> TornadoElementwise.bind(t, s);
            case Elementwise.Copy s -> TornadoElementwise.bind(t, s);
            case Elementwise.Add s -> TornadoElementwise.bind(t, s);
            case Elementwise.Scale s -> TornadoElementwise.bind(t, s);
            case Elementwise.Mul s -> TornadoElementwise.bind(t, s);
            case Activation.Forward s -> TornadoActivation.bind(t, s);
            case Activation.Backward s -> TornadoActivation.bind(t, s);
            case Gemm s -> TornadoGemm.bind(t, s);
            case Conv.Forward s -> TornadoConv.bind(t, s);
            case Conv.BackwardData s -> TornadoConv.bind(t, s);
            case Conv.BackwardWeight s -> TornadoConv.bind(t, s);
            case DepthwiseConv.Forward s -> TornadoDepthwiseConv.bind(t, s);
            case DepthwiseConv.BackwardData s -> TornadoDepthwiseConv.bind(t, s);
            case DepthwiseConv.BackwardWeight s -> TornadoDepthwiseConv.bind(t, s);
            case Channels.BiasGrad s -> TornadoChannels.bind(t, s);
            case Channels.Scale s -> TornadoChannels.bind(t, s);
            case Channels.ScaleGrad s -> TornadoChannels.bind(t, s);
            case Channels.Mean s -> TornadoChannels.bind(t, s);
            case Channels.MeanGrad s -> TornadoChannels.bind(t, s);
            case Rows.SumRows s -> TornadoRows.bind(t, s);
            case Rows.Transpose s -> TornadoRows.bind(t, s);
            case BatchNorm.Train s -> TornadoBatchNorm.bind(t, s);
            case BatchNorm.Eval s -> TornadoBatchNorm.bind(t, s);
            case BatchNorm.Backward s -> TornadoBatchNorm.bind(t, s);
            case LayerNorm.Forward s -> TornadoLayerNorm.bind(t, s);
            case LayerNorm.Backward s -> TornadoLayerNorm.bind(t, s);
            case LayerNorm.ParamGrad s -> TornadoLayerNorm.bind(t, s);
            case Pool.MaxForward s -> TornadoPool.bind(t, s);
            case Pool.MaxBackward s -> TornadoPool.bind(t, s);
            case Pool.AvgForward s -> TornadoPool.bind(t, s);
            case Pool.AvgBackward s -> TornadoPool.bind(t, s);
            case Resize.Forward s -> TornadoResize.bind(t, s);
            case Resize.Backward s -> TornadoResize.bind(t, s);
            case Softmax.Forward s -> TornadoSoftmax.bind(t, s);
            case Softmax.Backward s -> TornadoSoftmax.bind(t, s);
            case RelAttention.Forward s -> TornadoRelAttention.bind(t, s);
            case RelAttention.Backward s -> TornadoRelAttention.bind(t, s);
            case RelAttention.BiasGrad s -> TornadoRelAttention.bind(t, s);
            case FactorAttention.Forward s -> TornadoFactorAttention.bind(t, s);
            case FactorAttention.Backward s -> TornadoFactorAttention.bind(t, s);
            case Loss.CrossEntropy s -> TornadoLoss.bind(t, s);
            case Loss.Sum s -> TornadoLoss.bind(t, s);
            case Dropout.Forward s -> TornadoDropout.bind(t, s);
            case Dropout.Backward s -> TornadoDropout.bind(t, s);
            case Optim.SquarePartials s -> TornadoOptim.bind(t, s);
            case Optim.ClipScale s -> TornadoOptim.bind(t, s);
            case Optim.AdamW s -> TornadoOptim.bind(t, s);
        }
        return 1;
    }
}
