package hybridlab.nn.ops;

import hybridlab.kernels.Loss;
import hybridlab.kernels.Slice;
import hybridlab.nn.Graph;
import hybridlab.nn.Tensor;

/** The classification loss; in training it also writes the logits' gradient (mean over the batch). */
public final class Losses {
    private Losses() {
    }

    /**
     * Cross-entropy with label smoothing of logits {@code (B, K)} against int labels; writes
     * {@code [sum of losses, number of hits]} into {@code metrics}. Labels below zero mark padding.
     */
    public static void crossEntropy(Graph g, Tensor logits, Slice labels, float smoothing, Slice metrics) {
        int B = logits.dim(0), K = logits.dim(1);
        Slice rowLoss = g.scratch(B), rowHit = g.scratch(B);
        Slice dlogits = null;
        if (g.training() && logits.requiresGrad()) {
            dlogits = g.grad(logits).slice();
        }
        g.emit(new Loss.CrossEntropy(logits.data(), labels, rowLoss, rowHit, dlogits, B, K, smoothing, 1f / B));
        g.emit(new Loss.Sum(rowLoss, rowHit, metrics, B));
    }
}
