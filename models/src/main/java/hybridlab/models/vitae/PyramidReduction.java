package hybridlab.models.vitae;

import hybridlab.nn.Graph;
import hybridlab.nn.Module;
import hybridlab.nn.Tensor;
import hybridlab.nn.layers.Conv2d;
import hybridlab.nn.layers.ModuleList;
import hybridlab.nn.ops.Pointwise;
import hybridlab.nn.ops.Shapes;
import java.util.List;

/**
 * PRM: one strided k x k conv per dilation on the same input, each followed by GELU,
 * concatenated along channels (dilation-major) and flattened to tokens.
 * Padding {@code ceil(((k-1) d + 1 - stride) / 2)} keeps every branch at {@code size / stride}.
 */
public final class PyramidReduction extends Module {
    private final ModuleList<Branch> convs = child("convs", new ModuleList<>());

    /** {@code convs.N.0}: the conv of one dilation (the GELU at index 1 has no parameters). */
    static final class Branch extends Module {
        final Conv2d conv;

        Branch(int in, int out, int k, int stride, int dil) {
            int pad = (int) Math.ceil(((k - 1) * dil + 1 - stride) / 2.0);
            conv = child("0", new Conv2d(in, out, k, stride, pad, dil, 1, true));
        }
    }

    public PyramidReduction(int in, int embed, int kernel, int stride, List<Integer> dilations) {
        for (int d : dilations) {
            convs.add(new Branch(in, embed, kernel, stride, d));
        }
    }

    /** {@code (B, C, H, W) -> (B, HW / stride^2, embed * dilations)}. */
    public Tensor forward(Graph g, Tensor map) {
        Tensor[] parts = new Tensor[convs.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = Pointwise.gelu(g, convs.get(i).conv.forward(g, map));
        }
        return Shapes.toTokens(g, parts.length == 1 ? parts[0] : Shapes.concat(g, 1, parts));
    }
}
