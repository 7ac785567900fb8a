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
 * RC: tokens from the pyramid reduction, through attention (T2T token transformer), plus the
 * PCM branch computed on the cell's input map, then an MLP:
 * {@code x = Attn(LN(PRM(m))) + PCM(m); x = x + MLP(LN(x))}. A cell without heads returns the
 * pyramid tokens.
 */
public final class ReductionCell extends Module {
    private final PyramidReduction prm;
    private final ParallelConv pcm;
    private final Attn attn;
    private final int side;

    /** The token transformer's parts, named {@code attn.norm1 / attn.attn / attn.norm2 / attn.mlp}. */
    static final class Attn extends Module {
        final LayerNorm norm1, norm2;
        final TokenAttention attn;
        final Mlp mlp;

        Attn(int in, int width, int heads, Init linearInit) {
            norm1 = child("norm1", new LayerNorm(in));
            attn = child("attn", new TokenAttention(in, width, heads, true, linearInit));
            norm2 = child("norm2", new LayerNorm(width));
            mlp = child("mlp", new Mlp(width, width, linearInit));
        }
    }

    /** {@code side}: the output map side. */
    public ReductionCell(int in, ViTAEConfig.ReductionCellSpec spec, boolean withPcm, int side, Init linearInit) {
        this.side = side;
        boolean attends = spec.heads() > 0;
        pcm = attends && withPcm ? child("PCM", ParallelConv.reduction(in, spec.embed(), spec.tokens(), spec.ratio(), 1)) : null;
        prm = child("PRM", new PyramidReduction(in, spec.embed(), spec.kernel(), spec.ratio(), spec.dilations()));
        attn = attends ? child("attn", new Attn(spec.pyramidChannels(), spec.tokens(), spec.heads(), linearInit)) : null;
    }

    /** {@code (B, C, H, W) -> (B, (H/r)(W/r), tokens)}. */
    public Tensor forward(Graph g, Tensor map) {
        Tensor x = prm.forward(g, map);
        if (attn == null) {
            return x;
        }
        x = attn.attn.forward(g, attn.norm1.forward(g, x));
        if (pcm != null) {
            Tensor conv = Shapes.toTokens(g, pcm.forward(g, map));
            x = Pointwise.add(g, x, conv.view(x.shape()));
        }
        return Pointwise.add(g, x, attn.mlp.forward(g, attn.norm2.forward(g, x)));
    }

    public int side() {
        return side;
    }
}
