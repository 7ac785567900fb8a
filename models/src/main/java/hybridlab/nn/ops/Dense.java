package hybridlab.nn.ops;

import hybridlab.kernels.Gemm;
import hybridlab.kernels.MatView;
import hybridlab.kernels.Rows;
import hybridlab.kernels.Slice;
import hybridlab.nn.Graph;
import hybridlab.nn.Tensor;

/** Linear layers over the last dimension. */
public final class Dense {
    private Dense() {
    }

    /**
     * {@code y = x W^T + b}: x {@code (..., in)}, W {@code (out, in)} as in PyTorch, b {@code (out)}
     * or null; y {@code (..., out)}.
     */
    public static Tensor linear(Graph g, Tensor x, Tensor w, Tensor b) {
        int in = w.dim(1), out = w.dim(0);
        if (x.dim(-1) != in) {
            throw new IllegalArgumentException("linear expects " + in + " input features, got " + x.dim(-1));
        }
        int rows = x.size() / in;
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        Tensor y = g.like(new Tensor[] {x, w, b}, shape);
        g.emit(new Gemm(MatView.rowMajor(x.data(), in, 0), new MatView(w.data(), 1, in, 0),
                MatView.rowMajor(y.data(), out, 0), 1, rows, out, in, false,
                b == null ? null : b.data(), b == null ? Gemm.BiasMode.NONE : Gemm.BiasMode.COL));
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy == null) {
                return;
            }
            if (b != null && b.requiresGrad()) {
                Graph.GradTarget db = g.grad(b);
                g.emit(new Rows.SumRows(dy, rows, out, db.slice(), db.accumulate()));
            }
            if (w.requiresGrad()) {
                // dW (out x in) = dY^T (out x rows) . X (rows x in)
                Graph.GradTarget dw = g.grad(w);
                g.emit(Gemm.of(new MatView(dy, 1, out, 0), MatView.rowMajor(x.data(), in, 0),
                        MatView.rowMajor(dw.slice(), in, 0), 1, out, in, rows, dw.accumulate()));
            }
            if (x.requiresGrad()) {
                // dX (rows x in) = dY (rows x out) . W (out x in)
                Graph.GradTarget dx = g.grad(x);
                g.emit(Gemm.of(MatView.rowMajor(dy, out, 0), MatView.rowMajor(w.data(), in, 0),
                        MatView.rowMajor(dx.slice(), in, 0), 1, rows, in, out, dx.accumulate()));
            }
        });
        return y;
    }
}
