package hybridlab.models.coat;

import hybridlab.nn.Graph;
import hybridlab.nn.Module;
import hybridlab.nn.Tensor;
import hybridlab.nn.layers.Linear;
import hybridlab.nn.ops.Attention;
import hybridlab.nn.ops.Pointwise;
import hybridlab.nn.ops.Shapes;

/**
 * Factorized attention with convolutional relative position encoding:
 * {@code proj(scale * Q (softmax_N(K)^T V) + CRPE(Q, V))}; the CRPE module is shared within a
 * stage and may be absent (CRPE off).
 */
public final class FactorAttCrpe extends Module {
    private final Linear qkv, proj;
    private final ConvRelPosEnc crpe;
    private final int heads, headDim;

    public FactorAttCrpe(int dim, int heads, ConvRelPosEnc sharedCrpe) {
        this.heads = heads;
        this.headDim = dim / heads;
        qkv = child("qkv", new Linear(dim, 3 * dim, true));
        proj = child("proj", new Linear(dim, dim, true));
        crpe = sharedCrpe;
    }

    public Tensor forward(Graph g, Tensor x, int h, int w) {
        int dim = heads * headDim;
        Tensor t = qkv.forward(g, x);
        Tensor y = Attention.factorized(g, t, heads, headDim, (float) (1.0 / Math.sqrt(headDim)));
        if (crpe != null) {
            Tensor q = Shapes.narrow(g, t, 2, 0, dim), v = Shapes.narrow(g, t, 2, 2 * dim, dim);
            y = Pointwise.add(g, y, crpe.forward(g, q, v, h, w));
        }
        return proj.forward(g, y);
    }
}
