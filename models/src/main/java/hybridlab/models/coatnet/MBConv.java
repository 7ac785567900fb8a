package hybridlab.models.coatnet;

import hybridlab.kernels.Activation;
import hybridlab.nn.Graph;
import hybridlab.nn.Module;
import hybridlab.nn.Tensor;
import hybridlab.nn.layers.BatchNorm2d;
import hybridlab.nn.layers.Conv2d;
import hybridlab.nn.ops.Pointwise;
import hybridlab.nn.ops.Pooling;

/**
 * CoAtNet's C block: pre-norm BN, then 1x1 expand (strided when downsampling) BN GELU,
 * depthwise 3x3 BN GELU, squeeze-excitation, 1x1 project BN. Residual {@code x + f(BN(x))};
 * a downsampling block uses {@code proj(maxpool(x)) + f(BN(x))}.
 * Names follow {@code nn.Sequential} indices: conv.0 expand, conv.3 depthwise, conv.6 SE, conv.7 project.
 */
public final class MBConv extends Module {
    private final boolean down;
    private final BatchNorm2d norm, bn1, bn2, bn3;
    private final Conv2d proj, expand, depthwise, project;
    private final SqueezeExcite se;
    private final float dropPath;

    public MBConv(int in, int out, boolean down, CoAtNetConfig cfg, float dropPath) {
        if (!down && in != out) {
            throw new IllegalArgumentException("a non-downsampling MBConv keeps its width");
        }
        int hidden = in * cfg.expand();
        this.down = down;
        this.dropPath = dropPath;
        norm = child("norm", new BatchNorm2d(in));
        proj = down ? child("proj", new Conv2d(in, out, 1, 1, 0, 1, 1, false)) : null;
        Body body = child("conv", new Body());
        expand = body.add("0", new Conv2d(in, hidden, 1, down ? 2 : 1, 0, 1, 1, false));
        bn1 = body.add("1", new BatchNorm2d(hidden));
        depthwise = body.add("3", Conv2d.depthwise(hidden, 3, false));
        bn2 = body.add("4", new BatchNorm2d(hidden));
        se = body.add("6", new SqueezeExcite(hidden, (int) (in * cfg.seRatio())));
        project = body.add("7", new Conv2d(hidden, out, 1, 1, 0, 1, 1, false));
        bn3 = body.add("8", new BatchNorm2d(out));
    }

    /** The residual branch's container, named like PyTorch's Sequential. */
    static final class Body extends Module {
        <M extends Module> M add(String index, M m) {
            return child(index, m);
        }
    }

    public Tensor forward(Graph g, Tensor x) {
        Tensor y = norm.forward(g, x);
        y = bn1.forward(g, expand, y, Activation.Kind.GELU);
        y = bn2.forward(g, depthwise, y, Activation.Kind.GELU);
        y = se.forward(g, y);
        y = bn3.forward(g, project, y, null);
        y = Pointwise.dropPath(g, y, dropPath);
        Tensor shortcut = down ? proj.forward(g, Pooling.maxPool(g, x, 3, 2, 1)) : x;
        return Pointwise.add(g, shortcut, y);
    }
}
