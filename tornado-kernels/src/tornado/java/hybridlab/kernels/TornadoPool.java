package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device twins of {@link Pool}: max and average pooling over NCHW planes ({@link PoolShape}:
 * square window {@code k}, stride, zero padding; average pooling counts padded zeros). The
 * backward passes gather: one work-item per input element sums, in output order, the gradients
 * of the windows that route to it, so no two work-items write the same element. On a CPU device
 * max pooling's backward pass is instead one work-item per plane that walks the outputs in order
 * and adds each gradient to its window's maximum ({@link #maxBackwardPlanes}), as the JVM does:
 * each window is scanned once instead of once per input element it covers.
 */
public final class TornadoPool {
    private TornadoPool() {
    }

    static int outSize(int size, int k, int stride, int pad) {
        return (size + 2 * pad - k) / stride + 1;
    }

    /** {@link Pool.MaxForward}: one work-item per output element. args: xOff, yOff, planes, h, w, k, stride, pad, in that order. */
    public static void maxForward(FloatArray mem, IntArray args) {
        int xOff = args.get(0), yOff = args.get(1), planes = args.get(2), h = args.get(3), w = args.get(4);
        int k = args.get(5), stride = args.get(6), pad = args.get(7);
        int oh = outSize(h, k, stride, pad), ow = outSize(w, k, stride, pad);
        for (@Parallel int q = 0; q < oh * ow; q++) {
            for (@Parallel int pl = 0; pl < Math.max(0, planes); pl++) {
                int oy = q / ow, ox = q % ow, xp = xOff + pl * h * w;
                int y0 = Math.max(0, oy * stride - pad), y1 = Math.min(h, oy * stride - pad + k);
                int x0 = Math.max(0, ox * stride - pad), x1 = Math.min(w, ox * stride - pad + k);
                float m = mem.get(xp + y0 * w + x0);
                for (int iy = y0; iy < y1; iy++) {
                    for (int ix = x0; ix < x1; ix++) {
                        m = Math.max(m, mem.get(xp + iy * w + ix));
                    }
                }
                mem.set(yOff + pl * oh * ow + q, m);
            }
        }
    }

    /**
     * {@link Pool.MaxBackward}: each output's gradient goes to the first element (row-major) of
     * its window equal to the forward maximum {@code y}, as on the JVM. args: xOff, yOff, dyOff, dxOff,
     * planes, h, w, k, stride, pad, accumulate, in that order.
     */
    public static void maxBackward(FloatArray mem, IntArray args) {
        int xOff = args.get(0), yOff = args.get(1), dyOff = args.get(2), dxOff = args.get(3);
        int planes = args.get(4), h = args.get(5), w = args.get(6), k = args.get(7);
        int stride = args.get(8), pad = args.get(9), accumulate = args.get(10);
        int oh = outSize(h, k, stride, pad), ow = outSize(w, k, stride, pad);
        for (@Parallel int q = 0; q < h * w; q++) {
            for (@Parallel int pl = 0; pl < Math.max(0, planes); pl++) {
                int iy = q / w, ix = q % w, xp = xOff + pl * h * w;
                int o = dxOff + pl * h * w + q;
                float v = accumulate != 0 ? mem.get(o) : 0f;
                // outputs whose window [oy stride - pad, + k) holds iy
                int oyLo = Math.max(0, (iy + pad - k + stride) / stride), oyHi = Math.min(oh - 1, (iy + pad) / stride);
                int oxLo = Math.max(0, (ix + pad - k + stride) / stride), oxHi = Math.min(ow - 1, (ix + pad) / stride);
                for (int oy = oyLo; oy <= oyHi; oy++) {
                    int y0 = Math.max(0, oy * stride - pad), y1 = Math.min(h, oy * stride - pad + k);
                    for (int ox = oxLo; ox <= oxHi; ox++) {
                        int x0 = Math.max(0, ox * stride - pad), x1 = Math.min(w, ox * stride - pad + k);
                        float m = mem.get(yOff + pl * oh * ow + oy * ow + ox);
                        // position of the window's first element equal to m (its start if none)
                        int at = y0 * w + x0;
                        int found = 0;
                        for (int sy = y0; sy < y1; sy++) {
                            for (int sx = x0; sx < x1; sx++) {
                                if (found == 0 && mem.get(xp + sy * w + sx) == m) {
                                    at = sy * w + sx;
                                    found = 1;
                                }
                            }
                        }
                        if (at == q) {
                            v += mem.get(dyOff + pl * oh * ow + oy * ow + ox);
                        }
                    }
                }
                mem.set(o, v);
            }
        }
    }

    /**
     * {@link Pool.MaxBackward} on a CPU device, work-item {@code p} for plane {@code p}: the plane
     * of dx is cleared (unless accumulating), then each output in row-major order adds its
     * gradient to the first element of its window equal to its maximum, the additions into any
     * one element in the order of the gather form. args as {@link #maxBackward}.
     */
    public static void maxBackwardPlanes(KernelContext ctx, FloatArray mem, IntArray args) {
        int pl = ctx.globalIdx, planes = args.get(4);
        if (pl < planes) {
            int h = args.get(5), w = args.get(6), k = args.get(7), stride = args.get(8), pad = args.get(9);
            int oh = outSize(h, k, stride, pad), ow = outSize(w, k, stride, pad);
            int xp = args.get(0) + pl * h * w, dx = args.get(3) + pl * h * w;
            int yp = args.get(1) + pl * oh * ow, dyp = args.get(2) + pl * oh * ow;
            if (args.get(10) == 0) {
                for (int i = 0; i < h * w; i++) {
                    mem.set(dx + i, 0f);
                }
            }
            for (int oy = 0; oy < oh; oy++) {
                int y0 = Math.max(0, oy * stride - pad), y1 = Math.min(h, oy * stride - pad + k);
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = Math.max(0, ox * stride - pad), x1 = Math.min(w, ox * stride - pad + k);
                    float m = mem.get(yp + oy * ow + ox);
                    // the first element equal to m, scanned backwards with a select (no early exit)
                    int at = y0 * w + x0;
                    for (int iy = y1 - 1; iy >= y0; iy--) {
                        for (int ix = x1 - 1; ix >= x0; ix--) {
                            at = mem.get(xp + iy * w + ix) == m ? iy * w + ix : at;
                        }
                    }
                    mem.set(dx + at, mem.get(dx + at) + mem.get(dyp + oy * ow + ox));
                }
            }
        }
    }

    /**
     * {@link Pool.AvgForward}: window sum (padding counts as zeros) times {@code 1 / k^2}.
     * args: xOff, yOff, planes, h, w, k, stride, pad, in that order.
     */
    public static void avgForward(FloatArray mem, IntArray args) {
        int xOff = args.get(0), yOff = args.get(1), planes = args.get(2), h = args.get(3), w = args.get(4);
        int k = args.get(5), stride = args.get(6), pad = args.get(7);
        int oh = outSize(h, k, stride, pad), ow = outSize(w, k, stride, pad);
        float inv = 1f / (k * k);
        for (@Parallel int q = 0; q < oh * ow; q++) {
            for (@Parallel int pl = 0; pl < Math.max(0, planes); pl++) {
                int oy = q / ow, ox = q % ow, xp = xOff + pl * h * w;
                float acc = 0f;
                for (int ky = 0; ky < k; ky++) {
                    int iy = oy * stride - pad + ky;
                    for (int kx = 0; kx < k; kx++) {
                        int ix = ox * stride - pad + kx;
                        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                            acc += mem.get(xp + iy * w + ix);
                        }
                    }
                }
                mem.set(yOff + pl * oh * ow + q, acc * inv);
            }
        }
    }

    /**
     * {@link Pool.AvgBackward}: each input element gathers {@code dy / k^2} of the windows holding it.
     * args: dyOff, dxOff, planes, h, w, k, stride, pad, accumulate, in that order.
     */
    public static void avgBackward(FloatArray mem, IntArray args) {
        int dyOff = args.get(0), dxOff = args.get(1), planes = args.get(2), h = args.get(3), w = args.get(4);
        int k = args.get(5), stride = args.get(6), pad = args.get(7), accumulate = args.get(8);
        int oh = outSize(h, k, stride, pad), ow = outSize(w, k, stride, pad);
        float inv = 1f / (k * k);
        for (@Parallel int q = 0; q < h * w; q++) {
            for (@Parallel int pl = 0; pl < Math.max(0, planes); pl++) {
                int iy = q / w, ix = q % w;
                int o = dxOff + pl * h * w + q;
                float v = accumulate != 0 ? mem.get(o) : 0f;
                int oyLo = Math.max(0, (iy + pad - k + stride) / stride), oyHi = Math.min(oh - 1, (iy + pad) / stride);
                int oxLo = Math.max(0, (ix + pad - k + stride) / stride), oxHi = Math.min(ow - 1, (ix + pad) / stride);
                for (int oy = oyLo; oy <= oyHi; oy++) {
                    for (int ox = oxLo; ox <= oxHi; ox++) {
                        v += mem.get(dyOff + pl * oh * ow + oy * ow + ox) * inv;
                    }
                }
                mem.set(o, v);
            }
        }
    }

    // Task bindings: the device tasks each step of Pool adds to a graph (called by the backend's dispatch).

    public static void bind(DeviceTasks t, Pool.MaxForward s) {
        PoolShape p = s.s();
        t.graph().task(t.task(Launch.loops(p.oh() * p.ow(), p.planes())), TornadoPool::maxForward, t.heap(),
                t.args(t.at(s.x()), t.at(s.y()), p.planes(), p.h(), p.w(), p.k(), p.stride(), p.pad()));
    }

    public static void bind(DeviceTasks t, Pool.MaxBackward s) {
        PoolShape p = s.s();
        var args = t.args(t.at(s.x()), t.at(s.y()), t.at(s.dy()), t.at(s.dx()), p.planes(), p.h(), p.w(), p.k(), p.stride(), p.pad(),
                DeviceTasks.flag(s.accumulate()));
        if (t.cpu()) {
            t.graph().task(t.task(Launch.groups(new int[] {p.planes()}, new int[] {1})), TornadoPool::maxBackwardPlanes, t.ctx(), t.heap(), args);
        } else {
            t.graph().task(t.task(Launch.loops(p.h() * p.w(), p.planes())), TornadoPool::maxBackward, t.heap(), args);
        }
    }

    public static void bind(DeviceTasks t, Pool.AvgForward s) {
        PoolShape p = s.s();
        t.graph().task(t.task(Launch.loops(p.oh() * p.ow(), p.planes())), TornadoPool::avgForward, t.heap(),
                t.args(t.at(s.x()), t.at(s.y()), p.planes(), p.h(), p.w(), p.k(), p.stride(), p.pad()));
    }

    public static void bind(DeviceTasks t, Pool.AvgBackward s) {
        PoolShape p = s.s();
        t.graph().task(t.task(Launch.loops(p.h() * p.w(), p.planes())), TornadoPool::avgBackward, t.heap(),
                t.args(t.at(s.dy()), t.at(s.dx()), p.planes(), p.h(), p.w(), p.k(), p.stride(), p.pad(), DeviceTasks.flag(s.accumulate())));
    }
}
