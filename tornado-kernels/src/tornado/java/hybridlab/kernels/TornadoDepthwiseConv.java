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
 * {@link #backwardWeight}). CPU, at stride 1: the input (or output gradient) is first copied into
 * zero-padded planes ({@link TornadoConv#pad}), so every tap of a run of 16 output pixels reads
 * 16 contiguous floats; a work-item runs one plane ({@link #planeRows}: forward, and backward data
 * as the convolution of the padded gradient with the mirrored filter) or one tap of one channel
 * over the batch ({@link #tapRows}: the weight gradient, against the gradient copied into the
 * padded planes' pitch, zero in the pad columns). Strided depthwise convolutions take the GPU form
 * on every device.
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

    /**
     * CPU kernel: work-item {@code (c, b)} computes output plane {@code (b, c)} from the padded
     * planes at {@code pOff} (pitch {@code pitch}, {@code len} floats each) in runs of 16 pixels of
     * an output row: {@code y = bias[c] + sum over taps w[c, t] p[run + offset(t)]}, the taps
     * mirrored with {@code mirror} (the backward data pass), added to {@code y} with
     * {@code accumulate}, then the eval batch norm and activation with {@code norm}. args: pOff,
     * wOff, biasOff, yOff, batch, channels, oh, ow, k, dil, pitch, len, mirror, accumulate, norm,
     * gammaOff, betaOff, meanOff, varOff, act; floats: the batch norm's eps.
     */
    public static void planeRows(KernelContext ctx, FloatArray mem, IntArray args, FloatArray floats) {
        int c = ctx.globalIdx, b = ctx.globalIdy, channels = args.get(5);
        if (c < channels && b < args.get(4)) {
            int oh = args.get(6), ow = args.get(7), k = args.get(8), dil = args.get(9), pitch = args.get(10);
            int mirror = args.get(12), accumulate = args.get(13), act = args.get(19);
            int plane = args.get(0) + (b * channels + c) * args.get(11), wc = args.get(1) + c * k * k;
            int out = args.get(3) + (b * channels + c) * oh * ow;
            float bias = args.get(2) >= 0 ? mem.get(args.get(2) + c) : 0f;
            float scale = 1f, shift = 0f;
            if (args.get(14) != 0) {
                scale = TornadoFastMath.rsqrt(mem.get(args.get(18) + c) + floats.get(0)) * mem.get(args.get(15) + c);
                shift = mem.get(args.get(16) + c) - mem.get(args.get(17) + c) * scale;
            }
            float[] t = new float[16];
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox += 16) {
                    for (int l = 0; l < 16; l++) {
                        t[l] = bias;
                    }
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            int tap = ky * k + kx;
                            float wv = mem.get(wc + (mirror != 0 ? k * k - 1 - tap : tap));
                            int run = plane + (oy + ky * dil) * pitch + ox + kx * dil;
                            for (int l = 0; l < 16; l++) {
                                t[l] += wv * mem.get(run + l);
                            }
                        }
                    }
                    for (int l = 0; l < 16; l++) {
                        t[l] = t[l] * scale + shift;
                    }
                    TornadoActivation.applyLanes(act, t);
                    int o = out + oy * ow + ox;
                    if (ox + 16 <= ow && accumulate == 0) {
                        for (int l = 0; l < 16; l++) {
                            mem.set(o + l, t[l]);
                        }
                    } else {
                        for (int l = 0; l < Math.min(16, ow - ox); l++) {
                            mem.set(o + l, accumulate != 0 ? mem.get(o + l) + t[l] : t[l]);
                        }
                    }
                }
            }
        }
    }

    /**
     * CPU kernel: work-item {@code (t, c)} sums the weight gradient of tap {@code t} of channel
     * {@code c} over the batch: {@code dw[c, t] (+)= sum over images and pixels of dy p[pixel + offset(t)]},
     * the output gradient in the padded input planes' pitch (zero in the pad columns, at
     * {@code gOff}, {@code glen} floats a plane), in 16 lanes, each image's sum added in order.
     * args: pOff, gOff, dwOff, batch, channels, oh, k, dil, pitch, len, glen, accumulate.
     */
    public static void tapRows(KernelContext ctx, FloatArray mem, IntArray args) {
        int tap = ctx.globalIdx, c = ctx.globalIdy, channels = args.get(4), k = args.get(6);
        if (tap < k * k && c < channels) {
            int batch = args.get(3), dil = args.get(7), pitch = args.get(8), len = args.get(9), glen = args.get(10);
            int n = args.get(5) * pitch, whole = n - n % 16;
            int off = (tap / k) * dil * pitch + (tap % k) * dil;
            float[] lane = new float[16];
            float total = 0f;
            for (int b = 0; b < batch; b++) {
                int p = args.get(0) + (b * channels + c) * len + off, g = args.get(1) + (b * channels + c) * glen;
                for (int l = 0; l < 16; l++) {
                    lane[l] = 0f;
                }
                for (int q = 0; q < whole; q += 16) {
                    for (int l = 0; l < 16; l++) {
                        lane[l] += mem.get(g + q + l) * mem.get(p + q + l);
                    }
                }
                float s = 0f;
                for (int q = whole; q < n; q++) {
                    s += mem.get(g + q) * mem.get(p + q);
                }
                for (int l = 0; l < 16; l++) {
                    s += lane[l];
                }
                total += s;
            }
            int o = args.get(2) + c * k * k + tap;
            mem.set(o, args.get(11) != 0 ? mem.get(o) + total : total);
        }
    }

    // Task bindings: the device tasks each step of DepthwiseConv adds to a graph (called by the backend's dispatch).

    /** Whether the CPU form runs this shape: a CPU device and stride 1 with padding the planes can hold. */
    static boolean planes(DeviceTasks t, ConvShape c) {
        return cpuForm(t.limits(), c);
    }

    /** The padded planes' geometry (those of the input, or of the output gradient). */
    static ImplicitConv.Planes planes(ConvShape c, boolean forward) {
        return TornadoConv.planes(c, forward);
    }

    public static void bind(DeviceTasks t, DepthwiseConv.Forward s) {
        ConvShape c = s.s();
        if (planes(t, c)) {
            ImplicitConv.Planes p = planes(c, true);
            int ws = t.workspace();
            TornadoConv.bindPad(t, t.at(s.x()), ws, c.batch() * c.cin(), c.h(), c.w(), c.pad(), p);
            BatchNorm.RowEpilogue bn = s.norm();
            t.graph().task(t.task(Launch.groups(new int[] {c.cin(), c.batch()}, new int[] {1, 1})), TornadoDepthwiseConv::planeRows, t.ctx(),
                    t.heap(), t.args(ws, t.at(s.w()), t.off(s.bias()), t.at(s.y()), c.batch(), c.cin(), c.oh(), c.ow(), c.k(), c.dil(),
                            p.pitch(), p.len(), 0, 0, DeviceTasks.flag(bn != null), bn == null ? -1 : t.at(bn.gamma()),
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
        if (planes(t, c)) {
            // dx = the output gradient padded by dil (k - 1) - pad, convolved with the mirrored filter
            ImplicitConv.Planes p = planes(c, false);
            int ws = t.workspace();
            TornadoConv.bindPad(t, t.at(s.dy()), ws, c.batch() * c.cin(), c.oh(), c.ow(), c.dil() * (c.k() - 1) - c.pad(), p);
            t.graph().task(t.task(Launch.groups(new int[] {c.cin(), c.batch()}, new int[] {1, 1})), TornadoDepthwiseConv::planeRows, t.ctx(),
                    t.heap(), t.args(ws, t.at(s.w()), -1, t.at(s.dx()), c.batch(), c.cin(), c.h(), c.w(), c.k(), c.dil(), p.pitch(), p.len(),
                            1, DeviceTasks.flag(s.accumulate()), 0, -1, -1, -1, -1, TornadoActivation.NONE),
                    t.floats(0f));
            return;
        }
        t.graph().task(t.task(Launch.loops(c.h() * c.w(), c.cin(), c.batch())), TornadoDepthwiseConv::backwardData, t.heap(),
                t.args(t.at(s.dy()), t.at(s.w()), t.at(s.dx()), c.batch(), c.cin(), c.h(), c.w(), c.k(), c.stride(), c.pad(), c.dil(),
                        DeviceTasks.flag(s.accumulate())));
    }

    public static void bind(DeviceTasks t, DepthwiseConv.BackwardWeight s) {
        ConvShape c = s.s();
        if (planes(t, c)) {
            ImplicitConv.Planes p = planes(c, true);
            int ws = t.workspace(), grads = ws + c.batch() * c.cin() * p.len(), glen = c.oh() * p.pitch();
            TornadoConv.bindPad(t, t.at(s.x()), ws, c.batch() * c.cin(), c.h(), c.w(), c.pad(), p);
            // the output gradient in the planes' pitch: padding 0, rows oh, zero pad columns
            TornadoConv.bindPad(t, t.at(s.dy()), grads, c.batch() * c.cin(), c.oh(), c.ow(), 0,
                    new ImplicitConv.Planes(c.cin(), c.oh(), p.pitch(), glen, c.oh(), c.ow()));
            t.graph().task(t.task(Launch.groups(new int[] {c.k() * c.k(), c.cin()}, new int[] {1, 1})), TornadoDepthwiseConv::tapRows,
                    t.ctx(), t.heap(), t.args(ws, grads, t.at(s.dw()), c.batch(), c.cin(), c.oh(), c.k(), c.dil(), p.pitch(), p.len(), glen,
                            DeviceTasks.flag(s.accumulate())));
            return;
        }
        t.graph().task(t.task(Launch.loops(c.cin() * c.k() * c.k())), TornadoDepthwiseConv::backwardWeight, t.heap(),
                t.args(t.at(s.x()), t.at(s.dy()), t.at(s.dw()), c.batch(), c.cin(), c.h(), c.w(), c.k(), c.stride(), c.pad(), c.dil(),
                        DeviceTasks.flag(s.accumulate())));
    }

    /** Device workspace floats of a depthwise step on a device of these limits: the padded input planes of its CPU form. */
    public static int workspaceFloats(DepthwiseConv.Forward s, DeviceLimits d) {
        ConvShape c = s.s();
        return cpuForm(d, c) ? c.batch() * c.cin() * planes(c, true).len() : 0;
    }

    /** The padded output gradient's planes. */
    public static int workspaceFloats(DepthwiseConv.BackwardData s, DeviceLimits d) {
        ConvShape c = s.s();
        return cpuForm(d, c) ? c.batch() * c.cin() * planes(c, false).len() : 0;
    }

    /** The padded input planes and the output gradient in their pitch. */
    public static int workspaceFloats(DepthwiseConv.BackwardWeight s, DeviceLimits d) {
        ConvShape c = s.s();
        return cpuForm(d, c) ? c.batch() * c.cin() * (planes(c, true).len() + c.oh() * planes(c, true).pitch()) : 0;
    }

    static boolean cpuForm(DeviceLimits d, ConvShape c) {
        return d.cpu() && ImplicitConv.applies(c);
    }
}
