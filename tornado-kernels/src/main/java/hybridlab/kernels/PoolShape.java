package hybridlab.kernels;

/** Geometry of a k x k pooling window over NCHW planes (zero padding, PyTorch's output size). */
public record PoolShape(int batch, int channels, int h, int w, int k, int stride, int pad) {
    public PoolShape {
        if (batch < 1 || channels < 1 || h < 1 || w < 1 || k < 1 || stride < 1 || pad < 0 || 2 * pad > k) {
            throw new IllegalArgumentException("bad pool shape " + this);
        }
    }

    public int oh() {
        return (h + 2 * pad - k) / stride + 1;
    }

    public int ow() {
        return (w + 2 * pad - k) / stride + 1;
    }

    public int planes() {
        return batch * channels;
    }

    void check(Slice in, Slice out) {
        Elementwise.need(in, (long) planes() * h * w, "pool input");
        Elementwise.need(out, (long) planes() * oh() * ow(), "pool output");
    }
}
