package hybridlab.kernels;

/**
 * Multi-head self-attention over the tokens of an {@code h x w} map with a learned relative
 * position bias {@code table[(dy + h - 1) * (2w - 1) + (dx + w - 1), head]} (CoAtNet).
 *
 * <p>Input {@code qkv} is {@code (B, N, 3, heads, d)} as a linear layer writes it; output is
 * {@code (B, N, heads * d)}. Fusion:
 * <ul>
 *   <li>{@code PRE}: {@code y_i = sum_j softmax_j(q_i.k_j / sqrt(d) + w[i-j]) v_j}</li>
 *   <li>{@code POST}: {@code y_i = sum_j (softmax_j(q_i.k_j / sqrt(d)) + w[i-j]) v_j}</li>
 *   <li>{@code NONE}: plain softmax attention.</li>
 * </ul>
 * Forward saves the softmax {@code probs (B, heads, N, N)}; backward writes the gradient that
 * reaches the bias into {@code biasSrc (B, heads, N, N)}, which {@link BiasGrad} folds into the
 * table in a fixed order. Items: (image, head).
 */
public final class RelAttention {
    private RelAttention() {
    }

    public enum Fusion { PRE, POST, NONE }

    public record Shape(int batch, int heads, int dim, int h, int w) {
        public int tokens() {
            return h * w;
        }

        public int inner() {
            return heads * dim;
        }

        public int tableRows() {
            return (2 * h - 1) * (2 * w - 1);
        }

        int rel(int i, int j) {
            return ((i / w) - (j / w) + h - 1) * (2 * w - 1) + ((i % w) - (j % w) + w - 1);
        }

        void check(Slice qkv, Slice table, Slice out, Slice probs) {
            int n = tokens();
            Elementwise.need(qkv, (long) batch * n * 3 * inner(), "attention qkv");
            Elementwise.need(out, (long) batch * n * inner(), "attention out");
            Elementwise.need(probs, (long) batch * heads * n * n, "attention probs");
            if (table != null) {
                Elementwise.need(table, (long) tableRows() * heads, "attention bias table");
            }
        }
    }

    public record Forward(Shape s, Fusion fusion, Slice qkv, Slice table, Slice out, Slice probs) implements Step {
        public Forward {
            s.check(qkv, fusion == Fusion.NONE ? null : table, out, probs);
        }

        @Override
        public String label() {
            return "RelAttention(" + fusion + ") " + s.heads() + "x" + s.tokens();
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(s.batch() * s.heads(), (from, to, wk) -> {
                for (int t = from; t < to; t++) {
                    forward(s, fusion, qkv.f(), qkv.offset(), table == null ? null : table.f(),
                            table == null ? 0 : table.offset(), out.f(), out.offset(), probs.f(), probs.offset(), t);
                }
            });
        }
    }

    static void forward(Shape s, Fusion fusion, float[] qkv, int qo, float[] table, int to, float[] out, int oo,
                        float[] probs, int po, int item) {
        int b = item / s.heads(), h = item % s.heads(), n = s.tokens(), d = s.dim(), inner = s.inner();
        int rowStride = 3 * inner;
        int q0 = qo + b * n * rowStride + h * d, k0 = q0 + inner, v0 = q0 + 2 * inner;
        int p0 = po + item * n * n;
        float scale = (float) (1.0 / Math.sqrt(d));
        for (int i = 0; i < n; i++) {
            int pr = p0 + i * n;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                float dot = 0f;
                for (int c = 0; c < d; c++) {
                    dot += qkv[q0 + i * rowStride + c] * qkv[k0 + j * rowStride + c];
                }
                float sc = dot * scale;
                if (fusion == Fusion.PRE) {
                    sc += table[to + s.rel(i, j) * s.heads() + h];
                }
                probs[pr + j] = sc;
                max = Math.max(max, sc);
            }
            float sum = 0f;
            for (int j = 0; j < n; j++) {
                float e = FastMath.exp(probs[pr + j] - max);
                probs[pr + j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            int o = oo + (b * n + i) * inner + h * d;
            for (int c = 0; c < d; c++) {
                out[o + c] = 0f;
            }
            for (int j = 0; j < n; j++) {
                float p = probs[pr + j] * inv;
                probs[pr + j] = p;
                float a = fusion == Fusion.POST ? p + table[to + s.rel(i, j) * s.heads() + h] : p;
                int vr = v0 + j * rowStride;
                for (int c = 0; c < d; c++) {
                    out[o + c] += a * qkv[vr + c];
                }
            }
        }
    }

    /** Gradients of q, k, v into {@code dqkv}; bias gradient sources into {@code biasSrc}. */
    public record Backward(Shape s, Fusion fusion, Slice qkv, Slice table, Slice probs, Slice dout,
                           Slice dqkv, Slice biasSrc, boolean accumulate) implements Step {
        public Backward {
            s.check(qkv, fusion == Fusion.NONE ? null : table, dout, probs);
            s.check(dqkv, null, dout, fusion == Fusion.NONE ? probs : biasSrc);
        }

        @Override
        public JvmTask jvm(int workers) {
            int n = s.tokens();
            float[][] scratch = new float[workers][n * n];
            return new JvmTask(s.batch() * s.heads(), (from, to, wk) -> {
                for (int t = from; t < to; t++) {
                    backward(this, scratch[wk], t);
                }
            });
        }
    }

    static void backward(Backward st, float[] ds, int item) {
        Shape s = st.s;
        float[] qkv = st.qkv.f(), P = st.probs.f(), dout = st.dout.f(), dqkv = st.dqkv.f();
        float[] table = st.table == null ? null : st.table.f();
        int b = item / s.heads(), h = item % s.heads(), n = s.tokens(), d = s.dim(), inner = s.inner();
        int rowStride = 3 * inner;
        int q0 = st.qkv.offset() + b * n * rowStride + h * d, k0 = q0 + inner, v0 = q0 + 2 * inner;
        int g0 = st.dqkv.offset() + b * n * rowStride + h * d, gk0 = g0 + inner, gv0 = g0 + 2 * inner;
        int p0 = st.probs.offset() + item * n * n;
        int src0 = st.biasSrc == null ? 0 : st.biasSrc.offset() + item * n * n;
        float[] src = st.biasSrc == null ? null : st.biasSrc.f();
        float scale = (float) (1.0 / Math.sqrt(d));
        if (!st.accumulate) {
            for (int i = 0; i < n; i++) {
                java.util.Arrays.fill(dqkv, g0 + i * rowStride, g0 + i * rowStride + d, 0f);
                java.util.Arrays.fill(dqkv, gk0 + i * rowStride, gk0 + i * rowStride + d, 0f);
                java.util.Arrays.fill(dqkv, gv0 + i * rowStride, gv0 + i * rowStride + d, 0f);
            }
        }
        for (int i = 0; i < n; i++) {
            int o = st.dout.offset() + (b * n + i) * inner + h * d;
            int pr = p0 + i * n;
            // dA[i, j] = dout_i . v_j ; dV_j += A[i, j] dout_i
            float dot = 0f;
            for (int j = 0; j < n; j++) {
                float p = P[pr + j];
                float a = st.fusion == Fusion.POST ? p + table[st.table.offset() + s.rel(i, j) * s.heads() + h] : p;
                int vr = v0 + j * rowStride, gvr = gv0 + j * rowStride;
                float da = 0f;
                for (int c = 0; c < d; c++) {
                    da += dout[o + c] * qkv[vr + c];
                    dqkv[gvr + c] += a * dout[o + c];
                }
                ds[i * n + j] = da;
                dot += da * p;
                if (st.fusion == Fusion.POST) {
                    src[src0 + i * n + j] = da;
                }
            }
            for (int j = 0; j < n; j++) {
                float v = P[pr + j] * (ds[i * n + j] - dot);
                ds[i * n + j] = v;
                if (st.fusion == Fusion.PRE) {
                    src[src0 + i * n + j] = v;
                }
            }
        }
        // dQ_i = scale sum_j dS[i, j] k_j ; dK_j = scale sum_i dS[i, j] q_i
        for (int i = 0; i < n; i++) {
            int gq = g0 + i * rowStride;
            for (int j = 0; j < n; j++) {
                float v = ds[i * n + j] * scale;
                int kr = k0 + j * rowStride, qr = q0 + i * rowStride, gk = gk0 + j * rowStride;
                for (int c = 0; c < d; c++) {
                    dqkv[gq + c] += v * qkv[kr + c];
                    dqkv[gk + c] += v * qkv[qr + c];
                }
            }
        }
    }

    /** {@code dtable[r, head] (+)= sum over images and (i, j) with rel(i, j) = r of biasSrc}. Items: heads. */
    public record BiasGrad(Shape s, Slice biasSrc, Slice dtable, boolean accumulate) implements Step {
        public BiasGrad {
            Elementwise.need(biasSrc, (long) s.batch() * s.heads() * s.tokens() * s.tokens(), "bias grad src");
            Elementwise.need(dtable, (long) s.tableRows() * s.heads(), "bias grad table");
        }

        @Override
        public JvmTask jvm(int workers) {
            return new JvmTask(s.heads(), (from, to, wk) -> {
                float[] src = biasSrc.f(), dt = dtable.f();
                int n = s.tokens();
                for (int h = from; h < to; h++) {
                    if (!accumulate) {
                        for (int r = 0; r < s.tableRows(); r++) {
                            dt[dtable.offset() + r * s.heads() + h] = 0f;
                        }
                    }
                    for (int b = 0; b < s.batch(); b++) {
                        int base = biasSrc.offset() + (b * s.heads() + h) * n * n;
                        for (int i = 0; i < n; i++) {
                            for (int j = 0; j < n; j++) {
                                dt[dtable.offset() + s.rel(i, j) * s.heads() + h] += src[base + i * n + j];
                            }
                        }
                    }
                }
            });
        }
    }
}
