package hybridlab.nn.layers;

import hybridlab.kernels.BatchNorm;
import hybridlab.nn.Graph;
import hybridlab.nn.Init;
import hybridlab.nn.Module;
import hybridlab.nn.Param;
import hybridlab.nn.Tensor;
import hybridlab.nn.ops.Convolution;

/** A 2-D convolution layer with PyTorch's parameter names ({@code weight}, {@code bias}). */
public final class Conv2d extends Module {
    private final Param weight;
    private final Param bias;
    private final int stride, pad, dil, groups;

    public Conv2d(int in, int out, int k, int stride, int pad, int dil, int groups, boolean bias) {
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("groups " + groups + " must divide " + in + " and " + out);
        }
        this.weight = param("weight", Init.CONV, true, out, in / groups, k, k);
        this.bias = bias ? param("bias", Init.ZEROS, false, out) : null;
        this.stride = stride;
        this.pad = pad;
        this.dil = dil;
        this.groups = groups;
    }

    /** Same-padded k x k convolution. */
    public static Conv2d same(int in, int out, int k, int stride, boolean bias) {
        return new Conv2d(in, out, k, stride, k / 2, 1, 1, bias);
    }

    /** Depthwise k x k convolution with same padding. */
    public static Conv2d depthwise(int channels, int k, boolean bias) {
        return new Conv2d(channels, channels, k, 1, k / 2, 1, channels, bias);
    }

    public Tensor forward(Graph g, Tensor x) {
        return Convolution.conv2d(g, x, g.param(weight), bias == null ? null : g.param(bias), stride, pad, dil, groups);
    }

    /** This convolution with an eval-mode batch norm fused into it, or null where it cannot be (see {@link Convolution#conv2dNormalized}). */
    Tensor forwardNormalized(Graph g, Tensor x, BatchNorm.RowEpilogue norm) {
        return Convolution.conv2dNormalized(g, x, g.param(weight), bias == null ? null : g.param(bias), stride, pad, dil,
                groups, norm);
    }
}
