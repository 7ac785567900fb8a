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

        /** Q K^T and A V. */
        @Override
        public long macs() {
            return 2L * s.batch() * s.heads() * s.tokens() * s.tokens() * s.dim();
        }

        @Override
        public JvmTask jvm(int workers) {
            Gemm.Workspace[] ws = Gemm.Workspace.perWorker(workers);
            return new JvmTask(s.batch() * s.heads(), (from, to, wk) -> {
                for (int t = from; t < to; t++) {
                    forward(this, t, ws[wk]);
                }
            });
        }
    }

    /**
     * One (image, head): {@code S = Q K^T} and {@code Y = A V} as GEMM blocks on the packed
     * operands, the bias and softmax row by row in between ({@code A = P}, or {@code P + W}
     * after the softmax, built in the output's scratch rows).
     */
    static void forward(Forward f, int item, Gemm.Workspace ws) {
        Shape s = f.s;
        int b = item / s.heads(), h = item % s.heads(), n = s.tokens(), d = s.dim(), inner = s.inner(), row = 3 * inner;
        float[] X = f.qkv.f(), P = f.probs.f();
        int q0 = f.qkv.offset() + b * n * row + h * d, k0 = q0 + inner, v0 = q0 + 2 * inner;
        int p0 = f.probs.offset() + item * n * n;
        float scale = (float) (1.0 / Math.sqrt(d));
        Gemm.block(X, q0, row, 1, X, k0, 1, row, P, p0, n, 1, n, n, d, false, ws);
        float[] table = f.table == null ? null : f.table.f();
        int to = f.table == null ? 0 : f.table.offset();
        for (int i = 0; i < n; i++) {
            int pr = p0 + i * n;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                float sc = P[pr + j] * scale;
                if (f.fusion == Fusion.PRE) {
                    sc += table[to + s.rel(i, j) * s.heads() + h];
                }
                P[pr + j] = sc;
                max = Math.max(max, sc);
            }
            float sum = 0f;
            for (int j = 0; j < n; j++) {
                float e = FastMath.exp(P[pr + j] - max);
                P[pr + j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int j = 0; j < n; j++) {
                P[pr + j] *= inv;
            }
        }
        float[] A = P;
        int a0 = p0;
        if (f.fusion == Fusion.POST) {
            A = ws.scratch(n * n);
            a0 = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    A[i * n + j] = P[p0 + i * n + j] + table[to + s.rel(i, j) * s.heads() + h];
                }
            }
        }
        int o0 = f.out.offset() + b * n * inner + h * d;
        Gemm.block(A, a0, n, 1, X, v0, row, 1, f.out.f(), o0, inner, 1, n, d, n, false, ws);
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
            Gemm.Workspace[] ws = Gemm.Workspace.perWorker(workers);
            return new JvmTask(s.batch() * s.heads(), (from, to, wk) -> {
                for (int t = from; t < to; t++) {
                    backward(this, t, ws[wk]);
                }
            });
        }
    }

    /**
     * One (image, head), as GEMM blocks: {@code dV = A^T dY}, {@code dA = dY V^T}, the softmax
     * backward {@code dS = P o (dP - rowsum(dP o P))} (with {@code dP = dA}), then
     * {@code dQ = scale dS K}, {@code dK = scale dS^T Q}.
     */
    static void backward(Backward f, int item, Gemm.Workspace ws) {
        Shape s = f.s;
        int b = item / s.heads(), h = item % s.heads(), n = s.tokens(), d = s.dim(), inner = s.inner(), row = 3 * inner;
        float[] X = f.qkv.f(), P = f.probs.f(), G = f.dqkv.f(), DY = f.dout.f();
        int q0 = f.qkv.offset() + b * n * row + h * d, k0 = q0 + inner, v0 = q0 + 2 * inner;
        int g0 = f.dqkv.offset() + b * n * row + h * d, gk0 = g0 + inner, gv0 = g0 + 2 * inner;
        int p0 = f.probs.offset() + item * n * n, y0 = f.dout.offset() + b * n * inner + h * d;
        float[] table = f.table == null ? null : f.table.f();
        int to = f.table == null ? 0 : f.table.offset();
        float[] sc = ws.scratch(2 * n * n);
        float[] A = P;
        int a0 = p0;
        if (f.fusion == Fusion.POST) {
            A = sc;
            a0 = n * n;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    A[a0 + i * n + j] = P[p0 + i * n + j] + table[to + s.rel(i, j) * s.heads() + h];
                }
            }
        }
        Gemm.block(A, a0, 1, n, DY, y0, inner, 1, G, gv0, row, 1, n, d, n, f.accumulate, ws);
        Gemm.block(DY, y0, inner, 1, X, v0, 1, row, sc, 0, n, 1, n, n, d, false, ws);
        float[] src = f.biasSrc == null ? null : f.biasSrc.f();
        int s0 = f.biasSrc == null ? 0 : f.biasSrc.offset() + item * n * n;
        if (f.fusion == Fusion.POST) {
            System.arraycopy(sc, 0, src, s0, n * n);
        }
        for (int i = 0; i < n; i++) {
            int r = i * n, pr = p0 + r;
            float dot = 0f;
            for (int j = 0; j < n; j++) {
                dot += sc[r + j] * P[pr + j];
            }
            for (int j = 0; j < n; j++) {
                sc[r + j] = P[pr + j] * (sc[r + j] - dot);
            }
        }
        if (f.fusion == Fusion.PRE) {
            System.arraycopy(sc, 0, src, s0, n * n);
        }
        float scale = (float) (1.0 / Math.sqrt(d));
        for (int i = 0; i < n * n; i++) {
            sc[i] *= scale;
        }
        Gemm.block(sc, 0, n, 1, X, k0, row, 1, G, g0, row, 1, n, d, n, f.accumulate, ws);
        Gemm.block(sc, 0, 1, n, X, q0, row, 1, G, gk0, row, 1, n, d, n, f.accumulate, ws);
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
