package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceLimits;
import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device twins of {@link DepthwiseConv}: one {@code k x k} filter per channel (weights
 * {@code (channels, 1, k, k)}), computed directly; shapes as in {@link ConvShape} with
 * {@code groups == cin == cout == channels}.
 *
 * <p>Two forms. GPU: one work-item per output element ({@link #forward}, {@link #backwardData},
 * {@link #backwardWeight}). CPU ({@link #cpuForm}: stride 1, padded planes of at most 40 x 40,
 * a halo of at most 32, at most 49 taps): a work-item copies its plane zero-padded into private
 * memory ({@link #padPlane}), so every tap of a run of 16 output pixels reads 16 contiguous
 * floats, with no device workspace; it runs one plane of one image ({@link #planeRows}: forward,
 * and backward data as the convolution of the padded gradient with the mirrored filter) or one
 * channel over the batch ({@link #channelRows}: the weight gradient, against the gradient copied
 * into the padded planes' pitch, zero in the pad columns). Other shapes take the GPU form on
 * every device.
 */
public final class TornadoDepthwiseConv {
    private TornadoDepthwiseConv() {
    }

    /**
     * {@link DepthwiseConv.Forward}: {@code y = bias[c] + sum over taps}; {@code biasOff < 0}: no bias.
     * args: xOff, wOff, biasOff, yOff, batch, channels, h, wd, k, stride, pad, dil, in that order.
     */
    public static void forward(FloatArray mem, IntArray args) {
        int xOff = args.get(0), wOff = args.get(1), biasOff = args.get(2), yOff = args.get(3);
        int batch = args.get(4), channels = args.get(5), h = args.get(6), wd = args.get(7);
        int k = args.get(8), stride = args.get(9), pad = args.get(10), dil = args.get(11);
        int oh = TornadoConv.outSize(h, k, stride, pad, dil), ow = TornadoConv.outSize(wd, k, stride, pad, dil);
        for (@Parallel int q = 0; q < oh * ow; q++) {
            for (@Parallel int c = 0; c < Math.max(0, channels); c++) {
                for (@Parallel int b = 0; b < Math.max(0, batch); b++) {
                    int oy = q / ow, ox = q % ow, plane = xOff + (b * channels + c) * h * wd;
                    int y0 = oy * stride - pad, x0 = ox * stride - pad;
                    float s = biasOff >= 0 ? mem.get(biasOff + c) : 0f;
                    // Only the taps inside the image (see TornadoConv.firstTap).
                    for (int ky = TornadoConv.firstTap(y0, dil); ky < TornadoConv.endTap(y0, h, k, dil); ky++) {
                        int iy = y0 + ky * dil;
                        for (int kx = TornadoConv.firstTap(x0, dil); kx < TornadoConv.endTap(x0, wd, k, dil); kx++) {
                            s += mem.get(wOff + (c * k + ky) * k + kx) * mem.get(plane + iy * wd + x0 + kx * dil);
                        }
                    }
                    mem.set(yOff + (b * channels + c) * oh * ow + q, s);
                }
            }
        }
    }

    /**
     * {@link DepthwiseConv.BackwardData}: {@code dx (+)= dwconv_transpose(dy, w)}, gathered per input element.
     * args: dyOff, wOff, dxOff, batch, channels, h, wd, k, stride, pad, dil, accumulate, in that order.
     */
    public static void backwardData(FloatArray mem, IntArray args) {
        int dyOff = args.get(0), wOff = args.get(1), dxOff = args.get(2);
        int batch = args.get(3), channels = args.get(4), h = args.get(5), wd = args.get(6);
        int k = args.get(7), stride = args.get(8), pad = args.get(9), dil = args.get(10), accumulate = args.get(11);
        int oh = TornadoConv.outSize(h, k, stride, pad, dil), ow = TornadoConv.outSize(wd, k, stride, pad, dil);
        for (@Parallel int q = 0; q < h * wd; q++) {
            for (@Parallel int c = 0; c < Math.max(0, channels); c++) {
                for (@Parallel int b = 0; b < Math.max(0, batch); b++) {
                    int iy = q / wd, ix = q % wd, out = dyOff + (b * channels + c) * oh * ow;
                    float s = 0f;
                    // Taps whose output row lies in [0, oh); the stride's divisibility stays a test.
                    int kyEnd = TornadoConv.endGatherTap(iy + pad, k, dil), kxEnd = TornadoConv.endGatherTap(ix + pad, k, dil);
                    for (int ky = TornadoConv.firstGatherTap(iy + pad, oh, stride, dil); ky < kyEnd; ky++) {
                        int ty = iy + pad - ky * dil;
                        if (ty % stride == 0) {
                            for (int kx = TornadoConv.firstGatherTap(ix + pad, ow, stride, dil); kx < kxEnd; kx++) {
                                int tx = ix + pad - kx * dil;
                                if (tx % stride == 0) {
                                    s += mem.get(wOff + (c * k + ky) * k + kx) * mem.get(out + (ty / stride) * ow + tx / stride);
                                }
                            }
                        }
                    }
                    int o = dxOff + (b * channels + c) * h * wd + q;
                    mem.set(o, accumulate != 0 ? mem.get(o) + s : s);
                }
            }
        }
    }

    /**
     * {@link DepthwiseConv.BackwardWeight}: {@code dw[c, ky, kx] (+)= sum over images of dy (x) x},
     * one work-item per tap; each image's sum in float, the images added in order in double, as
     * the JVM kernel does. args: xOff, dyOff, dwOff, batch, channels, h, wd, k, stride, pad, dil,
     * accumulate, in that order.
     */
    public static void backwardWeight(FloatArray mem, IntArray args) {
        int xOff = args.get(0), dyOff = args.get(1), dwOff = args.get(2);
        int batch = args.get(3), channels = args.get(4), h = args.get(5), wd = args.get(6);
        int k = args.get(7), stride = args.get(8), pad = args.get(9), dil = args.get(10), accumulate = args.get(11);
        int oh = TornadoConv.outSize(h, k, stride, pad, dil), ow = TornadoConv.outSize(wd, k, stride, pad, dil);
        for (@Parallel int e = 0; e < channels * k * k; e++) {
            int kx = e % k, ky = (e / k) % k, c = e / (k * k);
            double total = 0.0;
            for (int b = 0; b < batch; b++) {
                int plane = xOff + (b * channels + c) * h * wd, out = dyOff + (b * channels + c) * oh * ow;
                float s = 0f;
                for (int oy = 0; oy < oh; oy++) {
                    int iy = oy * stride - pad + ky * dil;
                    if (iy >= 0 && iy < h) {
                        for (int ox = 0; ox < ow; ox++) {
                            int ix = ox * stride - pad + kx * dil;
                            if (ix >= 0 && ix < wd) {
                                s += mem.get(out + oy * ow + ox) * mem.get(plane + iy * wd + ix);
                            }
                        }
                    }
                }
                total += s;
            }
            int o = dwOff + e;
            mem.set(o, accumulate != 0 ? mem.get(o) + (float) total : (float) total);
        }
    }

    /** Largest padded plane ({@code (h + 2 pad) (w + 2 pad)}) the CPU form copies into a private buffer. */
    static final int MAX_PLANE = 40 * 40;
    /** Widest halo ({@code (k - 1) dil}) of the CPU form; the buffers leave room for it and one run of 16 past the plane. */
    static final int MAX_HALO = 32;
    /** Length of a private plane buffer. */
    static final int PLANE = MAX_PLANE + MAX_HALO + 16;
    /** Most taps of the CPU form's weight gradient (a 7 x 7 filter). */
    static final int MAX_TAPS = 49;

    /**
     * Copies plane {@code src} ({@code h x w}) into {@code pp} zero-padded by {@code pad} on every
     * side, rows {@code pitch = w + 2 pad} apart, and clears its tail, so that a run of 16 read
     * at any tap of any pixel of the map lies inside {@code pp}: what lets the runs compile to
     * SIMD loads. {@code cleared}: the pad columns and rows are zero already (the same geometry
     * was copied before), only the pixels are written.
     */
    static void padPlane(FloatArray mem, int src, int h, int w, int pad, int pitch, boolean cleared, float[] pp) {
        if (!cleared) {
            for (int i = 0; i < (h + 2 * pad) * pitch + MAX_HALO + 16; i++) {
                pp[i] = 0f;
            }
        }
        for (int y = 0; y < h; y++) {
            int d = (y + pad) * pitch + pad, from = src + y * w;
            for (int x = 0; x < w; x++) {
                pp[d + x] = mem.get(from + x);
            }
        }
    }

    /**
     * CPU kernel: work-item {@code (c, b)} computes plane {@code (b, c)} of the output. The input
     * plane is copied zero-padded into a private buffer ({@link #padPlane}); the output is
     * computed in the buffer's pitch, tap by tap over the whole plane (every tap a contiguous
     * run of the buffer), then {@code y (+)= act((bias[c] + sum) scale + shift)} (scale and shift those of the eval
     * batch norm with {@code norm}, else 1 and 0) for the pixels inside the map. With
     * {@code mirror} the filter is turned by 180 degrees: the backward data pass, which reads the
     * output gradient padded by {@code dil (k - 1) - pad}. args: xOff, wOff, biasOff, yOff, batch,
     * channels, ih, iw, oh, ow, k, dil, pad, mirror, accumulate, norm, gammaOff, betaOff, meanOff,
     * varOff, act; floats: the batch norm's eps.
     */
    public static void planeRows(KernelContext ctx, FloatArray mem, IntArray args, FloatArray floats) {
        int c = ctx.globalIdx, b = ctx.globalIdy, channels = args.get(5);
        if (c < channels && b < args.get(4)) {
            int ih = args.get(6), iw = args.get(7), oh = args.get(8), ow = args.get(9), k = args.get(10), dil = args.get(11);
            int pad = args.get(12), mirror = args.get(13), accumulate = args.get(14), act = args.get(20);
            int out = args.get(3) + (b * channels + c) * oh * ow, wc = args.get(1) + c * k * k;
            float bias = args.get(2) >= 0 ? mem.get(args.get(2) + c) : 0f;
            float scale = 1f, shift = 0f;
            if (args.get(15) != 0) {
                scale = TornadoFastMath.rsqrt(mem.get(args.get(19) + c) + floats.get(0)) * mem.get(args.get(16) + c);
                shift = mem.get(args.get(17) + c) - mem.get(args.get(18) + c) * scale;
            }
            int pitch = iw + 2 * pad, n = oh * pitch;
            float[] pp = new float[PLANE];
            float[] sums = new float[PLANE];
            float[] t = new float[16];
            padPlane(mem, args.get(0) + (b * channels + c) * ih * iw, ih, iw, pad, pitch, false, pp);
            // tap by tap over the whole plane: each tap one loop of multiply-adds between private
            // buffers, which the compiler vectorizes (the taps as the inner loop it does not)
            int whole = (n + 15) / 16 * 16;
            for (int q = 0; q < whole; q++) {
                sums[q] = bias;
            }
            // the common 3 x 3 undilated filter with constant bounds, which the compiler unrolls
            // (one flag: see the epilogue's test below)
            int general = (k - 3) | (dil - 1);
            if (general == 0) {
                addTaps(mem, wc, 3, 1, pitch, mirror, whole, pp, sums);
            } else {
                addTaps(mem, wc, k, dil, pitch, mirror, whole, pp, sums);
            }
            // one flag, not a || of two tests: TornadoVM 5.2 compiled the code after such a test
            // into both of its branches here, so the plane was stored (and added) twice
            int epilogue = args.get(15) + (act - TornadoActivation.NONE);
            if (epilogue != 0) {
                for (int q = 0; q < n; q += 16) {
                    for (int l = 0; l < 16; l++) {
                        t[l] = sums[q + l] * scale + shift;
                    }
                    TornadoActivation.applyLanes(act, t);
                    for (int l = 0; l < 16; l++) {
                        sums[q + l] = t[l];
                    }
                }
            }
            for (int oy = 0; oy < oh; oy++) {
                int o = out + oy * ow, r = oy * pitch;
                if (accumulate != 0) {
                    for (int ox = 0; ox < ow; ox++) {
                        mem.set(o + ox, mem.get(o + ox) + sums[r + ox]);
                    }
                } else {
                    for (int ox = 0; ox < ow; ox++) {
                        mem.set(o + ox, sums[r + ox]);
                    }
                }
            }
        }
    }

    /** {@code sums[q] += w[tap] pp[q + offset(tap)]}, tap by tap over the whole plane ({@code whole} pixels of the pitch). */
    static void addTaps(FloatArray mem, int wc, int k, int dil, int pitch, int mirror, int whole, float[] pp, float[] sums) {
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                int tap = ky * k + kx;
                float wv = mem.get(wc + (mirror != 0 ? k * k - 1 - tap : tap));
                int off = ky * dil * pitch + kx * dil;
                for (int q = 0; q < whole; q++) {
                    sums[q] += wv * pp[q + off];
                }
            }
        }
    }

    /**
     * Tap by tap, {@code lane[l] = sum over the runs q of grad[q + l] pp[q + l + offset(tap)]}
     * (16 lanes in registers), then added to the tap's lanes in {@code lanes}.
     */
    static void addProducts(int k, int dil, int pitch, int n, float[] grad, float[] pp, float[] lane, float[] lanes) {
        for (int tap = 0; tap < k * k; tap++) {
            int off = (tap / k) * dil * pitch + (tap % k) * dil;
            for (int l = 0; l < 16; l++) {
                lane[l] = 0f;
            }
            for (int q = 0; q < n; q += 16) {
                for (int l = 0; l < 16; l++) {
                    lane[l] += grad[q + l] * pp[q + off + l];
                }
            }
            for (int l = 0; l < 16; l++) {
                lanes[tap * 16 + l] += lane[l];
            }
        }
    }

    /**
     * CPU kernel: work-item {@code c} sums the weight gradient of channel {@code c} over the
     * batch. Per image, the input plane is copied zero-padded ({@link #padPlane}) and the output
     * gradient into the same pitch (zero in the pad columns); each tap then sums the products of
     * the gradient's runs of 16 and its shifted runs of the input in 16 lanes, added to the tap's
     * lanes image by image; the lanes of a tap are added in order at the end. args: xOff, dyOff, dwOff, batch,
     * channels, h, w, oh, ow, k, dil, pad, accumulate.
     */
    public static void channelRows(KernelContext ctx, FloatArray mem, IntArray args) {
        int c = ctx.globalIdx, channels = args.get(4);
        if (c < channels) {
            int batch = args.get(3), h = args.get(5), w = args.get(6), oh = args.get(7), ow = args.get(8);
            int k = args.get(9), dil = args.get(10), pad = args.get(11);
            int pitch = w + 2 * pad, n = oh * pitch;
            float[] pp = new float[PLANE];
            float[] grad = new float[PLANE];
            float[] lanes = new float[MAX_TAPS * 16];
            float[] lane = new float[16];
            for (int i = 0; i < k * k * 16; i++) {
                lanes[i] = 0f;
            }
            for (int i = 0; i < n + 16; i++) {
                grad[i] = 0f;
            }
            for (int b = 0; b < batch; b++) {
                padPlane(mem, args.get(0) + (b * channels + c) * h * w, h, w, pad, pitch, b > 0, pp);
                int dy = args.get(1) + (b * channels + c) * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        grad[oy * pitch + ox] = mem.get(dy + oy * ow + ox);
                    }
                }
                int general = (k - 3) | (dil - 1);
                if (general == 0) {
                    addProducts(3, 1, pitch, n, grad, pp, lane, lanes);
                } else {
                    addProducts(k, dil, pitch, n, grad, pp, lane, lanes);
                }
            }
            int o = args.get(2) + c * k * k;
            for (int tap = 0; tap < k * k; tap++) {
                float total = 0f;
                for (int l = 0; l < 16; l++) {
                    total += lanes[tap * 16 + l];
                }
                mem.set(o + tap, args.get(12) != 0 ? mem.get(o + tap) + total : total);
            }
        }
    }

    // Task bindings: the device tasks each step of DepthwiseConv adds to a graph (called by the backend's dispatch).

    /** Whether the CPU form runs this shape: a CPU device, stride 1, and rows that fit the private buffers. */
    static boolean rows(DeviceTasks t, ConvShape c) {
        return cpuForm(t.limits(), c);
    }

    public static void bind(DeviceTasks t, DepthwiseConv.Forward s) {
        ConvShape c = s.s();
        if (rows(t, c)) {
            BatchNorm.RowEpilogue bn = s.norm();
            t.graph().task(t.task(Launch.groups(new int[] {c.cin(), c.batch()}, new int[] {1, 1})), TornadoDepthwiseConv::planeRows, t.ctx(),
                    t.heap(), t.args(t.at(s.x()), t.at(s.w()), t.off(s.bias()), t.at(s.y()), c.batch(), c.cin(), c.h(), c.w(), c.oh(), c.ow(),
                            c.k(), c.dil(), c.pad(), 0, 0, DeviceTasks.flag(bn != null), bn == null ? -1 : t.at(bn.gamma()),
                            bn == null ? -1 : t.at(bn.beta()), bn == null ? -1 : t.at(bn.runMean()), bn == null ? -1 : t.at(bn.runVar()),
                            bn == null ? TornadoActivation.NONE : TornadoActivation.code(bn.act())),
                    t.floats(bn == null ? 0f : bn.eps()));
            return;
        }
        t.graph().task(t.task(Launch.loops(c.oh() * c.ow(), c.cin(), c.batch())), TornadoDepthwiseConv::forward, t.heap(),
                t.args(t.at(s.x()), t.at(s.w()), t.off(s.bias()), t.at(s.y()), c.batch(), c.cin(), c.h(), c.w(), c.k(), c.stride(), c.pad(),
                        c.dil()));
        TornadoBatchNorm.bindEpilogue(t, s.norm(), s.y(), c.batch(), c.cout(), c.oh() * c.ow());
    }

    public static void bind(DeviceTasks t, DepthwiseConv.BackwardData s) {
        ConvShape c = s.s();
        if (rows(t, c)) {
            // dx = the output gradient, padded by dil (k - 1) - pad, convolved with the mirrored filter
            t.graph().task(t.task(Launch.groups(new int[] {c.cin(), c.batch()}, new int[] {1, 1})), TornadoDepthwiseConv::planeRows, t.ctx(),
                    t.heap(), t.args(t.at(s.dy()), t.at(s.w()), -1, t.at(s.dx()), c.batch(), c.cin(), c.oh(), c.ow(), c.h(), c.w(), c.k(),
                            c.dil(), c.dil() * (c.k() - 1) - c.pad(), 1, DeviceTasks.flag(s.accumulate()), 0, -1, -1, -1, -1,
                            TornadoActivation.NONE),
                    t.floats(0f));
            return;
        }
        t.graph().task(t.task(Launch.loops(c.h() * c.w(), c.cin(), c.batch())), TornadoDepthwiseConv::backwardData, t.heap(),
                t.args(t.at(s.dy()), t.at(s.w()), t.at(s.dx()), c.batch(), c.cin(), c.h(), c.w(), c.k(), c.stride(), c.pad(), c.dil(),
                        DeviceTasks.flag(s.accumulate())));
    }

    public static void bind(DeviceTasks t, DepthwiseConv.BackwardWeight s) {
        ConvShape c = s.s();
        if (rows(t, c)) {
            t.graph().task(t.task(Launch.groups(new int[] {c.cin()}, new int[] {1})), TornadoDepthwiseConv::channelRows, t.ctx(), t.heap(),
                    t.args(t.at(s.x()), t.at(s.dy()), t.at(s.dw()), c.batch(), c.cin(), c.h(), c.w(), c.oh(), c.ow(), c.k(), c.dil(),
                            c.pad(), DeviceTasks.flag(s.accumulate())));
            return;
        }
        t.graph().task(t.task(Launch.loops(c.cin() * c.k() * c.k())), TornadoDepthwiseConv::backwardWeight, t.heap(),
                t.args(t.at(s.x()), t.at(s.dy()), t.at(s.dw()), c.batch(), c.cin(), c.h(), c.w(), c.k(), c.stride(), c.pad(), c.dil(),
                        DeviceTasks.flag(s.accumulate())));
    }

    /**
     * Whether a device runs the CPU form of this shape: a CPU device, stride 1, and padded planes
     * (of the input, and of the output gradient for the backward data pass) that fit the private
     * buffers; else the GPU form.
     */
    static boolean cpuForm(DeviceLimits d, ConvShape c) {
        int halo = (c.k() - 1) * c.dil(), back = halo - c.pad();
        return d.cpu() && c.stride() == 1 && c.pad() <= halo && halo <= MAX_HALO && c.k() * c.k() <= MAX_TAPS
                && (c.h() + 2 * c.pad()) * (c.w() + 2 * c.pad()) <= MAX_PLANE && (c.oh() + 2 * back) * (c.ow() + 2 * back) <= MAX_PLANE;
    }
}
