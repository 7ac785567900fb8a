package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device twins of {@link DepthwiseConv}: one {@code k x k} filter per channel (weights
 * {@code (channels, 1, k, k)}), computed directly; shapes as in {@link ConvShape} with
 * {@code groups == cin == cout == channels}.
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

    // Task bindings: the device tasks each step of DepthwiseConv adds to a graph (called by the backend's dispatch).

    public static void bind(DeviceTasks t, DepthwiseConv.Forward s) {
        ConvShape c = s.s();
        t.graph().task(t.task(Launch.loops(c.oh() * c.ow(), c.cin(), c.batch())), TornadoDepthwiseConv::forward, t.heap(),
                t.args(t.at(s.x()), t.at(s.w()), t.off(s.bias()), t.at(s.y()), c.batch(), c.cin(), c.h(), c.w(), c.k(), c.stride(), c.pad(),
                        c.dil()));
        TornadoBatchNorm.bindEpilogue(t, s.norm(), s.y(), c.batch(), c.cout(), c.oh() * c.ow());
    }

    public static void bind(DeviceTasks t, DepthwiseConv.BackwardData s) {
        ConvShape c = s.s();
        t.graph().task(t.task(Launch.loops(c.h() * c.w(), c.cin(), c.batch())), TornadoDepthwiseConv::backwardData, t.heap(),
                t.args(t.at(s.dy()), t.at(s.w()), t.at(s.dx()), c.batch(), c.cin(), c.h(), c.w(), c.k(), c.stride(), c.pad(), c.dil(),
                        DeviceTasks.flag(s.accumulate())));
    }

    public static void bind(DeviceTasks t, DepthwiseConv.BackwardWeight s) {
        ConvShape c = s.s();
        t.graph().task(t.task(Launch.loops(c.cin() * c.k() * c.k())), TornadoDepthwiseConv::backwardWeight, t.heap(),
                t.args(t.at(s.x()), t.at(s.dy()), t.at(s.dw()), c.batch(), c.cin(), c.h(), c.w(), c.k(), c.stride(), c.pad(), c.dil(),
                        DeviceTasks.flag(s.accumulate())));
    }
}
