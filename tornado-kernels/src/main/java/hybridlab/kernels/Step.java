package hybridlab.kernels;

/**
 * One kernel call of a compiled plan: which kernel, over which slices, with which sizes.
 *
 * <p>Steps are immutable records checked at construction (every slice they index must be large
 * enough), so a kernel never needs bounds logic in its loop nest. A backend binds each step to
 * its own implementation of the kernel: the JVM backend through {@link #jvm(int)}, a device
 * backend through an exhaustive switch over this sealed hierarchy, so a kernel without a device
 * twin is a compile error there, not a surprise at run time.
 */
public sealed interface Step permits
        Elementwise.Fill, Elementwise.Copy, Elementwise.Add, Elementwise.Scale, Elementwise.Mul,
        Activation.Forward, Activation.Backward,
        Gemm,
        Conv.Forward, Conv.BackwardData, Conv.BackwardWeight,
        DepthwiseConv.Forward, DepthwiseConv.BackwardData, DepthwiseConv.BackwardWeight,
        Channels.BiasGrad, Channels.Scale, Channels.ScaleGrad, Channels.Mean, Channels.MeanGrad,
        Rows.SumRows, Rows.Transpose,
        BatchNorm.Train, BatchNorm.Eval, BatchNorm.Backward,
        LayerNorm.Forward, LayerNorm.Backward, LayerNorm.ParamGrad,
        Pool.MaxForward, Pool.MaxBackward, Pool.AvgForward, Pool.AvgBackward,
        Resize.Forward, Resize.Backward,
        Softmax.Forward, Softmax.Backward,
        RelAttention.Forward, RelAttention.Backward, RelAttention.BiasGrad,
        FactorAttention.Forward, FactorAttention.Backward,
        Loss.CrossEntropy, Loss.Sum,
        Dropout.Forward, Dropout.Backward,
        Optim.SquarePartials, Optim.ClipScale, Optim.AdamW {

    /** Binds this step to the JVM kernels; {@code workers} sizes per-thread scratch space. */
    JvmTask jvm(int workers);

    /**
     * Multiply-accumulates of this step as PyTorch's hooks on Conv2d, Linear and {@code @} count
     * them: products, convolutions and the attention matmuls; 0 for everything else (norms,
     * activations, softmax are not counted).
     */
    default long macs() {
        return 0;
    }

    /** Short description for plan listings. */
    default String label() {
        return getClass().getSimpleName();
    }
}
