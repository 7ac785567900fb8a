package hybridlab.kernels;

/**
 * Optimizer steps over the flat parameter block: global gradient-norm clipping (partial sums
 * over fixed chunks, then one ordered sum) and AdamW with decoupled weight decay applied only
 * to the first {@code decayEnd} parameters (weights; norms, biases and tables come after).
 */
public final class Optim {
    private Optim() {
    }

    /** Elements per partial sum of squares; fixed so the norm is the same for every thread count. */
    public static final int CHUNK = 16384;

    public static int chunks(int n) {
        return (n + CHUNK - 1) / CHUNK;
    }

    /** {@code partials[c] = sum of g^2 over chunk c}. Items: chunks. */
    public record SquarePartials(Slice grads, Slice partials) implements Step {
        public SquarePartials {
            Elementwise.need(partials, chunks(grads.length()), "norm partials");
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(chunks(grads.length()), (from, to, w) -> {
                float[] G = grads.f(), P = partials.f();
                for (int c = from; c < to; c++) {
                    int i0 = grads.offset() + c * CHUNK, i1 = Math.min(grads.end(), i0 + CHUNK);
                    double acc = 0;
                    for (int i = i0; i < i1; i++) {
                        acc += (double) G[i] * G[i];
                    }
                    P[partials.offset() + c] = (float) acc;
                }
            });
        }
    }

    /** Writes the global norm and the clip factor {@code min(1, maxNorm / norm)} into the hyper block. */
    public record ClipScale(Slice partials, int count, Slice hyper, float maxNorm) implements Step {
        public ClipScale {
            Elementwise.need(partials, count, "norm partials");
            Elementwise.need(hyper, Hyper.SIZE, "hyper");
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(1, (from, to, w) -> {
                double sum = 0;
                for (int c = 0; c < count; c++) {
                    sum += partials.f()[partials.offset() + c];
                }
                float norm = (float) Math.sqrt(sum);
                float[] H = hyper.f();
                H[hyper.offset() + Hyper.GRAD_NORM] = norm;
                H[hyper.offset() + Hyper.CLIP] = maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-6f) : 1f;
            });
        }
    }

    /**
     * AdamW: {@code g = grad * clip; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
     * p -= lr (wd p [i < decayEnd] + (m / bias1) / (sqrt(v / bias2) + eps))}. Items: blocks.
     */
    public record AdamW(Slice params, Slice grads, Slice m, Slice v, Slice hyper, int decayEnd,
                        float beta1, float beta2, float eps, float weightDecay) implements Step {
        public AdamW {
            int n = params.length();
            Elementwise.need(grads, n, "adam grads");
            Elementwise.need(m, n, "adam m");
            Elementwise.need(v, n, "adam v");
            Elementwise.need(hyper, Hyper.SIZE, "hyper");
        }

        @Override
        public JvmTask jvm(int workers) {
            return JvmTask.elementwise(params.length(), (from, to) -> {
                float[] P = params.f(), G = grads.f(), M = m.f(), V = v.f(), H = hyper.f();
                float lr = H[hyper.offset() + Hyper.LR], clip = H[hyper.offset() + Hyper.CLIP];
                float bc1 = H[hyper.offset() + Hyper.BIAS1], bc2 = H[hyper.offset() + Hyper.BIAS2];
                for (int i = from; i < to; i++) {
                    float g = G[grads.offset() + i] * clip;
                    float mi = beta1 * M[m.offset() + i] + (1f - beta1) * g;
                    float vi = beta2 * V[v.offset() + i] + (1f - beta2) * g * g;
                    M[m.offset() + i] = mi;
                    V[v.offset() + i] = vi;
                    float p = P[params.offset() + i];
                    float decay = i < decayEnd ? weightDecay * p : 0f;
                    P[params.offset() + i] = p - lr * (decay + (mi / bc1) / ((float) Math.sqrt(vi / bc2) + eps));
                }
            });
        }
    }
}
