package hybridlab.nn.ops;

import hybridlab.kernels.BatchNorm;
import hybridlab.kernels.Channels;
import hybridlab.kernels.Conv;
import hybridlab.kernels.ConvShape;
import hybridlab.kernels.DepthwiseConv;
import hybridlab.kernels.Gemm;
import hybridlab.kernels.MatView;
import hybridlab.kernels.Rows;
import hybridlab.kernels.Slice;
import hybridlab.nn.Graph;
import hybridlab.nn.Tensor;

/** 2-D convolution on NCHW tensors, lowered to the cheapest kernel for its shape. */
public final class Convolution {
    private Convolution() {
    }

    /** Maps with fewer pixels than this run 1x1 convolutions as one linear layer over all pixels. */
    static final int SMALL_MAP = 32;

    /**
     * {@code y = conv2d(x, w) + b}: x {@code (B, Ci, H, W)}, w {@code (Co, Ci / groups, k, k)},
     * b {@code (Co)} or null. Depthwise shapes use direct kernels, unstrided 1x1 a GEMM per
     * image (or, on small maps, one GEMM over every pixel of the batch), everything else
     * im2col + GEMM.
     */
    public static Tensor conv2d(Graph g, Tensor x, Tensor w, Tensor b, int stride, int pad, int dil, int groups) {
        ConvShape s = shape(x, w, stride, pad, dil, groups);
        int P = s.oh() * s.ow();
        if (asTokenLinear(s)) {
            // A per-image product would be only P columns wide; as one product over all
            // B*P pixels (a linear layer on tokens) it keeps the GEMM's tiles full.
            Tensor tokens = Shapes.toTokens(g, x);
            Tensor out = Dense.linear(g, tokens, w.view(s.cout(), s.cin()), b);
            return Shapes.toMap(g, out, s.oh(), s.ow());
        }
        Tensor y = g.like(new Tensor[] {x, w, b}, s.batch(), s.cout(), s.oh(), s.ow());
        Slice bias = b == null ? null : b.data();
        emitForward(g, s, x, w, bias, y, null);
        g.onBackward(() -> {
            Slice dy = g.gradIn(y);
            if (dy == null) {
                return;
            }
            if (b != null && b.requiresGrad()) {
                Graph.GradTarget db = g.grad(b);
                g.emit(new Channels.BiasGrad(dy, db.slice(), s.batch(), s.cout(), P, db.accumulate()));
            }
            if (w.requiresGrad()) {
                Graph.GradTarget dw = g.grad(w);
                if (s.depthwise()) {
                    g.emit(new DepthwiseConv.BackwardWeight(s, x.data(), dy, dw.slice(), dw.accumulate()));
                } else if (pointwise(s)) {
                    // dW (Co x Ci) = sum_b dY_b (Co x P) . X_b^T (P x Ci)
                    g.emit(Gemm.of(MatView.rowMajor(dy, P, s.cout() * P),
                            new MatView(x.data(), 1, P, s.cin() * P),
                            new MatView(dw.slice(), s.cin(), 1, 0), s.batch(), s.cout(), s.cin(), P, dw.accumulate()));
                } else {
                    int parts = Conv.BackwardWeight.partsFor(s.batch());
                    Slice partials = g.scratch(parts * s.weightSize());
                    g.emit(new Conv.BackwardWeight(s, x.data(), dy, partials, parts));
                    g.emit(new Rows.SumRows(partials, parts, s.weightSize(), dw.slice(), dw.accumulate()));
                }
            }
            if (x.requiresGrad()) {
                Graph.GradTarget dx = g.grad(x);
                if (s.depthwise()) {
                    g.emit(new DepthwiseConv.BackwardData(s, dy, w.data(), dx.slice(), dx.accumulate()));
                } else if (pointwise(s)) {
                    // dX_b (Ci x P) = W^T (Ci x Co) . dY_b (Co x P)
                    g.emit(Gemm.of(new MatView(w.data(), 1, s.cin(), 0), MatView.rowMajor(dy, P, s.cout() * P),
                            MatView.rowMajor(dx.slice(), P, s.cin() * P), s.batch(), s.cin(), P, s.cout(), dx.accumulate()));
                } else {
                    g.emit(new Conv.BackwardData(s, dy, w.data(), dx.slice(), dx.accumulate()));
                }
            }
        });
        return y;
    }

    private static ConvShape shape(Tensor x, Tensor w, int stride, int pad, int dil, int groups) {
        if (x.rank() != 4 || w.rank() != 4 || w.dim(2) != w.dim(3)) {
            throw new IllegalArgumentException("conv2d expects x (B,C,H,W) and square w (Co,Ci/g,k,k)");
        }
        ConvShape s = new ConvShape(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), stride, pad, dil, groups);
        if (w.dim(1) != s.cinPerGroup()) {
            throw new IllegalArgumentException("conv weight has " + w.dim(1) + " input channels, expected " + s.cinPerGroup());
        }
        return s;
    }

    static boolean pointwise(ConvShape s) {
        return s.k() == 1 && s.stride() == 1 && s.pad() == 0 && s.groups() == 1;
    }

    /** A pointwise convolution on a map under {@link #SMALL_MAP} pixels runs as a linear layer over tokens. */
    static boolean asTokenLinear(ConvShape s) {
        return pointwise(s) && s.oh() * s.ow() < SMALL_MAP;
    }

    /** The forward kernel for shape s, with {@code rowNorm} (or null) where the kernel takes one. */
    private static void emitForward(Graph g, ConvShape s, Tensor x, Tensor w, Slice bias, Tensor y,
                                    BatchNorm.RowEpilogue rowNorm) {
        int P = s.oh() * s.ow();
        if (s.depthwise()) {
            g.emit(new DepthwiseConv.Forward(s, x.data(), w.data(), bias, y.data(), rowNorm));
        } else if (pointwise(s)) {
            // Y_b (Co x P) = W (Co x Ci) . X_b (Ci x P)
            g.emit(new Gemm(MatView.rowMajor(w.data(), s.cin(), 0), MatView.rowMajor(x.data(), P, s.cin() * P),
                    MatView.rowMajor(y.data(), P, s.cout() * P), s.batch(), s.cout(), P, s.cin(), false,
                    bias, bias == null ? Gemm.BiasMode.NONE : Gemm.BiasMode.ROW, rowNorm));
        } else {
            g.emit(new Conv.Forward(s, x.data(), w.data(), bias, y.data(), rowNorm));
        }
    }

    /**
     * {@code act(BN(conv2d(x, w) + b))} with eval-mode batch norm, for a plan that does not
     * train: the convolution applies the norm to its output while it is in cache, so the map is
     * written once. Returns null in training, and for a convolution run as a linear layer over
     * tokens ({@link #asTokenLinear}): the caller then runs conv2d and batch norm.
     */
    public static Tensor conv2dNormalized(Graph g, Tensor x, Tensor w, Tensor b, int stride, int pad, int dil, int groups,
                                          BatchNorm.RowEpilogue rowNorm) {
        ConvShape s = shape(x, w, stride, pad, dil, groups);
        if (g.training() || asTokenLinear(s)) {
            return null;
        }
        Tensor y = g.like(new Tensor[] {x, w, b}, s.batch(), s.cout(), s.oh(), s.ow());
        emitForward(g, s, x, w, b == null ? null : b.data(), y, rowNorm);
        return y;
    }
}
