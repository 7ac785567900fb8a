package hybridlab.nn.layers;

import hybridlab.nn.Graph;
import hybridlab.nn.Init;
import hybridlab.nn.Module;
import hybridlab.nn.Param;
import hybridlab.nn.Tensor;
import hybridlab.nn.ops.Normalization;

/** Layer norm over the last dimension. */
public final class LayerNorm extends Module {
    private final Param weight, bias;
    private final float eps;

    public LayerNorm(int features, float eps) {
        this.weight = param("weight", Init.ONES, false, features);
        this.bias = param("bias", Init.ZEROS, false, features);
        this.eps = eps;
    }

    /** PyTorch's default epsilon, 1e-5. */
    public LayerNorm(int features) {
        this(features, 1e-5f);
    }

    public Tensor forward(Graph g, Tensor x) {
        return Normalization.layerNorm(g, x, g.param(weight), g.param(bias), eps);
    }
}
