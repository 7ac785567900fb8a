package hybridlab.kernels;

/**
 * CoaT's factorized attention per head: {@code y = scale * Q (softmax_N(K)^T V)}, with the
 * softmax over tokens for each channel. Cost is linear in the number of tokens.
 *
 * <p>Input {@code qkv} is {@code (B, N, 3, heads, d)} as a linear layer writes it; output is
 * {@code (B, N, heads * d)}. Forward saves {@code softmax(K)} as {@code ksoft (B, heads, N, d)} and
 * {@code K^T V} as {@code kv (B, heads, d, d)} for backward. Items: (image, head).
 */
public final class FactorAttention {
    private FactorAttention() {
    }

    public record Shape(int batch, int tokens, int heads, int dim) {
        public int inner() {
            return heads * dim;
        }

        void check(Slice qkv, Slice out, Slice ksoft, Slice kv) {
            Elementwise.need(qkv, (long) batch * tokens * 3 * inner(), "factor attention qkv");
            Elementwise.need(out, (long) batch * tokens * inner(), "factor attention out");
            Elementwise.need(ksoft, (long) batch * heads * tokens * dim, "factor attention ksoft");
            Elementwise.need(kv, (long) batch * heads * dim * dim, "factor attention kv");
        }
    }

    public record Forward(Shape s, float scale, Slice qkv, Slice out, Slice ksoft, Slice kv) implements Step {
        public Forward {
            s.check(qkv, out, ksoft, kv);
        }

        @Override
        public String label() {
            return "FactorAttention " + s.heads() + "x" + s.tokens() + "x" + s.dim();
        }

        /** softmax(K)^T V and Q (softmax(K)^T V). */
        @Override
        public long macs() {
            return 2L * s.batch() * s.heads() * s.tokens() * s.dim() * s.dim();
        }

        @Override
        public JvmTask jvm(int workers) {
            float[][] columns = new float[workers][2 * s.dim()];
            return new JvmTask(s.batch() * s.heads(), (from, to, w) -> {
                for (int t = from; t < to; t++) {
                    forward(this, t, columns[w]);
                }
            });
        }
    }

    // Loops walk the tokens in the outer loop and channels in the inner one, so every access is a
    // row of q, k or v (the channels of a token are contiguous; a channel's tokens are 3C apart).
    static void forward(Forward f, int item, float[] col) {
        Shape s = f.s;
        int b = item / s.heads(), h = item % s.heads(), n = s.tokens(), d = s.dim(), inner = s.inner(), row = 3 * inner;
        float[] X = f.qkv.f(), Y = f.out.f(), KS = f.ksoft.f(), KV = f.kv.f();
        int q0 = f.qkv.offset() + b * n * row + h * d, k0 = q0 + inner, v0 = q0 + 2 * inner;
        int ks0 = f.ksoft.offset() + item * n * d, kv0 = f.kv.offset() + item * d * d;
        // softmax of each channel of K over the tokens: column max, exponentials, column sums
        java.util.Arrays.fill(col, 0, d, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                col[c] = Math.max(col[c], X[k0 + i * row + c]);
            }
        }
        java.util.Arrays.fill(col, d, 2 * d, 0f);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                float e = FastMath.exp(X[k0 + i * row + c] - col[c]);
                KS[ks0 + i * d + c] = e;
                col[d + c] += e;
            }
        }
        for (int c = 0; c < d; c++) {
            col[c] = 1f / col[d + c];
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                KS[ks0 + i * d + c] *= col[c];
            }
        }
        // kv = ksoft^T v, then y = scale q kv, token by token
        java.util.Arrays.fill(KV, kv0, kv0 + d * d, 0f);
        for (int i = 0; i < n; i++) {
            for (int c1 = 0; c1 < d; c1++) {
                float k = KS[ks0 + i * d + c1];
                int r = kv0 + c1 * d, v = v0 + i * row;
                for (int c2 = 0; c2 < d; c2++) {
                    KV[r + c2] += k * X[v + c2];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            int o = f.out.offset() + (b * n + i) * inner + h * d;
            java.util.Arrays.fill(Y, o, o + d, 0f);
            for (int c1 = 0; c1 < d; c1++) {
                float q = X[q0 + i * row + c1] * f.scale;
                int r = kv0 + c1 * d;
                for (int c2 = 0; c2 < d; c2++) {
                    Y[o + c2] += q * KV[r + c2];
                }
            }
        }
    }

    /** Gradients of q, k and v into {@code dqkv}. */
    public record Backward(Shape s, float scale, Slice qkv, Slice ksoft, Slice kv, Slice dout, Slice dqkv,
                           boolean accumulate) implements Step {
        public Backward {
            s.check(qkv, dout, ksoft, kv);
            s.check(dqkv, dout, ksoft, kv);
        }

        @Override
        public JvmTask jvm(int workers) {
            int d = s.dim(), n = s.tokens();
            float[][] scratch = new float[workers][d * d + n * d + d];
            return new JvmTask(s.batch() * s.heads(), (from, to, w) -> {
                for (int t = from; t < to; t++) {
                    backward(this, t, scratch[w]);
                }
            });
        }
    }

    static void backward(Backward f, int item, float[] scratch) {
        Shape s = f.s;
        int b = item / s.heads(), h = item % s.heads(), n = s.tokens(), d = s.dim(), inner = s.inner(), row = 3 * inner;
        float[] X = f.qkv.f(), G = f.dqkv.f(), DO = f.dout.f(), KS = f.ksoft.f(), KV = f.kv.f();
        int q0 = f.qkv.offset() + b * n * row + h * d, k0 = q0 + inner, v0 = q0 + 2 * inner;
        int g0 = f.dqkv.offset() + b * n * row + h * d, gk0 = g0 + inner, gv0 = g0 + 2 * inner;
        int ks0 = f.ksoft.offset() + item * n * d, kv0 = f.kv.offset() + item * d * d;
        int dkv = 0, dks = d * d;  // offsets into scratch
        java.util.Arrays.fill(scratch, 0, d * d, 0f);
        for (int i = 0; i < n; i++) {
            int o = f.dout.offset() + (b * n + i) * inner + h * d;
            for (int c1 = 0; c1 < d; c1++) {
                float q = X[q0 + i * row + c1] * f.scale;
                float dq = 0f;
                for (int c2 = 0; c2 < d; c2++) {
                    scratch[dkv + c1 * d + c2] += q * DO[o + c2];
                    dq += DO[o + c2] * KV[kv0 + c1 * d + c2];
                }
                int gq = g0 + i * row + c1;
                G[gq] = f.accumulate ? G[gq] + dq * f.scale : dq * f.scale;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int c2 = 0; c2 < d; c2++) {
                float dv = 0f;
                for (int c1 = 0; c1 < d; c1++) {
                    dv += KS[ks0 + i * d + c1] * scratch[dkv + c1 * d + c2];
                }
                int gv = gv0 + i * row + c2;
                G[gv] = f.accumulate ? G[gv] + dv : dv;
            }
            for (int c1 = 0; c1 < d; c1++) {
                float v = 0f;
                for (int c2 = 0; c2 < d; c2++) {
                    v += scratch[dkv + c1 * d + c2] * X[v0 + i * row + c2];
                }
                scratch[dks + i * d + c1] = v;
            }
        }
        // column softmax backward: dk = ks * (dks - sum over tokens of ks * dks), per channel
        int dots = dks + n * d;
        java.util.Arrays.fill(scratch, dots, dots + d, 0f);
        for (int i = 0; i < n; i++) {
            for (int c1 = 0; c1 < d; c1++) {
                scratch[dots + c1] += KS[ks0 + i * d + c1] * scratch[dks + i * d + c1];
            }
        }
        for (int i = 0; i < n; i++) {
            for (int c1 = 0; c1 < d; c1++) {
                float dk = KS[ks0 + i * d + c1] * (scratch[dks + i * d + c1] - scratch[dots + c1]);
                int gk = gk0 + i * row + c1;
                G[gk] = f.accumulate ? G[gk] + dk : dk;
            }
        }
    }
}
