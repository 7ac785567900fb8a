package hybridlab.nn.layers;

import hybridlab.nn.Graph;
import hybridlab.nn.Init;
import hybridlab.nn.Module;
import hybridlab.nn.Tensor;
import hybridlab.nn.ops.Pointwise;

/** Transformer feed-forward {@code fc1 GELU fc2} with biases (timm / CoaT / ViTAE naming). */
public final class Mlp extends Module {
    private final Linear fc1, fc2;

    public Mlp(int width, int hidden) {
        this(width, hidden, Init.LINEAR);
    }

    public Mlp(int width, int hidden, Init weightInit) {
        fc1 = child("fc1", new Linear(width, hidden, true, weightInit));
        fc2 = child("fc2", new Linear(hidden, width, true, weightInit));
    }

    public Tensor forward(Graph g, Tensor x) {
        return fc2.forward(g, Pointwise.gelu(g, fc1.forward(g, x)));
    }
}
