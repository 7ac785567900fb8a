package hybridlab.nn.ops;

import hybridlab.kernels.Channels;
import hybridlab.kernels.Pool;
import hybridlab.kernels.PoolShape;
import hybridlab.kernels.Resize;
import hybridlab.kernels.Slice;
import hybridlab.nn.Graph;
import hybridlab.nn.Tensor;

/** Max, average and global average pooling, and bilinear resampling, on NCHW tensors. */
public final class Pooling {
    private Pooling() {
    }

    public static Tensor maxPool(Graph g, Tensor x, int k, int stride, int pad) {
        PoolShape s = shape(x, k, stride, pad);
        Tensor y = g.like(new Tensor[] {x}, s.batch(), s.channels(), s.oh(), s.ow());
        g.emit(new Pool.MaxForward(s, x.data(), y.data()));
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy != null && x.requiresGrad()) {
                Graph.GradTarget dx = g.grad(x);
                g.emit(new Pool.MaxBackward(s, x.data(), y.data(), dy, dx.slice(), dx.accumulate()));
            }
        });
        return y;
    }

    public static Tensor avgPool(Graph g, Tensor x, int k, int stride, int pad) {
        PoolShape s = shape(x, k, stride, pad);
        Tensor y = g.like(new Tensor[] {x}, s.batch(), s.channels(), s.oh(), s.ow());
        g.emit(new Pool.AvgForward(s, x.data(), y.data()));
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy != null && x.requiresGrad()) {
                Graph.GradTarget dx = g.grad(x);
                g.emit(new Pool.AvgBackward(s, dy, dx.slice(), dx.accumulate()));
            }
        });
        return y;
    }

    private static PoolShape shape(Tensor x, int k, int stride, int pad) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("pooling expects (B, C, H, W)");
        }
        return new PoolShape(x.dim(0), x.dim(1), x.dim(2), x.dim(3), k, stride, pad);
    }

    /** Mean over all positions of each channel: {@code (B, C, ...) -> (B, C)}. */
    public static Tensor globalAvgPool(Graph g, Tensor x) {
        int B = x.dim(0), C = x.dim(1), hw = x.size() / (B * C);
        Tensor y = g.like(new Tensor[] {x}, B, C);
        g.emit(new Channels.Mean(x.data(), y.data(), B, C, hw));
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy != null && x.requiresGrad()) {
                Graph.GradTarget dx = g.grad(x);
                g.emit(new Channels.MeanGrad(dy, dx.slice(), B, C, hw, dx.accumulate()));
            }
        });
        return y;
    }

    /** Mean over tokens: {@code (B, N, C) -> (B, C)}. */
    public static Tensor tokenMean(Graph g, Tensor x) {
        int B = x.dim(0), n = x.dim(1), C = x.dim(2);
        return globalAvgPool(g, Shapes.toMap(g, x, n, 1).view(B, C, n));
    }

    /** Bilinear resize of {@code (B, C, H, W)} to {@code (B, C, oh, ow)}, {@code align_corners=False}. */
    public static Tensor resize(Graph g, Tensor x, int oh, int ow) {
        int B = x.dim(0), C = x.dim(1), h = x.dim(2), w = x.dim(3);
        Tensor y = g.like(new Tensor[] {x}, B, C, oh, ow);
        g.emit(new Resize.Forward(x.data(), y.data(), B * C, h, w, oh, ow));
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy != null && x.requiresGrad()) {
                Graph.GradTarget dx = g.grad(x);
                g.emit(new Resize.Backward(dy, dx.slice(), B * C, h, w, oh, ow, dx.accumulate()));
            }
        });
        return y;
    }
}
