package hybridlab.nn.ops;

import hybridlab.kernels.Activation;
import hybridlab.kernels.Dropout;
import hybridlab.kernels.Elementwise;
import hybridlab.kernels.Slice;
import hybridlab.kernels.Softmax;
import hybridlab.nn.Graph;
import hybridlab.nn.Tensor;
import java.util.Arrays;

/** Elementwise ops: activations, scaling, residual add, product, dropout and stochastic depth. */
public final class Pointwise {
    private Pointwise() {
    }

    public static Tensor gelu(Graph g, Tensor x) {
        return activation(g, x, Activation.Kind.GELU);
    }

    public static Tensor silu(Graph g, Tensor x) {
        return activation(g, x, Activation.Kind.SILU);
    }

    public static Tensor sigmoid(Graph g, Tensor x) {
        return activation(g, x, Activation.Kind.SIGMOID);
    }

    public static Tensor activation(Graph g, Tensor x, Activation.Kind kind) {
        Tensor y = g.like(new Tensor[] {x}, x.shape());
        g.emit(new Activation.Forward(kind, x.data(), y.data(), x.size()));
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy != null && x.requiresGrad()) {
                Graph.GradTarget dx = g.grad(x);
                g.emit(new Activation.Backward(kind, x.data(), dy, dx.slice(), x.size(), dx.accumulate()));
            }
        });
        return y;
    }

    /** {@code alpha * x}. */
    public static Tensor scale(Graph g, Tensor x, float alpha) {
        Tensor y = g.like(new Tensor[] {x}, x.shape());
        g.emit(new Elementwise.Scale(x.data(), y.data(), x.size(), alpha, false));
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy != null && x.requiresGrad()) {
                Graph.GradTarget dx = g.grad(x);
                g.emit(new Elementwise.Scale(dy, dx.slice(), x.size(), alpha, dx.accumulate()));
            }
        });
        return y;
    }

    /** Softmax along dimension {@code dim}. */
    public static Tensor softmax(Graph g, Tensor x, int dim) {
        int[] shape = x.shape();
        int d = dim < 0 ? shape.length + dim : dim;
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) {
            outer *= shape[i];
        }
        for (int i = d + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        int n = shape[d], o = outer, in = inner;
        Tensor y = g.like(new Tensor[] {x}, shape);
        g.emit(new Softmax.Forward(x.data(), y.data(), o, n, in));
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy != null && x.requiresGrad()) {
                Graph.GradTarget dx = g.grad(x);
                g.emit(new Softmax.Backward(y.data(), dy, dx.slice(), o, n, in, dx.accumulate()));
            }
        });
        return y;
    }

    /** {@code a + b} for tensors of the same shape (the residual connection). */
    public static Tensor add(Graph g, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("add of " + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
        Tensor y = g.like(new Tensor[] {a, b}, a.shape());
        g.emit(new Elementwise.Add(a.data(), b.data(), y.data(), a.size()));
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy == null) {
                return;
            }
            for (Tensor t : new Tensor[] {a, b}) {
                if (t.requiresGrad()) {
                    Graph.GradTarget dt = g.grad(t);
                    g.emit(Elementwise.Copy.of(dy, dt.slice(), dt.accumulate()));
                }
            }
        });
        return y;
    }

    /**
     * {@code y[b, ...] = x[b, ...] + t[...]}: adds {@code t} (x without its batch dimension) to
     * every sample, e.g. a position encoding.
     */
    public static Tensor addBroadcast(Graph g, Tensor x, Tensor t) {
        int B = x.dim(0), per = x.size() / B;
        if (t.size() != per) {
            throw new IllegalArgumentException("broadcast add of " + t.size() + " values to samples of " + per);
        }
        Tensor y = g.like(new Tensor[] {x, t}, x.shape());
        g.emit(Elementwise.Copy.of(x.data(), y.data(), false));
        g.emit(new Elementwise.Copy(t.data(), 0, y.data(), per, B, per, true));
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy == null) {
                return;
            }
            if (t.requiresGrad()) {
                Graph.GradTarget dt = g.grad(t);
                g.emit(new hybridlab.kernels.Rows.SumRows(dy, B, per, dt.slice(), dt.accumulate()));
            }
            if (x.requiresGrad()) {
                Graph.GradTarget dx = g.grad(x);
                g.emit(Elementwise.Copy.of(dy, dx.slice(), dx.accumulate()));
            }
        });
        return y;
    }

    /** Elementwise {@code a * b} for tensors of the same size. */
    public static Tensor mul(Graph g, Tensor a, Tensor b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("mul of sizes " + a.size() + " and " + b.size());
        }
        Tensor y = g.like(new Tensor[] {a, b}, a.shape());
        g.emit(new Elementwise.Mul(a.data(), b.data(), y.data(), a.size(), false));
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy == null) {
                return;
            }
            if (a.requiresGrad()) {
                Graph.GradTarget da = g.grad(a);
                g.emit(new Elementwise.Mul(dy, b.data(), da.slice(), a.size(), da.accumulate()));
            }
            if (b.requiresGrad()) {
                Graph.GradTarget db = g.grad(b);
                g.emit(new Elementwise.Mul(dy, a.data(), db.slice(), b.size(), db.accumulate()));
            }
        });
        return y;
    }

    /** Dropout with drop probability {@code p}; identity in evaluation or when {@code p == 0}. */
    public static Tensor dropout(Graph g, Tensor x, float p) {
        return mask(g, x, p, 1);
    }

    /**
     * Stochastic depth: drops a whole sample's residual branch with probability {@code p} and
     * scales survivors by {@code 1 / (1 - p)}.
     */
    public static Tensor dropPath(Graph g, Tensor x, float p) {
        return mask(g, x, p, x.size() / x.dim(0));
    }

    private static Tensor mask(Graph g, Tensor x, float p, int group) {
        if (p < 0f || p >= 1f) {
            throw new IllegalArgumentException("drop probability must be in [0, 1), got " + p);
        }
        if (!g.training() || p == 0f) {
            return x;
        }
        float keep = 1f - p;
        int site = g.nextSite();
        Tensor y = g.like(new Tensor[] {x}, x.shape());
        g.emit(new Dropout.Forward(x.data(), y.data(), x.size(), group, keep, site, g.hyper()));
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy != null && x.requiresGrad()) {
                Graph.GradTarget dx = g.grad(x);
                g.emit(new Dropout.Backward(dy, dx.slice(), x.size(), group, keep, site, g.hyper(), dx.accumulate()));
            }
        });
        return y;
    }
}
