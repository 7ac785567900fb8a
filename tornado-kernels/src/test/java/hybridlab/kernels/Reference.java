package hybridlab.kernels;

/**
 * Slow, obviously correct float64 versions of the kernels, written straight from the
 * definitions, to validate the optimised JVM kernels (and, in the tornado profile, the device
 * kernels).
 */
final class Reference {
    private Reference() {
    }

    /** {@code C[b] = A[b] B[b]} (or the sum over b when {@code sum}), any strides. */
    static double[] gemm(float[] d, MatView a, MatView b, int batch, int m, int n, int k, boolean sum) {
        double[] c = new double[(sum ? 1 : batch) * m * n];
        for (int bi = 0; bi < batch; bi++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += (double) d[a.slice().offset() + bi * a.batchStride() + i * a.rowStride() + p * a.colStride()]
                                * d[b.slice().offset() + bi * b.batchStride() + p * b.rowStride() + j * b.colStride()];
                    }
                    c[(sum ? 0 : bi * m * n) + i * n + j] += s;
                }
            }
        }
        return c;
    }

    /** Convolution with PyTorch's definition (cross-correlation, zero padding, groups). */
    static double[] conv(ConvShape s, float[] x, int xo, float[] w, int wo, float[] bias, int bo) {
        int oh = s.oh(), ow = s.ow(), cg = s.cinPerGroup(), og = s.coutPerGroup(), k = s.k();
        double[] y = new double[s.outSize()];
        for (int b = 0; b < s.batch(); b++) {
            for (int co = 0; co < s.cout(); co++) {
                int g = co / og;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double acc = bias == null ? 0 : bias[bo + co];
                        for (int ci = 0; ci < cg; ci++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = oy * s.stride() - s.pad() + ky * s.dil(), ix = ox * s.stride() - s.pad() + kx * s.dil();
                                    if (iy >= 0 && iy < s.h() && ix >= 0 && ix < s.w()) {
                                        acc += (double) w[wo + ((co * cg + ci) * k + ky) * k + kx]
                                                * x[xo + ((b * s.cin() + g * cg + ci) * s.h() + iy) * s.w() + ix];
                                    }
                                }
                            }
                        }
                        y[((b * s.cout() + co) * oh + oy) * ow + ox] = acc;
                    }
                }
            }
        }
        return y;
    }

    /** Input gradient of {@link #conv} for output gradient dy (the transposed convolution). */
    static double[] convInputGrad(ConvShape s, float[] dy, int dyo, float[] w, int wo) {
        int oh = s.oh(), ow = s.ow(), cg = s.cinPerGroup(), og = s.coutPerGroup(), k = s.k();
        double[] dx = new double[s.inSize()];
        for (int b = 0; b < s.batch(); b++) {
            for (int co = 0; co < s.cout(); co++) {
                int g = co / og;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double gy = dy[dyo + ((b * s.cout() + co) * oh + oy) * ow + ox];
                        for (int ci = 0; ci < cg; ci++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = oy * s.stride() - s.pad() + ky * s.dil(), ix = ox * s.stride() - s.pad() + kx * s.dil();
                                    if (iy >= 0 && iy < s.h() && ix >= 0 && ix < s.w()) {
                                        dx[((b * s.cin() + g * cg + ci) * s.h() + iy) * s.w() + ix] +=
                                                gy * w[wo + ((co * cg + ci) * k + ky) * k + kx];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    /** Weight gradient of {@link #conv}. */
    static double[] convWeightGrad(ConvShape s, float[] x, int xo, float[] dy, int dyo) {
        int oh = s.oh(), ow = s.ow(), cg = s.cinPerGroup(), og = s.coutPerGroup(), k = s.k();
        double[] dw = new double[s.weightSize()];
        for (int b = 0; b < s.batch(); b++) {
            for (int co = 0; co < s.cout(); co++) {
                int g = co / og;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double gy = dy[dyo + ((b * s.cout() + co) * oh + oy) * ow + ox];
                        for (int ci = 0; ci < cg; ci++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = oy * s.stride() - s.pad() + ky * s.dil(), ix = ox * s.stride() - s.pad() + kx * s.dil();
                                    if (iy >= 0 && iy < s.h() && ix >= 0 && ix < s.w()) {
                                        dw[((co * cg + ci) * k + ky) * k + kx] +=
                                                gy * x[xo + ((b * s.cin() + g * cg + ci) * s.h() + iy) * s.w() + ix];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dw;
    }

    static double act(Activation.Kind kind, double v) {
        return switch (kind) {
            case GELU -> 0.5 * v * (1 + erf(v / Math.sqrt(2)));
            case SILU -> v / (1 + Math.exp(-v));
            case SIGMOID -> 1 / (1 + Math.exp(-v));
        };
    }

    /** erf from its Taylor series / continued fraction, to 1e-12: independent of the kernels' approximation. */
    static double erf(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax < 3) {
            double term = ax, sum = ax;
            for (int n = 1; n < 200; n++) {
                term *= -ax * ax / n;
                sum += term / (2 * n + 1);
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            double f = 0;
            for (int n = 60; n >= 1; n--) {
                f = n / 2.0 / (ax + f);
            }
            r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
        }
        return x < 0 ? -r : r;
    }

    /** Training-mode batch norm (biased variance) followed by act (or none). */
    static double[] batchNorm(float[] x, int xo, int batch, int ch, int hw, float[] gamma, float[] beta, double eps,
                              Activation.Kind kind) {
        double[] y = new double[batch * ch * hw];
        for (int c = 0; c < ch; c++) {
            double mean = 0, var = 0;
            for (int b = 0; b < batch; b++) {
                for (int p = 0; p < hw; p++) {
                    mean += x[xo + (b * ch + c) * hw + p];
                }
            }
            mean /= batch * hw;
            for (int b = 0; b < batch; b++) {
                for (int p = 0; p < hw; p++) {
                    double d = x[xo + (b * ch + c) * hw + p] - mean;
                    var += d * d;
                }
            }
            var /= batch * hw;
            for (int b = 0; b < batch; b++) {
                for (int p = 0; p < hw; p++) {
                    int i = (b * ch + c) * hw + p;
                    double z = (x[xo + i] - mean) / Math.sqrt(var + eps) * gamma[c] + beta[c];
                    y[i] = kind == null ? z : act(kind, z);
                }
            }
        }
        return y;
    }

    /** Softmax attention with an optional relative bias (pre/post softmax), per (b, head). */
    static double[] relAttention(RelAttention.Shape s, RelAttention.Fusion f, float[] qkv, int qo, float[] table, int to) {
        int n = s.tokens(), d = s.dim(), inner = s.inner();
        double[] out = new double[s.batch() * n * inner];
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < s.heads(); h++) {
                for (int i = 0; i < n; i++) {
                    double[] sc = new double[n];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        double dot = 0;
                        for (int c = 0; c < d; c++) {
                            dot += (double) qkv[qo + (b * n + i) * 3 * inner + h * d + c] * qkv[qo + (b * n + j) * 3 * inner + inner + h * d + c];
                        }
                        sc[j] = dot / Math.sqrt(d) + (f == RelAttention.Fusion.PRE ? table[to + s.rel(i, j) * s.heads() + h] : 0);
                        max = Math.max(max, sc[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        sc[j] = Math.exp(sc[j] - max);
                        sum += sc[j];
                    }
                    for (int j = 0; j < n; j++) {
                        double a = sc[j] / sum + (f == RelAttention.Fusion.POST ? table[to + s.rel(i, j) * s.heads() + h] : 0);
                        for (int c = 0; c < d; c++) {
                            out[(b * n + i) * inner + h * d + c] += a * qkv[qo + (b * n + j) * 3 * inner + 2 * inner + h * d + c];
                        }
                    }
                }
            }
        }
        return out;
    }

    /** {@code scale * Q (softmax_N(K)^T V)} per (b, head). */
    static double[] factorAttention(FactorAttention.Shape s, double scale, float[] qkv, int qo) {
        int n = s.tokens(), d = s.dim(), inner = s.inner(), row = 3 * inner;
        double[] out = new double[s.batch() * n * inner];
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < s.heads(); h++) {
                double[][] ks = new double[n][d];
                for (int c = 0; c < d; c++) {
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int i = 0; i < n; i++) {
                        max = Math.max(max, qkv[qo + (b * n + i) * row + inner + h * d + c]);
                    }
                    for (int i = 0; i < n; i++) {
                        ks[i][c] = Math.exp(qkv[qo + (b * n + i) * row + inner + h * d + c] - max);
                        sum += ks[i][c];
                    }
                    for (int i = 0; i < n; i++) {
                        ks[i][c] /= sum;
                    }
                }
                for (int i = 0; i < n; i++) {
                    for (int c2 = 0; c2 < d; c2++) {
                        double acc = 0;
                        for (int c1 = 0; c1 < d; c1++) {
                            double kv = 0;
                            for (int t = 0; t < n; t++) {
                                kv += ks[t][c1] * qkv[qo + (b * n + t) * row + 2 * inner + h * d + c2];
                            }
                            acc += qkv[qo + (b * n + i) * row + h * d + c1] * kv;
                        }
                        out[(b * n + i) * inner + h * d + c2] = scale * acc;
                    }
                }
            }
        }
        return out;
    }
}
