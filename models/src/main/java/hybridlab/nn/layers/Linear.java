package hybridlab.nn.layers;

import hybridlab.nn.Graph;
import hybridlab.nn.Init;
import hybridlab.nn.Module;
import hybridlab.nn.Param;
import hybridlab.nn.Tensor;
import hybridlab.nn.ops.Dense;

/** {@code y = x W^T + b} with W {@code (out, in)}, as PyTorch's {@code nn.Linear}. */
public final class Linear extends Module {
    private final Param weight, bias;

    public Linear(int in, int out, boolean bias) {
        this(in, out, bias, Init.LINEAR);
    }

    public Linear(int in, int out, boolean bias, Init weightInit) {
        this.weight = param("weight", weightInit, true, out, in);
        this.bias = bias ? param("bias", Init.ZEROS, false, out) : null;
    }

    public Tensor forward(Graph g, Tensor x) {
        return Dense.linear(g, x, g.param(weight), bias == null ? null : g.param(bias));
    }
}
