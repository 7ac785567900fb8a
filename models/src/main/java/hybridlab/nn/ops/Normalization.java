package hybridlab.nn.ops;

import hybridlab.kernels.Activation;
import hybridlab.kernels.BatchNorm;
import hybridlab.kernels.LayerNorm;
import hybridlab.kernels.Slice;
import hybridlab.nn.Graph;
import hybridlab.nn.Tensor;

/** Batch normalisation (NCHW) and layer normalisation (last dimension). */
public final class Normalization {
    private Normalization() {
    }

    /**
     * Batch norm of x {@code (B, C, H, W)}, then {@code act} (null for none) in the same kernel:
     * batch statistics when training (updating the running ones), running statistics in
     * evaluation.
     */
    public static Tensor batchNorm(Graph g, Tensor x, Tensor gamma, Tensor beta, Tensor runMean, Tensor runVar,
                                   float eps, float momentum, Activation.Kind act) {
        int B = x.dim(0), C = x.dim(1), hw = x.size() / (B * C);
        Tensor y = g.like(new Tensor[] {x, gamma, beta}, x.shape());
        if (!g.training()) {
            g.emit(new BatchNorm.Eval(x.data(), gamma.data(), beta.data(), runMean.data(), runVar.data(), y.data(), B, C, hw, eps, act));
            return y;
        }
        Slice mean = g.scratch(C), rstd = g.scratch(C);
        g.emit(new BatchNorm.Train(x.data(), gamma.data(), beta.data(), y.data(), mean, rstd,
                runMean.data(), runVar.data(), B, C, hw, eps, momentum, act));
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy == null) {
                return;
            }
            Graph.GradTarget dg = g.grad(gamma), db = g.grad(beta);
            if (dg.accumulate() != db.accumulate()) {
                throw new IllegalStateException("batch-norm gamma and beta gradients out of step");
            }
            Graph.GradTarget dx = x.requiresGrad() ? g.grad(x) : new Graph.GradTarget(g.scratch(x.size()), false);
            g.emit(new BatchNorm.Backward(x.data(), dy, gamma.data(), beta.data(), mean, rstd, dx.slice(), dg.slice(),
                    db.slice(), B, C, hw, dx.accumulate(), dg.accumulate(), act));
        });
        return y;
    }

    /** Layer norm over the last dimension of x. */
    public static Tensor layerNorm(Graph g, Tensor x, Tensor gamma, Tensor beta, float eps) {
        int cols = x.dim(-1), rows = x.size() / cols;
        if (gamma.size() != cols) {
            throw new IllegalArgumentException("layer norm over " + cols + " features with " + gamma.size() + " weights");
        }
        Tensor y = g.like(new Tensor[] {x, gamma, beta}, x.shape());
        Slice mean = g.scratch(rows), rstd = g.scratch(rows);
        g.emit(new LayerNorm.Forward(x.data(), gamma.data(), beta.data(), y.data(), mean, rstd, rows, cols, eps));
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy == null) {
                return;
            }
            if (gamma.requiresGrad()) {
                Graph.GradTarget dg = g.grad(gamma), db = g.grad(beta);
                g.emit(new LayerNorm.ParamGrad(x.data(), dy, mean, rstd, dg.slice(), db.slice(), rows, cols, dg.accumulate()));
            }
            if (x.requiresGrad()) {
                Graph.GradTarget dx = g.grad(x);
                g.emit(new LayerNorm.Backward(x.data(), dy, gamma.data(), mean, rstd, dx.slice(), rows, cols, dx.accumulate()));
            }
        });
        return y;
    }
}
