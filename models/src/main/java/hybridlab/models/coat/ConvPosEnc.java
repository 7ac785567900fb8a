package hybridlab.models.coat;

import hybridlab.nn.Graph;
import hybridlab.nn.Module;
import hybridlab.nn.Tensor;
import hybridlab.nn.layers.Conv2d;
import hybridlab.nn.ops.Pointwise;
import hybridlab.nn.ops.Shapes;

/** CPE: a depthwise k x k conv over the image tokens plus residual; the CLS token passes through. */
public final class ConvPosEnc extends Module {
    private final Conv2d proj;

    public ConvPosEnc(int dim, int k) {
        proj = child("proj", Conv2d.depthwise(dim, k, true));
    }

    /** {@code x (B, 1 + h*w, C)}. */
    public Tensor forward(Graph g, Tensor x, int h, int w) {
        int B = x.dim(0), C = x.dim(2);
        Tensor cls = Shapes.narrow(g, x, 1, 0, 1);
        Tensor map = Shapes.toMap(g, Shapes.removeToken(g, x), h, w);
        Tensor mixed = Pointwise.add(g, proj.forward(g, map), map);
        return Shapes.concat(g, 1, cls, Shapes.toTokens(g, mixed).view(B, h * w, C));
    }
}
