package hybridlab.models.vitae;

import hybridlab.kernels.Activation;
import hybridlab.nn.Graph;
import hybridlab.nn.Module;
import hybridlab.nn.Tensor;
import hybridlab.nn.layers.BatchNorm2d;
import hybridlab.nn.layers.Conv2d;
import hybridlab.nn.ops.Pointwise;

/**
 * PCM: three grouped 3x3 convs (with bias) with SiLU after each and batch norm after the second
 * (and, in normal cells, the first), registered at the reference's Sequential indices.
 */
public final class ParallelConv extends Module {
    private final Conv2d c1, c2, c3;
    private final BatchNorm2d bn1, bn2;

    private ParallelConv(int in, int a, int b, int out, int[] strides, int groups, boolean normFirst) {
        int i = 0;
        c1 = child(String.valueOf(i++), new Conv2d(in, a, 3, strides[0], 1, 1, groups, true));
        bn1 = normFirst ? child(String.valueOf(i++), new BatchNorm2d(a)) : null;
        i++;  // SiLU
        c2 = child(String.valueOf(i++), new Conv2d(a, b, 3, strides[1], 1, 1, groups, true));
        bn2 = child(String.valueOf(i++), new BatchNorm2d(b));
        i++;  // SiLU
        c3 = child(String.valueOf(i), new Conv2d(b, out, 3, strides[2], 1, 1, groups, true));
    }

    /** A reduction cell's PCM: conv SiLU conv BN SiLU conv SiLU, the strides multiplying to {@code ratio}. */
    public static ParallelConv reduction(int in, int embed, int out, int ratio, int groups) {
        int[] strides = new int[3];
        for (int i = 0, residual = ratio / 2; i < 3; i++, residual /= 2) {
            strides[i] = residual > 0 ? 2 : 1;
        }
        return new ParallelConv(in, embed, embed, out, strides, groups, false);
    }

    /** A normal cell's PCM: conv BN SiLU conv BN SiLU conv SiLU through a {@code hidden}-wide middle. */
    public static ParallelConv normal(int dim, int hidden, int groups) {
        return new ParallelConv(dim, hidden, dim, dim, new int[] {1, 1, 1}, groups, true);
    }

    public Tensor forward(Graph g, Tensor x) {
        Tensor y = bn1 != null ? bn1.forward(g, c1, x, Activation.Kind.SILU) : Pointwise.silu(g, c1.forward(g, x));
        y = bn2.forward(g, c2, y, Activation.Kind.SILU);
        return Pointwise.silu(g, c3.forward(g, y));
    }
}
