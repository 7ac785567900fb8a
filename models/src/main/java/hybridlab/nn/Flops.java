package hybridlab.nn;

import hybridlab.kernels.Conv;
import hybridlab.kernels.DepthwiseConv;
import hybridlab.kernels.FactorAttention;
import hybridlab.kernels.Gemm;
import hybridlab.kernels.RelAttention;
import hybridlab.kernels.Step;
import java.util.List;

/**
 * Multiply-accumulates of forward steps: convolutions, matrix products and the attention
 * matmuls (as PyTorch hooks on Conv2d, Linear and {@code @} would count them). Normalisation,
 * activations and softmax are not counted.
 */
public final class Flops {
    private Flops() {
    }

    public static long macs(Step s) {
        return switch (s) {
            case Gemm g -> (long) g.batch() * g.m() * g.n() * g.k();
            case Conv.Forward c -> c.s().macs();
            case DepthwiseConv.Forward d -> d.s().macs();
            case RelAttention.Forward a -> 2L * a.s().batch() * a.s().heads() * a.s().tokens() * a.s().tokens() * a.s().dim();
            case FactorAttention.Forward f -> 2L * f.s().batch() * f.s().heads() * f.s().tokens() * f.s().dim() * f.s().dim();
            default -> 0L;
        };
    }

    public static long macs(List<Step> steps) {
        long n = 0;
        for (Step s : steps) {
            n += macs(s);
        }
        return n;
    }
}
