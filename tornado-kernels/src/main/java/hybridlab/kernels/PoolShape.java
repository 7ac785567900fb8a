package hybridlab.kernels;

/** Geometry of a k x k pooling window over NCHW planes (zero padding, PyTorch's output size). */
public record PoolShape(int batch, int channels, int h, int w, int k, int stride, int pad, int oh, int ow) {
    public PoolShape {
        if (batch < 1 || channels < 1 || h < 1 || w < 1 || k < 1 || stride < 1 || pad < 0 || 2 * pad > k) {
            throw new IllegalArgumentException("bad pool shape " + batch + "x" + channels + "x" + h + "x" + w + " k" + k);
        }
        if (oh != (h + 2 * pad - k) / stride + 1 || ow != (w + 2 * pad - k) / stride + 1) {
            throw new IllegalArgumentException("pool output size does not follow from the input");
        }
    }

    /** Output size as PyTorch computes it; stored, since kernels read it in their inner loops. */
    public PoolShape(int batch, int channels, int h, int w, int k, int stride, int pad) {
        this(batch, channels, h, w, k, stride, pad, (h + 2 * pad - k) / stride + 1, (w + 2 * pad - k) / stride + 1);
    }

    public int planes() {
        return batch * channels;
    }

    void check(Slice in, Slice out) {
        Elementwise.need(in, (long) planes() * h * w, "pool input");
        Elementwise.need(out, (long) planes() * oh() * ow(), "pool output");
    }
}
