package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device twins of {@link Conv}: general 2-D convolution (stride, padding, dilation, groups) over
 * NCHW maps with {@code (cout, cin / groups, k, k)} weights, computed directly (one work-item per
 * output element, the window summed in (channel, ky, kx) order, as the JVM's im2col rows are).
 * The shape arguments are those of {@link ConvShape}; output sizes follow from them.
 */
public final class TornadoConv {
    private TornadoConv() {
    }

    static int outSize(int size, int k, int stride, int pad, int dil) {
        return (size + 2 * pad - dil * (k - 1) - 1) / stride + 1;
    }

    // Taps that stay inside the map are loop bounds rather than ifs in the kernels: with a
    // window wider than a small map, an if that never holds folds to a constant, which
    // TornadoVM's OpenCL code generator rejects (LogicConstantNode).

    /** First tap {@code t} with {@code start + t dil >= 0}. */
    static int firstTap(int start, int dil) {
        return Math.max(0, (dil - 1 - start) / dil);
    }

    /** One past the last tap {@code t < k} with {@code start + t dil < size}. */
    static int endTap(int start, int size, int k, int dil) {
        return Math.min(k, Math.max(0, (size - start + dil - 1) / dil));
    }

    /** First tap {@code t} with {@code at - t dil <= (outSize - 1) stride}, i.e. an output row inside. */
    static int firstGatherTap(int at, int outSize, int stride, int dil) {
        return Math.max(0, (at - (outSize - 1) * stride + dil - 1) / dil);
    }

    /** One past the last tap {@code t < k} with {@code at - t dil >= 0}. */
    static int endGatherTap(int at, int k, int dil) {
        return Math.min(k, at / dil + 1);
    }

    /**
     * {@link Conv.Forward}: {@code y = conv(x, w) (+ bias[co])}; {@code biasOff < 0}: no bias.
     * args: xOff, wOff, biasOff, yOff, batch, cin, h, wd, cout, k, stride, pad, dil, groups, in that order.
     */
    public static void forward(FloatArray mem, IntArray args) {
        int xOff = args.get(0), wOff = args.get(1), biasOff = args.get(2), yOff = args.get(3);
        int batch = args.get(4), cin = args.get(5), h = args.get(6), wd = args.get(7), cout = args.get(8);
        int k = args.get(9), stride = args.get(10), pad = args.get(11), dil = args.get(12), groups = args.get(13);
        int oh = outSize(h, k, stride, pad, dil), ow = outSize(wd, k, stride, pad, dil);
        int cinG = cin / groups, coutG = cout / groups;
        for (@Parallel int q = 0; q < oh * ow; q++) {
            for (@Parallel int co = 0; co < Math.max(0, cout); co++) {
                for (@Parallel int b = 0; b < Math.max(0, batch); b++) {
                    int oy = q / ow, ox = q % ow, g = co / coutG, y0 = oy * stride - pad, x0 = ox * stride - pad;
                    float s = 0f;
                    for (int ci = 0; ci < cinG; ci++) {
                        int plane = xOff + (b * cin + g * cinG + ci) * h * wd;
                        int wRow = wOff + (co * cinG + ci) * k * k;
                        for (int ky = firstTap(y0, dil); ky < endTap(y0, h, k, dil); ky++) {
                            int iy = y0 + ky * dil;
                            for (int kx = firstTap(x0, dil); kx < endTap(x0, wd, k, dil); kx++) {
                                s += mem.get(wRow + ky * k + kx) * mem.get(plane + iy * wd + x0 + kx * dil);
                            }
                        }
                    }
                    if (biasOff >= 0) {
                        s += mem.get(biasOff + co);
                    }
                    mem.set(yOff + (b * cout + co) * oh * ow + q, s);
                }
            }
        }
    }

    /**
     * {@link Conv.BackwardData}: {@code dx (+)= conv_transpose(dy, w)}, one work-item per input
     * element gathering, per tap, the sum over output channels that reach it. args: dyOff, wOff,
     * dxOff, batch, cin, h, wd, cout, k, stride, pad, dil, groups, accumulate, in that order.
     */
    public static void backwardData(FloatArray mem, IntArray args) {
        int dyOff = args.get(0), wOff = args.get(1), dxOff = args.get(2);
        int batch = args.get(3), cin = args.get(4), h = args.get(5), wd = args.get(6), cout = args.get(7);
        int k = args.get(8), stride = args.get(9), pad = args.get(10), dil = args.get(11), groups = args.get(12);
        int accumulate = args.get(13);
        int oh = outSize(h, k, stride, pad, dil), ow = outSize(wd, k, stride, pad, dil);
        int cinG = cin / groups, coutG = cout / groups;
        for (@Parallel int q = 0; q < h * wd; q++) {
            for (@Parallel int ci = 0; ci < Math.max(0, cin); ci++) {
                for (@Parallel int b = 0; b < Math.max(0, batch); b++) {
                    int iy = q / wd, ix = q % wd, g = ci / cinG, cl = ci % cinG;
                    int o = dxOff + (b * cin + ci) * h * wd + q;
                    float v = accumulate != 0 ? mem.get(o) : 0f;
                    int kyEnd = endGatherTap(iy + pad, k, dil), kxEnd = endGatherTap(ix + pad, k, dil);
                    for (int ky = firstGatherTap(iy + pad, oh, stride, dil); ky < kyEnd; ky++) {
                        int ty = iy + pad - ky * dil;
                        int oy = ty / stride;
                        if (ty % stride == 0) {
                            for (int kx = firstGatherTap(ix + pad, ow, stride, dil); kx < kxEnd; kx++) {
                                int tx = ix + pad - kx * dil;
                                int ox = tx / stride;
                                if (tx % stride == 0) {
                                    float t = 0f;
                                    for (int cl2 = 0; cl2 < coutG; cl2++) {
                                        int co = g * coutG + cl2;
                                        t += mem.get(wOff + ((co * cinG + cl) * k + ky) * k + kx)
                                                * mem.get(dyOff + ((b * cout + co) * oh + oy) * ow + ox);
                                    }
                                    v += t;
                                }
                            }
                        }
                    }
                    mem.set(o, v);
                }
            }
        }
    }

    /**
     * {@link Conv.BackwardWeight}: partial weight gradient {@code r} (of {@code parts}) sums the
     * images {@code [r per, min(batch, (r + 1) per))}, {@code per = ceil(batch / parts)}, into
     * {@code partials[r * weightSize ...]}; an empty run writes zeros. args: xOff, dyOff, pOff,
     * parts, batch, cin, h, wd, cout, k, stride, pad, dil, groups, in that order.
     */
    public static void backwardWeight(FloatArray mem, IntArray args) {
        int xOff = args.get(0), dyOff = args.get(1), pOff = args.get(2), parts = args.get(3);
        int batch = args.get(4), cin = args.get(5), h = args.get(6), wd = args.get(7), cout = args.get(8);
        int k = args.get(9), stride = args.get(10), pad = args.get(11), dil = args.get(12), groups = args.get(13);
        int oh = outSize(h, k, stride, pad, dil), ow = outSize(wd, k, stride, pad, dil);
        int cinG = cin / groups, coutG = cout / groups, size = cout * cinG * k * k, per = (batch + parts - 1) / parts;
        for (@Parallel int e = 0; e < Math.max(0, size); e++) {
            for (@Parallel int r = 0; r < Math.max(0, parts); r++) {
                int kx = e % k, ky = (e / k) % k, cl = (e / (k * k)) % cinG, co = e / (k * k * cinG);
                int ci = (co / coutG) * cinG + cl;
                int b1 = Math.min(batch, r * per + per);
                float s = 0f;
                for (int b = r * per; b < b1; b++) {
                    int plane = xOff + (b * cin + ci) * h * wd, out = dyOff + (b * cout + co) * oh * ow;
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
                }
                mem.set(pOff + r * size + e, s);
            }
        }
    }

    // Task bindings: the device tasks each step of Conv adds to a graph (called by the backend's dispatch).

    public static void bind(DeviceTasks t, Conv.Forward s) {
        ConvShape c = s.s();
        t.graph().task(t.task(Launch.loops(c.oh() * c.ow(), c.cout(), c.batch())), TornadoConv::forward, t.heap(),
                t.args(t.at(s.x()), t.at(s.w()), t.off(s.bias()), t.at(s.y()), c.batch(), c.cin(), c.h(), c.w(), c.cout(), c.k(), c.stride(),
                        c.pad(), c.dil(), c.groups()));
        TornadoBatchNorm.bindEpilogue(t, s.norm(), s.y(), c.batch(), c.cout(), c.oh() * c.ow());
    }

    public static void bind(DeviceTasks t, Conv.BackwardData s) {
        ConvShape c = s.s();
        t.graph().task(t.task(Launch.loops(c.h() * c.w(), c.cin(), c.batch())), TornadoConv::backwardData, t.heap(),
                t.args(t.at(s.dy()), t.at(s.w()), t.at(s.dx()), c.batch(), c.cin(), c.h(), c.w(), c.cout(), c.k(), c.stride(), c.pad(),
                        c.dil(), c.groups(), DeviceTasks.flag(s.accumulate())));
    }

    public static void bind(DeviceTasks t, Conv.BackwardWeight s) {
        ConvShape c = s.s();
        t.graph().task(t.task(Launch.loops(c.cout() * (c.cin() / c.groups()) * c.k() * c.k(), s.parts())), TornadoConv::backwardWeight, t.heap(),
                t.args(t.at(s.x()), t.at(s.dy()), t.at(s.partials()), s.parts(), c.batch(), c.cin(), c.h(), c.w(), c.cout(), c.k(), c.stride(),
                        c.pad(), c.dil(), c.groups()));
    }
}
