package hybridlab.models.vitae;

import hybridlab.nn.Graph;
import hybridlab.nn.Init;
import hybridlab.nn.Module;
import hybridlab.nn.Tensor;
import hybridlab.nn.layers.LayerNorm;
import hybridlab.nn.layers.Mlp;
import hybridlab.nn.ops.Pointwise;
import hybridlab.nn.ops.Shapes;

/**
 * NC: {@code x = x + MHSA(LN(x)) + PCM(x_img)} (the PCM skips the CLS token), then
 * {@code x = x + MLP(LN(x))}; LayerNorm eps 1e-6.
 */
public final class NormalCell extends Module {
    private final LayerNorm norm1, norm2;
    private final TokenAttention attn;
    private final Mlp mlp;
    private final ParallelConv pcm;
    private final int side;
    private final float dropPath;

    public NormalCell(int dim, int heads, int hidden, int pcmGroups, boolean withPcm, int side, float dropPath,
                      Init linearInit) {
        this.side = side;
        this.dropPath = dropPath;
        norm1 = child("norm1", new LayerNorm(dim, 1e-6f));
        attn = child("attn", new TokenAttention(dim, dim, heads, false, linearInit));
        norm2 = child("norm2", new LayerNorm(dim, 1e-6f));
        mlp = child("mlp", new Mlp(dim, hidden, linearInit));
        pcm = withPcm ? child("PCM", ParallelConv.normal(dim, hidden, pcmGroups)) : null;
    }

    /** {@code x (B, 1 + side^2, C)}. */
    public Tensor forward(Graph g, Tensor x) {
        int B = x.dim(0), C = x.dim(2);
        Tensor branch = attn.forward(g, norm1.forward(g, x));
        if (pcm != null) {
            Tensor map = Shapes.toMap(g, Shapes.removeToken(g, x), side, side);
            Tensor conv = Shapes.toTokens(g, pcm.forward(g, map)).view(B, side * side, C);
            branch = Pointwise.add(g, branch, Shapes.concat(g, 1, g.zeros(B, 1, C), conv));
        }
        x = Pointwise.add(g, x, Pointwise.dropPath(g, branch, dropPath));
        return Pointwise.add(g, x, Pointwise.dropPath(g, mlp.forward(g, norm2.forward(g, x)), dropPath));
    }
}
