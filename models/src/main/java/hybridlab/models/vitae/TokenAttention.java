package hybridlab.models.vitae;

import hybridlab.nn.Graph;
import hybridlab.nn.Init;
import hybridlab.nn.Module;
import hybridlab.nn.Tensor;
import hybridlab.nn.layers.Linear;
import hybridlab.nn.ops.Attention;
import hybridlab.nn.ops.Pointwise;
import hybridlab.nn.ops.Shapes;

/**
 * Multi-head softmax self-attention, qkv without bias, output projection with bias. When the
 * input and output widths differ (reduction cells), the residual is taken from V, as in T2T's
 * token transformer: {@code y = v + proj(attn)}.
 */
public final class TokenAttention extends Module {
    private final Linear qkv, proj;
    private final int heads, width;
    private final boolean valueResidual;

    public TokenAttention(int in, int width, int heads, boolean valueResidual, Init linearInit) {
        this.heads = heads;
        this.width = width;
        this.valueResidual = valueResidual;
        qkv = child("qkv", new Linear(in, 3 * width, false, linearInit));
        proj = child("proj", new Linear(width, width, true, linearInit));
    }

    public Tensor forward(Graph g, Tensor x) {
        Tensor t = qkv.forward(g, x);
        Tensor y = proj.forward(g, Attention.softmax(g, t, heads, width / heads));
        return valueResidual ? Pointwise.add(g, Shapes.narrow(g, t, 2, 2 * width, width), y) : y;
    }
}
