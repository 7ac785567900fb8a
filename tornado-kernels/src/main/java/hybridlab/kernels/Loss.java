package hybridlab.kernels;

/** Softmax cross-entropy with label smoothing, its gradient, and the batch's loss and hits. */
public final class Loss {
    private Loss() {
    }

    /**
     * Per row: {@code loss = logsumexp(l) - sum_c q_c l_c} with
     * {@code q = (1 - eps) onehot(label) + eps / classes}; {@code hit = argmax == label};
     * {@code dlogits = (softmax(l) - q) * gradScale} when {@code dlogits} is given. Rows whose
     * label is negative are padding: zero loss, no hit, zero gradient. Items: rows.
     */
    public record CrossEntropy(Slice logits, Slice labels, Slice rowLoss, Slice rowHit, Slice dlogits,
                               int batch, int classes, float smoothing, float gradScale) implements Step {
        public CrossEntropy {
            Elementwise.need(logits, (long) batch * classes, "ce logits");
            Elementwise.need(labels, batch, "ce labels");
            Elementwise.need(rowLoss, batch, "ce loss");
            Elementwise.need(rowHit, batch, "ce hits");
            if (dlogits != null) {
                Elementwise.need(dlogits, (long) batch * classes, "ce dlogits");
            }
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(batch, (from, to, w) -> {
                float[] L = logits.f(), RL = rowLoss.f(), RH = rowHit.f();
                int[] Y = labels.i();
                for (int i = from; i < to; i++) {
                    row(L, logits.offset() + i * classes, Y[labels.offset() + i], classes, smoothing, gradScale,
                            RL, rowLoss.offset() + i, RH, rowHit.offset() + i,
                            dlogits == null ? null : dlogits.f(), dlogits == null ? 0 : dlogits.offset() + i * classes);
                }
            });
        }
    }

    static void row(float[] l, int lo, int label, int classes, float eps, float gradScale,
                    float[] loss, int lossAt, float[] hit, int hitAt, float[] dl, int dlo) {
        if (label < 0) {
            loss[lossAt] = 0f;
            hit[hitAt] = 0f;
            if (dl != null) {
                java.util.Arrays.fill(dl, dlo, dlo + classes, 0f);
            }
            return;
        }
        float max = Float.NEGATIVE_INFINITY;
        int arg = 0;
        for (int c = 0; c < classes; c++) {
            if (l[lo + c] > max) {
                max = l[lo + c];
                arg = c;
            }
        }
        float sum = 0f, target = 0f;
        float off = eps / classes, on = 1f - eps + off;
        for (int c = 0; c < classes; c++) {
            sum += FastMath.exp(l[lo + c] - max);
            target += (c == label ? on : off) * l[lo + c];
        }
        float lse = max + (float) Math.log(sum);
        loss[lossAt] = lse - target;
        hit[hitAt] = arg == label ? 1f : 0f;
        if (dl != null) {
            for (int c = 0; c < classes; c++) {
                float p = FastMath.exp(l[lo + c] - lse);
                dl[dlo + c] = (p - (c == label ? on : off)) * gradScale;
            }
        }
    }

    /** {@code out[0] = sum of row losses, out[1] = sum of hits}, in row order. One item. */
    public record Sum(Slice rowLoss, Slice rowHit, Slice out, int batch) implements Step {
        public Sum {
            Elementwise.need(rowLoss, batch, "loss sum");
            Elementwise.need(rowHit, batch, "hit sum");
            Elementwise.need(out, 2, "metrics");
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(1, (from, to, w) -> {
                float l = 0f, h = 0f;
                for (int i = 0; i < batch; i++) {
                    l += rowLoss.f()[rowLoss.offset() + i];
                    h += rowHit.f()[rowHit.offset() + i];
                }
                out.f()[out.offset()] = l;
                out.f()[out.offset() + 1] = h;
            });
        }
    }
}
