package hybridlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Depthwise 2-D convolution (one k x k filter per channel), computed directly: MBConv's 3x3,
 * CoaT's CPE and CRPE windows.
 *
 * <p>Unstrided shapes (all of those) take a fast path, one work item per channel: the channel's
 * planes of every image are stacked, zero-padded, in one buffer of row pitch
 * {@code Wp = W + 2 pad}, so every tap becomes one long contiguous multiply-add
 * {@code out[q] += w * in[q + ky Wp + kx]} over the whole stack (the columns past each row's end
 * and the rows between planes are computed and dropped). Small maps such as 8x8 then run as a
 * few long vector loops per channel instead of many row-sized ones per plane.
 */
public final class DepthwiseConv {
    private DepthwiseConv() {
    }

    static ConvShape depthwise(ConvShape s) {
        if (!s.depthwise()) {
            throw new IllegalArgumentException("not a depthwise shape: " + s);
        }
        return s;
    }

    /** Range of output columns ox whose input column ox*stride - pad + kx*dil lies in [0, w). */
    static int firstOx(ConvShape s, int kx) {
        int off = kx * s.dil() - s.pad();
        return off >= 0 ? 0 : (-off + s.stride() - 1) / s.stride();
    }

    static int endOx(ConvShape s, int kx) {
        int off = kx * s.dil() - s.pad();
        int last = (s.w() - 1 - off);
        return last < 0 ? 0 : Math.min(s.ow(), last / s.stride() + 1);
    }

    /** Scratch for the unstrided path: a stack of padded planes, a pitched output stack, tap tables. */
    static final class Planes {
        final float[] in, out, weights;
        final int[] offsets;

        Planes(int inLen, int outLen, int taps) {
            in = new float[inLen];
            out = new float[outLen];
            weights = new float[taps];
            offsets = new int[taps];
        }

        /** Big enough for the forward, transposed and weight-gradient stacks of {@code s}. */
        static Planes[] perWorker(int workers, ConvShape s) {
            Stack f = Stack.input(s), t = Stack.outputGrad(s);
            int in = Math.max(f.length(), t.length()), out = Math.max(f.computed(), t.computed());
            Planes[] p = new Planes[workers];
            for (int i = 0; i < workers; i++) {
                p[i] = new Planes(in, out, s.k() * s.k());
            }
            return p;
        }
    }

    /**
     * A channel's planes of every image stacked with {@code pad} zeros around each: planes of
     * {@code h x w} become blocks of {@code h + 2 pad} rows of pitch {@code w + 2 pad}; an output
     * row {@code r} of the stack reads rows {@code r .. r + span}.
     */
    record Stack(int planes, int h, int w, int pad, int span) {
        static Stack input(ConvShape s) {
            return new Stack(s.batch(), s.h(), s.w(), s.pad(), s.dil() * (s.k() - 1));
        }

        static Stack outputGrad(ConvShape s) {
            int span = s.dil() * (s.k() - 1);
            return new Stack(s.batch(), s.oh(), s.ow(), span - s.pad(), span);
        }

        int block() {
            return h + 2 * pad;
        }

        int pitch() {
            return w + 2 * pad;
        }

        /** Buffer length, with a tail so the last row's shifted reads stay inside. */
        int length() {
            return planes * block() * pitch() + span + 1;
        }

        /** Length of the computed (pitched) output stack. */
        int computed() {
            return (planes * block() - span) * pitch();
        }

        /** Copies plane b (at {@code so + b * planeStride}) of every image into the zeroed stack. */
        void fill(float[] src, int so, int planeStride, float[] dst) {
            java.util.Arrays.fill(dst, 0, length(), 0f);
            for (int b = 0; b < planes; b++) {
                for (int y = 0; y < h; y++) {
                    int from = so + b * planeStride + y * w, to = (b * block() + y + pad) * pitch() + pad;
                    for (int x = 0; x < w; x++) {
                        dst[to + x] = src[from + x];
                    }
                }
            }
        }
    }

    /** A channel's work on the unstrided path, given the worker's scratch. */
    interface ChannelKernel {
        void run(int channel, Planes scratch);
    }

    /** The unstrided path's task: one item per channel, each worker with its own scratch. */
    static JvmTask perChannel(int workers, ConvShape s, ChannelKernel kernel) {
        Planes[] scratch = Planes.perWorker(workers, s);
        return new JvmTask(s.cin(), (from, to, wk) -> {
            for (int c = from; c < to; c++) {
                kernel.run(c, scratch[wk]);
            }
        });
    }

    static boolean unstrided(ConvShape s) {
        return s.stride() == 1 && s.pad() <= s.dil() * (s.k() - 1);
    }

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /**
     * {@code out[q] = init + sum_taps w[tap] * in[q + offset(tap)]} for {@code q < rows * pitch},
     * taps over a k x k window of dilation {@code dil} ({@code flip} mirrors it: the transposed
     * conv). Each output vector accumulates all taps in a register (one fused multiply-add per
     * tap, the same sequence in the scalar tail), so it is written once.
     */
    static void taps(float[] in, float[] out, int rows, int pitch, float[] w, int wo, int k, int dil, boolean flip,
                     float init, Planes p) {
        int taps = k * k, n = rows * pitch;
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                int t = ky * k + kx;
                p.weights[t] = flip ? w[wo + (k - 1 - ky) * k + (k - 1 - kx)] : w[wo + t];
                p.offsets[t] = ky * dil * pitch + kx * dil;
            }
        }
        int q = 0;
        for (int bound = S.loopBound(n); q < bound; q += S.length()) {
            FloatVector acc = FloatVector.broadcast(S, init);
            for (int t = 0; t < taps; t++) {
                acc = FloatVector.fromArray(S, in, q + p.offsets[t]).fma(FloatVector.broadcast(S, p.weights[t]), acc);
            }
            acc.intoArray(out, q);
        }
        for (; q < n; q++) {
            float acc = init;
            for (int t = 0; t < taps; t++) {
                acc = Math.fma(in[q + p.offsets[t]], p.weights[t], acc);
            }
            out[q] = acc;
        }
    }

    /** {@code sum_q a[q] * b[bo + q]} over {@code q < n}, fused multiply-adds in a fixed order. */
    static float dot(float[] a, float[] b, int bo, int n) {
        FloatVector acc = FloatVector.zero(S);
        int q = 0;
        for (int bound = S.loopBound(n); q < bound; q += S.length()) {
            acc = FloatVector.fromArray(S, a, q).fma(FloatVector.fromArray(S, b, bo + q), acc);
        }
        float tail = 0f;
        for (; q < n; q++) {
            tail = Math.fma(a[q], b[bo + q], tail);
        }
        return Reductions.lanes(acc) + tail;
    }

    /**
     * {@code y = dwconv(x, w) (+ bias)}, then optionally an eval-mode batch norm and activation
     * ({@code norm}), applied to each output plane as it is written. Items: channels when
     * unstrided, else (image, channel) planes.
     */
    public record Forward(ConvShape s, Slice x, Slice w, Slice bias, Slice y, BatchNorm.RowEpilogue norm) implements Step {
        public Forward {
            depthwise(s).check(x, w, y);
            if (bias != null) {
                Elementwise.need(bias, s.cout(), "dwconv bias");
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
            return "DWConv " + s.cin() + " k" + s.k() + "/" + s.stride() + " @" + s.h() + "x" + s.w()
                    + BatchNorm.RowEpilogue.label(norm);
        }

        @Override
        public JvmTask jvm(int workers) {
            if (unstrided(s)) {
                return perChannel(workers, s, (c, p) -> forwardUnstrided(this, c, p));
            }
            return new JvmTask(s.batch() * s.cin(), (from, to, wk) -> {
                for (int t = from; t < to; t++) {
                    forwardPlane(s, x.f(), x.offset(), w.f(), w.offset(), bias == null ? null : bias.f(),
                            bias == null ? 0 : bias.offset(), y.f(), y.offset(), t);
                    if (norm != null) {
                        int plane = s.oh() * s.ow();
                        norm.apply(y.f(), y.offset() + t * plane, plane, t % s.cin());
                    }
                }
            });
        }
    }

    static void forwardUnstrided(Forward f, int c, Planes p) {
        ConvShape s = f.s;
        Stack st = Stack.input(s);
        int plane = s.h() * s.w();
        st.fill(f.x.f(), f.x.offset() + c * plane, s.cin() * plane, p.in);
        float b0 = f.bias == null ? 0f : f.bias.f()[f.bias.offset() + c];
        taps(p.in, p.out, st.planes() * st.block() - st.span(), st.pitch(), f.w.f(), f.w.offset() + c * s.k() * s.k(),
                s.k(), s.dil(), false, b0, p);
        float[] Y = f.y.f();
        for (int b = 0; b < s.batch(); b++) {
            int yo = f.y.offset() + (b * s.cin() + c) * s.oh() * s.ow();
            for (int oy = 0; oy < s.oh(); oy++) {
                int q = (b * st.block() + oy) * st.pitch(), o = yo + oy * s.ow();
                for (int ox = 0; ox < s.ow(); ox++) {
                    Y[o + ox] = p.out[q + ox];
                }
            }
            if (f.norm != null) {
                f.norm.apply(Y, yo, s.oh() * s.ow(), c);
            }
        }
    }

    static void forwardPlane(ConvShape s, float[] x, int xo, float[] w, int wo, float[] bias, int bo,
                             float[] y, int yo, int plane) {
        int c = plane % s.cin(), k = s.k(), ow = s.ow(), stride = s.stride();
        int xp = xo + plane * s.h() * s.w(), yp = yo + plane * s.oh() * ow;
        float b0 = bias == null ? 0f : bias[bo + c];
        for (int oy = 0; oy < s.oh(); oy++) {
            int yr = yp + oy * ow;
            java.util.Arrays.fill(y, yr, yr + ow, b0);
            for (int ky = 0; ky < k; ky++) {
                int iy = oy * stride - s.pad() + ky * s.dil();
                if (iy < 0 || iy >= s.h()) {
                    continue;
                }
                int xr = xp + iy * s.w();
                for (int kx = 0; kx < k; kx++) {
                    float wv = w[wo + (c * k + ky) * k + kx];
                    int off = kx * s.dil() - s.pad();
                    int o1 = endOx(s, kx);
                    if (stride == 1) {
                        for (int ox = firstOx(s, kx); ox < o1; ox++) {
                            y[yr + ox] += wv * x[xr + ox + off];
                        }
                    } else {
                        for (int ox = firstOx(s, kx); ox < o1; ox++) {
                            y[yr + ox] += wv * x[xr + ox * stride + off];
                        }
                    }
                }
            }
        }
    }

    /** {@code dx (+)= dwconv_transpose(dy, w)}. Items: channels when unstrided, else planes. */
    public record BackwardData(ConvShape s, Slice dy, Slice w, Slice dx, boolean accumulate) implements Step {
        public BackwardData {
            depthwise(s).check(dx, w, dy);
        }

        @Override
        public JvmTask jvm(int workers) {
            if (unstrided(s)) {
                return perChannel(workers, s, (c, p) -> backwardDataUnstrided(this, c, p));
            }
            return new JvmTask(s.batch() * s.cin(), (from, to, wk) -> {
                float[] DY = dy.f(), W = w.f(), DX = dx.f();
                int k = s.k(), ow = s.ow(), stride = s.stride(), hw = s.h() * s.w();
                for (int plane = from; plane < to; plane++) {
                    int c = plane % s.cin();
                    int xp = dx.offset() + plane * hw, yp = dy.offset() + plane * s.oh() * ow;
                    if (!accumulate) {
                        java.util.Arrays.fill(DX, xp, xp + hw, 0f);
                    }
                    for (int oy = 0; oy < s.oh(); oy++) {
                        int yr = yp + oy * ow;
                        for (int ky = 0; ky < k; ky++) {
                            int iy = oy * stride - s.pad() + ky * s.dil();
                            if (iy < 0 || iy >= s.h()) {
                                continue;
                            }
                            int xr = xp + iy * s.w();
                            for (int kx = 0; kx < k; kx++) {
                                float wv = W[w.offset() + (c * k + ky) * k + kx];
                                int off = kx * s.dil() - s.pad();
                                int o1 = endOx(s, kx);
                                for (int ox = firstOx(s, kx); ox < o1; ox++) {
                                    DX[xr + ox * stride + off] += wv * DY[yr + ox];
                                }
                            }
                        }
                    }
                }
            });
        }
    }

    /**
     * The transposed convolution of an unstrided one is a convolution of dy, padded by
     * {@code dil (k-1) - pad}, with the mirrored window.
     */
    static void backwardDataUnstrided(BackwardData f, int c, Planes p) {
        ConvShape s = f.s;
        Stack st = Stack.outputGrad(s);
        int plane = s.oh() * s.ow();
        st.fill(f.dy.f(), f.dy.offset() + c * plane, s.cin() * plane, p.in);
        taps(p.in, p.out, st.planes() * st.block() - st.span(), st.pitch(), f.w.f(), f.w.offset() + c * s.k() * s.k(),
                s.k(), s.dil(), true, 0f, p);
        float[] DX = f.dx.f();
        for (int b = 0; b < s.batch(); b++) {
            int xo = f.dx.offset() + (b * s.cin() + c) * s.h() * s.w();
            for (int y = 0; y < s.h(); y++) {
                int o = xo + y * s.w(), q = (b * st.block() + y) * st.pitch();
                for (int x = 0; x < s.w(); x++) {
                    DX[o + x] = f.accumulate ? DX[o + x] + p.out[q + x] : p.out[q + x];
                }
            }
        }
    }

    /** {@code dw (+)= sum over images of dy (x) x}. Items: channels (each sums images in order). */
    public record BackwardWeight(ConvShape s, Slice x, Slice dy, Slice dw, boolean accumulate) implements Step {
        public BackwardWeight {
            depthwise(s).check(x, dw, dy);
        }

        @Override
        public JvmTask jvm(int workers) {
            if (unstrided(s)) {
                return perChannel(workers, s, (c, p) -> weightUnstrided(this, c, p));
            }
            return new JvmTask(s.cin(), (from, to, wk) -> {
                float[] DY = dy.f(), X = x.f(), DW = dw.f();
                int k = s.k(), ow = s.ow(), stride = s.stride(), hw = s.h() * s.w();
                for (int c = from; c < to; c++) {
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            int off = kx * s.dil() - s.pad();
                            int o0 = firstOx(s, kx), o1 = endOx(s, kx);
                            float acc = 0f;
                            for (int b = 0; b < s.batch(); b++) {
                                int plane = b * s.cin() + c;
                                int xp = x.offset() + plane * hw, yp = dy.offset() + plane * s.oh() * ow;
                                for (int oy = 0; oy < s.oh(); oy++) {
                                    int iy = oy * stride - s.pad() + ky * s.dil();
                                    if (iy < 0 || iy >= s.h()) {
                                        continue;
                                    }
                                    int xr = xp + iy * s.w() + off, yr = yp + oy * ow;
                                    for (int ox = o0; ox < o1; ox++) {
                                        acc += DY[yr + ox] * X[xr + ox * stride];
                                    }
                                }
                            }
                            int o = dw.offset() + (c * k + ky) * k + kx;
                            DW[o] = accumulate ? DW[o] + acc : acc;
                        }
                    }
                }
            });
        }
    }

    /** Per tap, the dot product of the pitched dy stack with the padded x stack shifted by the tap. */
    static void weightUnstrided(BackwardWeight f, int c, Planes p) {
        ConvShape s = f.s;
        Stack st = Stack.input(s);
        int k = s.k(), n = st.computed(), plane = s.h() * s.w(), oplane = s.oh() * s.ow();
        st.fill(f.x.f(), f.x.offset() + c * plane, s.cin() * plane, p.in);
        // dy in the stack's output rows and columns, zero in the rows and columns that are dropped
        java.util.Arrays.fill(p.out, 0, n, 0f);
        float[] DY = f.dy.f();
        for (int b = 0; b < s.batch(); b++) {
            int src = f.dy.offset() + (b * s.cin() + c) * oplane;
            for (int oy = 0; oy < s.oh(); oy++) {
                int q = (b * st.block() + oy) * st.pitch();
                for (int ox = 0; ox < s.ow(); ox++) {
                    p.out[q + ox] = DY[src + oy * s.ow() + ox];
                }
            }
        }
        float[] DW = f.dw.f();
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                float v = dot(p.out, p.in, ky * s.dil() * st.pitch() + kx * s.dil(), n);
                int o = f.dw.offset() + (c * k + ky) * k + kx;
                DW[o] = f.accumulate ? DW[o] + v : v;
            }
        }
    }
}
