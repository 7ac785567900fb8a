package hybridlab.models.coat;

import hybridlab.nn.Graph;
import hybridlab.nn.Module;
import hybridlab.nn.Tensor;
import hybridlab.nn.layers.Conv2d;
import hybridlab.nn.layers.LayerNorm;
import hybridlab.nn.ops.Shapes;

/** Conv with kernel = stride = patch, flattened to tokens, then LayerNorm: {@code (B,C,H,W) -> (B, HW/p^2, D)}. */
public final class PatchEmbed extends Module {
    private final Conv2d proj;
    private final LayerNorm norm;

    public PatchEmbed(int in, int dim, int patch) {
        proj = child("proj", new Conv2d(in, dim, patch, patch, 0, 1, 1, true));
        norm = child("norm", new LayerNorm(dim));
    }

    public Tensor forward(Graph g, Tensor map) {
        return norm.forward(g, Shapes.toTokens(g, proj.forward(g, map)));
    }
}
