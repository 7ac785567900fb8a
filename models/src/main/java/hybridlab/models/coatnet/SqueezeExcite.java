package hybridlab.models.coatnet;

import hybridlab.nn.Graph;
import hybridlab.nn.Module;
import hybridlab.nn.Tensor;
import hybridlab.nn.layers.Linear;
import hybridlab.nn.ops.Pointwise;
import hybridlab.nn.ops.Pooling;
import hybridlab.nn.ops.Shapes;

/** Squeeze-excitation: channel gates from the global mean, {@code Linear GELU Linear sigmoid}, no biases. */
public final class SqueezeExcite extends Module {
    private final Linear fc1, fc2;

    public SqueezeExcite(int channels, int squeeze) {
        fc1 = child("fc1", new Linear(channels, squeeze, false));
        fc2 = child("fc2", new Linear(squeeze, channels, false));
    }

    public Tensor forward(Graph g, Tensor x) {
        Tensor s = Pooling.globalAvgPool(g, x);
        s = Pointwise.sigmoid(g, fc2.forward(g, Pointwise.gelu(g, fc1.forward(g, s))));
        return Shapes.channelScale(g, x, s);
    }
}
