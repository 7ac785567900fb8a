package hybridlab.kernels;

/**
 * General 2-D convolution (stride, padding, dilation, groups) as a GEMM per image and group:
 * unstrided shapes read shifted runs of padded planes ({@link ImplicitConv}), strided ones go
 * through an explicit im2col. Used for stems, patch embeddings, PCM and pyramid convs;
 * depthwise convolutions have their own direct kernels ({@link DepthwiseConv}).
 */
public final class Conv {
    private Conv() {
    }

    /**
     * {@code y = conv(x, w) (+ bias per output channel)}, then optionally an eval-mode batch norm
     * and activation ({@code norm}) applied to each output plane while it is in cache. Items: image x group.
     */
    public record Forward(ConvShape s, Slice x, Slice w, Slice bias, Slice y, BatchNorm.RowEpilogue norm) implements Step {
        public Forward {
            s.check(x, w, y);
            if (bias != null) {
                Elementwise.need(bias, s.cout(), "conv bias");
            }
            if (norm != null) {
                norm.check(s.cout());
            }
        }

        public Forward(ConvShape s, Slice x, Slice w, Slice bias, Slice y) {
            this(s, x, w, bias, y, null);
        }

        @Override
        public long macs() {
            return s.macs();
        }

        @Override
        public String label() {
            return "Conv " + s.cin() + "->" + s.cout() + " k" + s.k() + "/" + s.stride() + " g" + s.groups() + " @" + s.h() + "x" + s.w()
                    + BatchNorm.RowEpilogue.label(norm);
        }

        /** The epilogue on image b's output planes of group g. */
        void normalize(int b, int g) {
            if (norm != null) {
                int P = s.oh() * s.ow(), cg = s.coutPerGroup();
                for (int c = g * cg; c < (g + 1) * cg; c++) {
                    norm.apply(y.f(), y.offset() + (b * s.cout() + c) * P, P, c);
                }
            }
        }

        @Override
        public JvmTask jvm(int workers) {
            if (ImplicitConv.applies(s)) {
                ImplicitConv.Scratch[] sc = ImplicitConv.Scratch.perWorker(workers, s);
                return new JvmTask(s.batch() * s.groups(), (from, to, wk) -> {
                    for (int t = from; t < to; t++) {
                        ImplicitConv.forward(s, x.f(), x.offset(), w.f(), w.offset(), bias == null ? null : bias.f(),
                                bias == null ? 0 : bias.offset(), y.f(), y.offset(), t / s.groups(), t % s.groups(), sc[wk]);
                        normalize(t / s.groups(), t % s.groups());
                    }
                });
            }
            float[][] cols = columns(s, workers);
            Gemm.Workspace[] ws = Gemm.Workspace.perWorker(workers);
            int P = s.oh() * s.ow(), K = s.patch(), cg = s.coutPerGroup();
            return new JvmTask(s.batch() * s.groups(), (from, to, wk) -> {
                float[] col = cols[wk], X = x.f(), W = w.f(), Y = y.f();
                for (int t = from; t < to; t++) {
                    int b = t / s.groups(), g = t % s.groups();
                    im2col(s, X, x.offset(), b, g, col);
                    int yo = y.offset() + ((b * s.cout()) + g * cg) * P;
                    Gemm.block(W, w.offset() + g * cg * K, K, 1, col, 0, P, 1, Y, yo, P, 1, cg, P, K, false,
                            ws[wk]);
                    if (bias != null) {
                        float[] B = bias.f();
                        for (int c = 0; c < cg; c++) {
                            float v = B[bias.offset() + g * cg + c];
                            for (int p = 0, o = yo + c * P; p < P; p++) {
                                Y[o + p] += v;
                            }
                        }
                    }
                    normalize(b, g);
                }
            });
        }
    }

    /** {@code dx (+)= conv_transpose(dy, w)}. Items: image x group. */
    public record BackwardData(ConvShape s, Slice dy, Slice w, Slice dx, boolean accumulate) implements Step {
        public BackwardData {
            s.check(dx, w, dy);
        }

        @Override
        public JvmTask jvm(int workers) {
            if (ImplicitConv.applies(s)) {
                ImplicitConv.Scratch[] sc = ImplicitConv.Scratch.perWorker(workers, s);
                return new JvmTask(s.batch() * s.groups(), (from, to, wk) -> {
                    for (int t = from; t < to; t++) {
                        ImplicitConv.backwardData(s, dy.f(), dy.offset(), w.f(), w.offset(), dx.f(), dx.offset(),
                                t / s.groups(), t % s.groups(), accumulate, sc[wk]);
                    }
                });
            }
            float[][] cols = columns(s, workers);
            Gemm.Workspace[] ws = Gemm.Workspace.perWorker(workers);
            int P = s.oh() * s.ow(), K = s.patch(), cg = s.coutPerGroup();
            return new JvmTask(s.batch() * s.groups(), (from, to, wk) -> {
                float[] col = cols[wk], DY = dy.f(), W = w.f(), DX = dx.f();
                for (int t = from; t < to; t++) {
                    int b = t / s.groups(), g = t % s.groups();
                    int dyo = dy.offset() + ((b * s.cout()) + g * cg) * P;
                    // dcol (K x P) = W_g^T (K x cg) . dY_g (cg x P)
                    Gemm.block(W, w.offset() + g * cg * K, 1, K, DY, dyo, P, 1, col, 0, P, 1, K, P, cg, false,
                            ws[wk]);
                    col2im(s, col, DX, dx.offset(), b, g, accumulate);
                }
            });
        }
    }

    /**
     * Weight gradient in two steps: this one writes {@code parts} partial sums, each over a
     * fixed run of images, into {@code partials} ({@code parts x weightSize}); a
     * {@link Rows.SumRows} step then adds them in order. The split depends on the batch only,
     * never on the thread count.
     */
    public record BackwardWeight(ConvShape s, Slice x, Slice dy, Slice partials, int parts) implements Step {
        public BackwardWeight {
            s.check(x, partials, dy);
            Elementwise.need(partials, (long) parts * s.weightSize(), "conv weight partials");
        }

        /** Partial sums to use for a batch: enough to spread over threads, few enough to add cheaply. */
        public static int partsFor(int batch) {
            return Math.min(batch, 16);
        }

        @Override
        public JvmTask jvm(int workers) {
            int per = (s.batch() + parts - 1) / parts;
            if (ImplicitConv.applies(s)) {
                ImplicitConv.Scratch[] sc = ImplicitConv.Scratch.perWorker(workers, s);
                return new JvmTask(parts * s.groups(), (from, to, wk) -> {
                    for (int t = from; t < to; t++) {
                        int r = t / s.groups(), g = t % s.groups();
                        int po = partials.offset() + r * s.weightSize() + g * s.coutPerGroup() * s.patch();
                        int b0 = r * per, b1 = Math.min(s.batch(), b0 + per);
                        if (b0 >= b1) {
                            java.util.Arrays.fill(partials.f(), po, po + s.coutPerGroup() * s.patch(), 0f);
                        }
                        for (int b = b0; b < b1; b++) {
                            ImplicitConv.backwardWeight(s, x.f(), x.offset(), dy.f(), dy.offset(), partials.f(), po, b, g,
                                    b > b0, sc[wk]);
                        }
                    }
                });
            }
            float[][] cols = columns(s, workers);
            Gemm.Workspace[] ws = Gemm.Workspace.perWorker(workers);
            int P = s.oh() * s.ow(), K = s.patch(), cg = s.coutPerGroup();
            return new JvmTask(parts * s.groups(), (from, to, wk) -> {
                float[] col = cols[wk], DY = dy.f(), X = x.f(), PT = partials.f();
                for (int t = from; t < to; t++) {
                    int r = t / s.groups(), g = t % s.groups();
                    int po = partials.offset() + r * s.weightSize() + g * cg * K;
                    int b0 = r * per, b1 = Math.min(s.batch(), b0 + per);
                    if (b0 >= b1) {
                        for (int i = 0; i < cg * K; i++) {
                            PT[po + i] = 0f;
                        }
                    }
                    for (int b = b0; b < b1; b++) {
                        im2col(s, X, x.offset(), b, g, col);
                        int dyo = dy.offset() + ((b * s.cout()) + g * cg) * P;
                        // dW_g (cg x K) += dY_g (cg x P) . col^T (P x K)
                        Gemm.block(DY, dyo, P, 1, col, 0, 1, P, PT, po, K, 1, cg, K, P, b > b0,
                                ws[wk]);
                    }
                }
            });
        }
    }

    static float[][] columns(ConvShape s, int workers) {
        float[][] c = new float[workers][];
        for (int i = 0; i < workers; i++) {
            c[i] = new float[s.patch() * s.oh() * s.ow()];
        }
        return c;
    }

    /** Output columns ox whose input column {@code ox * stride - pad + kx * dil} lies in [0, w). */
    static int firstOx(ConvShape s, int kx) {
        int off = kx * s.dil() - s.pad();
        return off >= 0 ? 0 : Math.min(s.ow(), (-off + s.stride() - 1) / s.stride());
    }

    static int endOx(ConvShape s, int kx) {
        int last = s.w() - 1 - (kx * s.dil() - s.pad());
        return last < 0 ? 0 : Math.min(s.ow(), last / s.stride() + 1);
    }

    /**
     * Column matrix of image b, group g: row (c, ky, kx), column (oy, ox); zero outside. Each row
     * of the output is a run of valid columns between zero edges, copied as a block when unstrided.
     */
    static void im2col(ConvShape s, float[] x, int xo, int b, int g, float[] col) {
        int oh = s.oh(), ow = s.ow(), P = oh * ow, k = s.k(), stride = s.stride();
        int row = 0;
        for (int c = 0; c < s.cinPerGroup(); c++) {
            int plane = xo + ((b * s.cin()) + g * s.cinPerGroup() + c) * s.h() * s.w();
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++, row++) {
                    int x0 = firstOx(s, kx), x1 = Math.max(x0, endOx(s, kx)), off = kx * s.dil() - s.pad();
                    for (int oy = 0; oy < oh; oy++) {
                        int dst = row * P + oy * ow;
                        int iy = oy * stride - s.pad() + ky * s.dil();
                        if (iy < 0 || iy >= s.h()) {
                            java.util.Arrays.fill(col, dst, dst + ow, 0f);
                            continue;
                        }
                        java.util.Arrays.fill(col, dst, dst + x0, 0f);
                        int src = plane + iy * s.w() + off;
                        if (stride == 1) {
                            System.arraycopy(x, src + x0, col, dst + x0, x1 - x0);
                        } else {
                            for (int ox = x0; ox < x1; ox++) {
                                col[dst + ox] = x[src + ox * stride];
                            }
                        }
                        java.util.Arrays.fill(col, dst + x1, dst + ow, 0f);
                    }
                }
            }
        }
    }

    /** Adds the column matrix back into image b, group g of dx (zeroing it first unless accumulating). */
    static void col2im(ConvShape s, float[] col, float[] dx, int dxo, int b, int g, boolean accumulate) {
        int oh = s.oh(), ow = s.ow(), P = oh * ow, k = s.k(), hw = s.h() * s.w(), stride = s.stride();
        if (!accumulate) {
            int start = dxo + ((b * s.cin()) + g * s.cinPerGroup()) * hw;
            java.util.Arrays.fill(dx, start, start + s.cinPerGroup() * hw, 0f);
        }
        int row = 0;
        for (int c = 0; c < s.cinPerGroup(); c++) {
            int plane = dxo + ((b * s.cin()) + g * s.cinPerGroup() + c) * hw;
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++, row++) {
                    int x0 = firstOx(s, kx), x1 = endOx(s, kx), off = kx * s.dil() - s.pad();
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * stride - s.pad() + ky * s.dil();
                        if (iy < 0 || iy >= s.h()) {
                            continue;
                        }
                        int src = row * P + oy * ow, dst = plane + iy * s.w() + off;
                        for (int ox = x0; ox < x1; ox++) {
                            dx[dst + ox * stride] += col[src + ox];
                        }
                    }
                }
            }
        }
    }
}
