package hybridlab.kernels;

/**
 * Geometry of a 2-D convolution over an NCHW batch: square kernel {@code k}, stride, zero
 * padding, dilation and channel groups (groups == cin == cout is a depthwise convolution).
 * Weights are {@code (cout, cin / groups, k, k)}, as in PyTorch.
 */
public record ConvShape(int batch, int cin, int h, int w, int cout, int k, int stride, int pad, int dil, int groups,
                        int oh, int ow) {
    /** Output size as PyTorch computes it; stored, since kernels read it in their inner loops. */
    public ConvShape(int batch, int cin, int h, int w, int cout, int k, int stride, int pad, int dil, int groups) {
        this(batch, cin, h, w, cout, k, stride, pad, dil, groups, outH(h, k, stride, pad, dil), outH(w, k, stride, pad, dil));
    }

    public ConvShape {
        if (batch < 1 || cin < 1 || h < 1 || w < 1 || cout < 1 || k < 1 || stride < 1 || pad < 0 || dil < 1 || groups < 1) {
            throw new IllegalArgumentException("bad conv shape " + batch + "x" + cin + "x" + h + "x" + w + " -> " + cout + " k" + k);
        }
        if (cin % groups != 0 || cout % groups != 0) {
            throw new IllegalArgumentException("groups " + groups + " must divide cin " + cin + " and cout " + cout);
        }
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("conv output is empty for " + h + "x" + w + " input");
        }
        if (oh != outH(h, k, stride, pad, dil) || ow != outH(w, k, stride, pad, dil)) {
            throw new IllegalArgumentException("conv output size does not follow from the input");
        }
    }

    static int outH(int size, int k, int stride, int pad, int dil) {
        return (size + 2 * pad - dil * (k - 1) - 1) / stride + 1;
    }

    public int cinPerGroup() {
        return cin / groups;
    }

    public int coutPerGroup() {
        return cout / groups;
    }

    /** Rows of the im2col matrix of one group: (cin / groups) * k * k. */
    public int patch() {
        return cinPerGroup() * k * k;
    }

    public int inSize() {
        return batch * cin * h * w;
    }

    public int outSize() {
        return batch * cout * oh() * ow();
    }

    public int weightSize() {
        return cout * patch();
    }

    /** Multiply-adds of the forward pass. */
    public long macs() {
        return (long) batch * cout * oh() * ow() * patch();
    }

    public boolean depthwise() {
        return groups == cin && groups == cout;
    }

    void check(Slice x, Slice wt, Slice y) {
        Elementwise.need(x, inSize(), "conv input");
        Elementwise.need(wt, weightSize(), "conv weight");
        Elementwise.need(y, outSize(), "conv output");
    }
}
