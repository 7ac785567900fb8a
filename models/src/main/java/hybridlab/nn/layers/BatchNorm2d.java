package hybridlab.nn.layers;

import hybridlab.kernels.Activation;
import hybridlab.kernels.BatchNorm;
import hybridlab.nn.Graph;
import hybridlab.nn.Init;
import hybridlab.nn.Module;
import hybridlab.nn.Param;
import hybridlab.nn.Tensor;
import hybridlab.nn.ops.Normalization;

/** Batch norm with PyTorch's defaults (eps 1e-5, momentum 0.1) and parameter names. */
public final class BatchNorm2d extends Module {
    private static final float EPS = 1e-5f;
    private final Param weight, bias, runningMean, runningVar;

    public BatchNorm2d(int channels) {
        weight = param("weight", Init.ONES, false, channels);
        bias = param("bias", Init.ZEROS, false, channels);
        runningMean = state("running_mean", 0f, channels);
        runningVar = state("running_var", 1f, channels);
    }

    public Tensor forward(Graph g, Tensor x) {
        return forward(g, x, null);
    }

    /** Batch norm followed by {@code act}, fused into one kernel (the normalised map is not stored). */
    public Tensor forward(Graph g, Tensor x, Activation.Kind act) {
        return Normalization.batchNorm(g, x, g.param(weight), g.param(bias), g.param(runningMean), g.param(runningVar),
                EPS, 0.1f, act);
    }

    /**
     * {@code act(BN(conv(x)))}. When not training, the convolution applies the norm to its output
     * (one pass over the map instead of two); otherwise, and for 1x1 convolutions on tiny maps
     * ({@link Conv2d#forwardNormalized} returns null for both), the same as
     * {@code forward(g, conv.forward(g, x), act)}, with identical results.
     */
    public Tensor forward(Graph g, Conv2d conv, Tensor x, Activation.Kind act) {
        Tensor y = conv.forwardNormalized(g, x, new BatchNorm.RowEpilogue(g.param(weight).data(), g.param(bias).data(),
                g.param(runningMean).data(), g.param(runningVar).data(), EPS, act));
        return y != null ? y : forward(g, conv.forward(g, x), act);
    }
}
