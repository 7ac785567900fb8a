package hybridlab.models.coat;

import hybridlab.nn.Graph;
import hybridlab.nn.Module;
import hybridlab.nn.Tensor;
import hybridlab.nn.layers.LayerNorm;
import hybridlab.nn.layers.Mlp;
import hybridlab.nn.ops.Pointwise;
import hybridlab.nn.ops.Pooling;
import hybridlab.nn.ops.Shapes;

/**
 * CoaT's parallel block over the three coarser scales (stages 2-4): each scale attends on its
 * own (CPE and CRPE shared with its stage), then every scale adds the other scales' attention
 * outputs bilinearly resized to its own size ("feature interpolation"), then one MLP shared by
 * all scales. Each resized output keeps its own CLS token, as in the reference code.
 */
public final class ParallelBlock extends Module {
    private final ConvPosEnc[] cpes;
    private final LayerNorm[] norm1 = new LayerNorm[3], norm2 = new LayerNorm[3];
    private final FactorAttCrpe[] att = new FactorAttCrpe[3];
    private final Mlp mlp;
    private final float dropPath;

    /** {@code cpes}/{@code crpes} of stages 2-4 (entries may be null when switched off). */
    public ParallelBlock(int dim, int heads, int mlpRatio, ConvPosEnc[] cpes, ConvRelPosEnc[] crpes, float dropPath) {
        this.cpes = cpes.clone();
        this.dropPath = dropPath;
        for (int i = 0; i < 3; i++) {
            norm1[i] = child("norm1" + (i + 2), new LayerNorm(dim, 1e-6f));
        }
        for (int i = 0; i < 3; i++) {
            att[i] = child("factoratt_crpe" + (i + 2), new FactorAttCrpe(dim, heads, crpes[i]));
        }
        for (int i = 0; i < 3; i++) {
            norm2[i] = child("norm2" + (i + 2), new LayerNorm(dim, 1e-6f));
        }
        mlp = child("mlp2", new Mlp(dim, dim * mlpRatio));  // the reference shares mlp2 = mlp3 = mlp4
    }

    /** {@code xs}: tokens (with CLS) of stages 2-4; {@code sides}: their map sides. Returns the updated three. */
    public Tensor[] forward(Graph g, Tensor[] xs, int[] sides) {
        Tensor[] x = xs.clone(), cur = new Tensor[3];
        for (int i = 0; i < 3; i++) {
            if (cpes[i] != null) {
                x[i] = cpes[i].forward(g, x[i], sides[i], sides[i]);
            }
            cur[i] = att[i].forward(g, norm1[i].forward(g, x[i]), sides[i], sides[i]);
        }
        Tensor[] mixed = new Tensor[3];
        for (int i = 0; i < 3; i++) {
            Tensor sum = cur[i];
            for (int j = 0; j < 3; j++) {
                if (j != i) {
                    sum = Pointwise.add(g, sum, resize(g, cur[j], sides[j], sides[i]));
                }
            }
            mixed[i] = sum;
        }
        for (int i = 0; i < 3; i++) {
            x[i] = Pointwise.add(g, x[i], Pointwise.dropPath(g, mixed[i], dropPath));
            x[i] = Pointwise.add(g, x[i], Pointwise.dropPath(g, mlp.forward(g, norm2[i].forward(g, x[i])), dropPath));
        }
        return x;
    }

    /** Bilinear resize of the image tokens from a {@code from x from} to a {@code to x to} map; CLS kept. */
    static Tensor resize(Graph g, Tensor x, int from, int to) {
        int B = x.dim(0), C = x.dim(2);
        Tensor cls = Shapes.narrow(g, x, 1, 0, 1);
        Tensor map = Shapes.toMap(g, Shapes.removeToken(g, x), from, from);
        Tensor tokens = Shapes.toTokens(g, Pooling.resize(g, map, to, to));
        return Shapes.concat(g, 1, cls, tokens.view(B, to * to, C));
    }
}
