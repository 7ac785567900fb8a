package hybridlab.kernels;

/**
 * Unstrided convolutions without im2col: the image's channels are copied into zero-padded
 * planes of row pitch {@code Wp = W + 2 pad}, and row {@code (c, ky, kx)} of the GEMM's B operand
 * is then just the run of a plane shifted by {@code ky dil Wp + kx dil}. The product is computed
 * in pitched coordinates (a few columns past each row's end are computed and dropped). The
 * backward data pass is the same convolution of the padded output gradient with the mirrored,
 * transposed filters; the weight gradient reads the shifted runs as B's columns.
 */
final class ImplicitConv {
    private ImplicitConv() {
    }

    static boolean applies(ConvShape s) {
        return s.stride() == 1 && s.pad() <= s.dil() * (s.k() - 1);
    }

    /** Padded-plane geometry of a convolution's input ({@code forward}) or of its transpose. */
    record Planes(int channels, int rows, int pitch, int len, int outRows, int outCols) {
        static Planes input(ConvShape s) {
            int pitch = s.w() + 2 * s.pad(), rows = s.h() + 2 * s.pad();
            return new Planes(s.cinPerGroup(), rows, pitch, rows * pitch + s.dil() * (s.k() - 1), s.oh(), s.ow());
        }

        static Planes outputGrad(ConvShape s) {
            int padT = s.dil() * (s.k() - 1) - s.pad();
            int pitch = s.ow() + 2 * padT, rows = s.oh() + 2 * padT;
            return new Planes(s.coutPerGroup(), rows, pitch, rows * pitch + s.dil() * (s.k() - 1), s.h(), s.w());
        }

        /** Length of one pitched output plane. */
        int q() {
            return outRows * pitch;
        }
    }

    /** Per-thread buffers, sized for every pass of one shape. */
    static final class Scratch {
        final float[] planes, out, weights;
        final int[] rows;
        final Gemm.Workspace gemm = Gemm.Workspace.perWorker(1)[0];

        Scratch(ConvShape s) {
            Planes in = Planes.input(s), grad = Planes.outputGrad(s);
            planes = new float[Math.max(in.channels() * in.len(), grad.channels() * grad.len())];
            out = new float[Math.max(s.coutPerGroup() * in.q(), s.cinPerGroup() * grad.q())];
            weights = new float[s.cinPerGroup() * s.coutPerGroup() * s.k() * s.k()];
            rows = new int[Math.max(s.patch(), s.coutPerGroup() * s.k() * s.k())];
        }

        static Scratch[] perWorker(int workers, ConvShape s) {
            Scratch[] w = new Scratch[workers];
            for (int i = 0; i < workers; i++) {
                w[i] = new Scratch(s);
            }
            return w;
        }
    }

    /** Copies {@code count} planes of {@code h x w} (consecutive in src) into padded planes of {@code p}. */
    static void pad(float[] src, int so, int count, int h, int w, int padding, Planes p, float[] dst) {
        java.util.Arrays.fill(dst, 0, count * p.len(), 0f);
        for (int c = 0; c < count; c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(src, so + (c * h + y) * w, dst, c * p.len() + (y + padding) * p.pitch() + padding, w);
            }
        }
    }

    /** Offsets of the shifted runs, row (c, ky, kx) of the implicit im2col matrix. */
    static void runs(ConvShape s, Planes p, int channels, int[] rows) {
        int k = s.k(), r = 0;
        for (int c = 0; c < channels; c++) {
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                    rows[r++] = c * p.len() + ky * s.dil() * p.pitch() + kx * s.dil();
                }
            }
        }
    }

    /** Image b, group g: {@code y = conv(x, w) + bias}. */
    static void forward(ConvShape s, float[] x, int xo, float[] w, int wo, float[] bias, int bo, float[] y, int yo,
                        int b, int g, Scratch sc) {
        Planes p = Planes.input(s);
        int cg = s.coutPerGroup(), K = s.patch(), Q = p.q(), P = s.oh() * s.ow();
        pad(x, xo + (b * s.cin() + g * s.cinPerGroup()) * s.h() * s.w(), s.cinPerGroup(), s.h(), s.w(), s.pad(), p,
                sc.planes);
        runs(s, p, s.cinPerGroup(), sc.rows);
        Gemm.block(w, wo + g * cg * K, K, 1, sc.planes, 0, 0, 1, sc.rows, null, sc.out, 0, Q, 1, cg, Q, K, false,
                sc.gemm);
        for (int co = 0; co < cg; co++) {
            float bv = bias == null ? 0f : bias[bo + g * cg + co];
            int dst = yo + (b * s.cout() + g * cg + co) * P;
            for (int oy = 0; oy < s.oh(); oy++) {
                int src = co * Q + oy * p.pitch(), d = dst + oy * s.ow();
                for (int ox = 0; ox < s.ow(); ox++) {
                    y[d + ox] = sc.out[src + ox] + bv;
                }
            }
        }
    }

    /** Image b, group g: {@code dx (+)= conv_transpose(dy, w)}. */
    static void backwardData(ConvShape s, float[] dy, int dyo, float[] w, int wo, float[] dx, int dxo, int b, int g,
                             boolean accumulate, Scratch sc) {
        Planes p = Planes.outputGrad(s);
        int cg = s.coutPerGroup(), ci = s.cinPerGroup(), k = s.k(), kt = cg * k * k, Q = p.q();
        int padT = s.dil() * (k - 1) - s.pad();
        pad(dy, dyo + (b * s.cout() + g * cg) * s.oh() * s.ow(), cg, s.oh(), s.ow(), padT, p, sc.planes);
        runs(s, p, cg, sc.rows);
        // w'[c, (co, ky, kx)] = w[co, c, k-1-ky, k-1-kx]: the transposed conv's filters
        for (int c = 0; c < ci; c++) {
            for (int co = 0; co < cg; co++) {
                for (int t = 0; t < k * k; t++) {
                    sc.weights[(c * cg + co) * k * k + t] = w[wo + ((g * cg + co) * ci + c) * k * k + (k * k - 1 - t)];
                }
            }
        }
        Gemm.block(sc.weights, 0, kt, 1, sc.planes, 0, 0, 1, sc.rows, null, sc.out, 0, Q, 1, ci, Q, kt, false, sc.gemm);
        for (int c = 0; c < ci; c++) {
            int dst = dxo + (b * s.cin() + g * ci + c) * s.h() * s.w();
            for (int yy = 0; yy < s.h(); yy++) {
                int src = c * Q + yy * p.pitch(), d = dst + yy * s.w();
                if (accumulate) {
                    for (int xx = 0; xx < s.w(); xx++) {
                        dx[d + xx] += sc.out[src + xx];
                    }
                } else {
                    System.arraycopy(sc.out, src, dx, d, s.w());
                }
            }
        }
    }

    /** Adds image b's contribution to group g's weight gradient {@code part (cg x K)}: dy . shifted-runs^T. */
    static void backwardWeight(ConvShape s, float[] x, int xo, float[] dy, int dyo, float[] part, int po, int b, int g,
                               boolean accumulate, Scratch sc) {
        Planes p = Planes.input(s);
        int cg = s.coutPerGroup(), K = s.patch(), Q = p.q();
        pad(x, xo + (b * s.cin() + g * s.cinPerGroup()) * s.h() * s.w(), s.cinPerGroup(), s.h(), s.w(), s.pad(), p,
                sc.planes);
        runs(s, p, s.cinPerGroup(), sc.rows);
        // dy in pitched rows, zero in the columns past each row's end
        java.util.Arrays.fill(sc.out, 0, cg * Q, 0f);
        for (int co = 0; co < cg; co++) {
            int src = dyo + (b * s.cout() + g * cg + co) * s.oh() * s.ow();
            for (int oy = 0; oy < s.oh(); oy++) {
                System.arraycopy(dy, src + oy * s.ow(), sc.out, co * Q + oy * p.pitch(), s.ow());
            }
        }
        Gemm.block(sc.out, 0, Q, 1, sc.planes, 0, 1, 0, null, sc.rows, part, po, K, 1, cg, K, Q, accumulate, sc.gemm);
    }
}
