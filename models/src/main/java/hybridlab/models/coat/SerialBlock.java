package hybridlab.models.coat;

import hybridlab.nn.Graph;
import hybridlab.nn.Module;
import hybridlab.nn.Tensor;
import hybridlab.nn.layers.LayerNorm;
import hybridlab.nn.layers.Mlp;
import hybridlab.nn.ops.Pointwise;

/** {@code x = CPE(x); x = x + FA_CRPE(LN(x)); x = x + MLP(LN(x))}, LayerNorm eps 1e-6. */
public final class SerialBlock extends Module {
    private final ConvPosEnc cpe;
    private final LayerNorm norm1, norm2;
    private final FactorAttCrpe att;
    private final Mlp mlp;
    private final float dropPath;

    public SerialBlock(int dim, int heads, int mlpRatio, ConvPosEnc sharedCpe, ConvRelPosEnc sharedCrpe, float dropPath) {
        this.cpe = sharedCpe;
        this.dropPath = dropPath;
        norm1 = child("norm1", new LayerNorm(dim, 1e-6f));
        att = child("factoratt_crpe", new FactorAttCrpe(dim, heads, sharedCrpe));
        norm2 = child("norm2", new LayerNorm(dim, 1e-6f));
        mlp = child("mlp", new Mlp(dim, dim * mlpRatio));
    }

    public Tensor forward(Graph g, Tensor x, int h, int w) {
        if (cpe != null) {
            x = cpe.forward(g, x, h, w);
        }
        x = Pointwise.add(g, x, Pointwise.dropPath(g, att.forward(g, norm1.forward(g, x), h, w), dropPath));
        return Pointwise.add(g, x, Pointwise.dropPath(g, mlp.forward(g, norm2.forward(g, x)), dropPath));
    }
}
