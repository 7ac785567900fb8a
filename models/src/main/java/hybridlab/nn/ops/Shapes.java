package hybridlab.nn.ops;

import hybridlab.kernels.Channels;
import hybridlab.kernels.Elementwise;
import hybridlab.kernels.Rows;
import hybridlab.kernels.Slice;
import hybridlab.nn.Graph;
import hybridlab.nn.Tensor;
import java.util.Arrays;

/** Layout changes: NCHW and token sequences, concat/split, CLS insert/remove, channel gating. */
public final class Shapes {
    private Shapes() {
    }

    /** {@code (B, C, H, W) -> (B, H*W, C)}. */
    public static Tensor toTokens(Graph g, Tensor x) {
        int B = x.dim(0), C = x.dim(1), n = x.size() / (B * C);
        return transpose(g, x, B, C, n, B, n, C);
    }

    /** {@code (B, H*W, C) -> (B, C, H, W)}. */
    public static Tensor toMap(Graph g, Tensor x, int h, int w) {
        int B = x.dim(0), n = x.dim(1), C = x.dim(2);
        if (n != h * w) {
            throw new IllegalArgumentException(n + " tokens do not form a " + h + "x" + w + " map");
        }
        return transpose(g, x, B, n, C, B, C, h, w);
    }

    private static Tensor transpose(Graph g, Tensor x, int batch, int rows, int cols, int... outShape) {
        Tensor y = g.like(new Tensor[] {x}, outShape);
        g.emit(new Rows.Transpose(x.data(), y.data(), batch, rows, cols, false));
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy != null && x.requiresGrad()) {
                Graph.GradTarget dx = g.grad(x);
                g.emit(new Rows.Transpose(dy, dx.slice(), batch, cols, rows, dx.accumulate()));
            }
        });
        return y;
    }

    /** Concatenation along dimension {@code dim} of tensors equal in every other dimension. */
    public static Tensor concat(Graph g, int dim, Tensor... parts) {
        int[] shape = parts[0].shape();
        int outer = outerSize(shape, dim);
        int total = 0;
        for (Tensor t : parts) {
            int[] s = t.shape();
            s[dim] = shape[dim];
            if (!Arrays.equals(s, shape)) {
                throw new IllegalArgumentException("concat along " + dim + " of mismatched shapes");
            }
            total += t.size() / outer;
        }
        int[] outShape = shape.clone();
        outShape[dim] = 0;
        for (Tensor t : parts) {
            outShape[dim] += t.dim(dim);
        }
        Tensor y = g.like(parts, outShape);
        int at = 0;
        int[] offsets = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            int inner = parts[i].size() / outer;
            offsets[i] = at;
            g.emit(new Elementwise.Copy(parts[i].data(), inner, y.data().sub(at, y.size() - at), total, outer, inner, false));
            at += inner;
        }
        int stride = total, blocks = outer;
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy == null) {
                return;
            }
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].requiresGrad()) {
                    int inner = parts[i].size() / blocks;
                    Graph.GradTarget dp = g.grad(parts[i]);
                    g.emit(new Elementwise.Copy(dy.sub(offsets[i], dy.length() - offsets[i]), stride, dp.slice(), inner,
                            blocks, inner, dp.accumulate()));
                }
            }
        });
        return y;
    }

    private static int outerSize(int[] shape, int dim) {
        int outer = 1;
        for (int i = 0; i < dim; i++) {
            outer *= shape[i];
        }
        return outer;
    }

    /** The slice {@code [from, from + len)} of dimension {@code dim}. */
    public static Tensor narrow(Graph g, Tensor x, int dim, int from, int len) {
        int[] shape = x.shape();
        if (from < 0 || len < 1 || from + len > shape[dim]) {
            throw new IllegalArgumentException("narrow [" + from + ", " + (from + len) + ") outside " + shape[dim]);
        }
        int outer = outerSize(shape, dim);
        int inner = x.size() / outer / shape[dim];
        int[] outShape = shape.clone();
        outShape[dim] = len;
        Tensor y = g.like(new Tensor[] {x}, outShape);
        int srcStride = shape[dim] * inner, run = len * inner, skip = from * inner;
        int blocks = outer;
        g.emit(new Elementwise.Copy(x.data().sub(skip, x.size() - skip), srcStride, y.data(), run, blocks, run, false));
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy != null && x.requiresGrad()) {
                Graph.GradTarget dx = run == srcStride ? g.grad(x) : g.gradPartial(x);
                g.emit(new Elementwise.Copy(dy, run, dx.slice().sub(skip, x.size() - skip), srcStride, blocks, run,
                        dx.accumulate()));
            }
        });
        return y;
    }

    /** Prepends a learned token {@code (C)} to every sequence: {@code (B, N, C) -> (B, N+1, C)}. */
    public static Tensor insertToken(Graph g, Tensor x, Tensor token) {
        int B = x.dim(0), n = x.dim(1), C = x.dim(2);
        if (token.size() != C) {
            throw new IllegalArgumentException("token of " + token.size() + " features for width " + C);
        }
        Tensor y = g.like(new Tensor[] {x, token}, B, n + 1, C);
        int row = (n + 1) * C;
        g.emit(new Elementwise.Copy(token.data(), 0, y.data(), row, B, C, false));
        g.emit(new Elementwise.Copy(x.data(), n * C, y.data().sub(C, y.size() - C), row, B, n * C, false));
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy == null) {
                return;
            }
            if (token.requiresGrad()) {
                Graph.GradTarget dt = g.grad(token);
                g.emit(new Rows.SumRows(dy, B, C, row, dt.slice(), dt.accumulate()));
            }
            if (x.requiresGrad()) {
                Graph.GradTarget dx = g.grad(x);
                g.emit(new Elementwise.Copy(dy.sub(C, dy.length() - C), row, dx.slice(), n * C, B, n * C, dx.accumulate()));
            }
        });
        return y;
    }

    /** Drops the first token: {@code (B, N+1, C) -> (B, N, C)}. */
    public static Tensor removeToken(Graph g, Tensor x) {
        return narrow(g, x, 1, 1, x.dim(1) - 1);
    }

    /** The first token of each sequence: {@code (B, N+1, C) -> (B, C)}. */
    public static Tensor firstToken(Graph g, Tensor x) {
        return narrow(g, x, 1, 0, 1).view(x.dim(0), x.dim(2));
    }

    /** {@code y[b, c, ...] = x[b, c, ...] * s[b, c]} (squeeze-excitation gating). */
    public static Tensor channelScale(Graph g, Tensor x, Tensor s) {
        int B = x.dim(0), C = x.dim(1), hw = x.size() / (B * C);
        if (s.size() != B * C) {
            throw new IllegalArgumentException("channel scale of " + s.size() + " values for " + B + "x" + C);
        }
        Tensor y = g.like(new Tensor[] {x, s}, x.shape());
        g.emit(new Channels.Scale(x.data(), s.data(), y.data(), B, C, hw, false));
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy == null) {
                return;
            }
            if (s.requiresGrad()) {
                Graph.GradTarget ds = g.grad(s);
                g.emit(new Channels.ScaleGrad(x.data(), dy, ds.slice(), B, C, hw, ds.accumulate()));
            }
            if (x.requiresGrad()) {
                Graph.GradTarget dx = g.grad(x);
                g.emit(new Channels.Scale(dy, s.data(), dx.slice(), B, C, hw, dx.accumulate()));
            }
        });
        return y;
    }
}
