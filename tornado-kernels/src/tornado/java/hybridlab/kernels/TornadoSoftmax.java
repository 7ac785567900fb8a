package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device twins of {@link Softmax}: softmax along the middle axis of an {@code (outer, n, inner)}
 * array, one work-item per {@code (outer, inner)} line. The running maximum starts from the line's
 * first element (not minus infinity, which OpenCL's relaxed math may not honour).
 */
public final class TornadoSoftmax {
    private TornadoSoftmax() {
    }

    /** {@link Softmax.Forward}; {@code x} and {@code y} may be the same slice. args: xOff, yOff, outer, n, inner. */
    public static void forward(FloatArray mem, IntArray args) {
        int xOff = args.get(0), yOff = args.get(1), outer = args.get(2), n = args.get(3), inner = args.get(4);
        for (@Parallel int t = 0; t < outer * inner; t++) {
            int base = (t / inner) * n * inner + t % inner;
            int xo = xOff + base, yo = yOff + base;
            float max = mem.get(xo);
            for (int i = 1; i < n; i++) {
                max = Math.max(max, mem.get(xo + i * inner));
            }
            float sum = 0f;
            for (int i = 0; i < n; i++) {
                float e = TornadoFastMath.exp(mem.get(xo + i * inner) - max);
                mem.set(yo + i * inner, e);
                sum += e;
            }
            float inv = 1f / sum;
            for (int i = 0; i < n; i++) {
                mem.set(yo + i * inner, mem.get(yo + i * inner) * inv);
            }
        }
    }

    /** {@link Softmax.Backward}: {@code dx (+)= y (dy - sum(dy y))}. args: yOff, dyOff, dxOff, outer, n, inner, accumulate. */
    public static void backward(FloatArray mem, IntArray args) {
        int yOff = args.get(0), dyOff = args.get(1), dxOff = args.get(2), outer = args.get(3), n = args.get(4), inner = args.get(5),
                accumulate = args.get(6);
        for (@Parallel int t = 0; t < outer * inner; t++) {
            int base = (t / inner) * n * inner + t % inner;
            int yo = yOff + base, go = dyOff + base, o = dxOff + base;
            float dot = 0f;
            for (int i = 0; i < n; i++) {
                dot += mem.get(go + i * inner) * mem.get(yo + i * inner);
            }
            for (int i = 0; i < n; i++) {
                float v = mem.get(yo + i * inner) * (mem.get(go + i * inner) - dot);
                mem.set(o + i * inner, accumulate != 0 ? mem.get(o + i * inner) + v : v);
            }
        }
    }

    /**
     * {@link #forward} over contiguous rows ({@code inner == 1}) as a work-group reduction
     * ({@link TornadoGroups}): one work-group per row, a tree for the maximum and one for the sum.
     * args: xOff, yOff, rows, n.
     */
    public static void forwardGroups(KernelContext ctx, FloatArray mem, IntArray args) {
        int xOff = args.get(0), yOff = args.get(1), rows = args.get(2), n = args.get(3);
        float[] part = ctx.allocateFloatLocalArray(256);
        int r = ctx.groupIdx, lid = ctx.localIdx, g = ctx.localGroupSizeX;
        int xo = xOff + r * n, yo = yOff + r * n;
        float max = mem.get(xo);
        for (int i = lid; i < n; i += g) {
            max = Math.max(max, mem.get(xo + i));
        }
        part[lid] = max;
        for (int s = g / 2; s > 0; s /= 2) {
            ctx.localBarrier();
            if (lid < s) {
                part[lid] = Math.max(part[lid], part[lid + s]);
            }
        }
        ctx.localBarrier();
        float top = part[0];
        ctx.localBarrier();
        float sum = 0f;
        for (int i = lid; i < n; i += g) {
            float e = TornadoFastMath.exp(mem.get(xo + i) - top);
            mem.set(yo + i, e);
            sum += e;
        }
        part[lid] = sum;
        for (int s = g / 2; s > 0; s /= 2) {
            ctx.localBarrier();
            if (lid < s) {
                part[lid] += part[lid + s];
            }
        }
        ctx.localBarrier();
        float inv = 1f / part[0];
        for (int i = lid; i < n; i += g) {
            mem.set(yo + i, mem.get(yo + i) * inv);
        }
    }

    // Task bindings: the device tasks each step of Softmax adds to a graph (called by the backend's dispatch).

    public static void bind(DeviceTasks t, Softmax.Forward s) {
        bindForward(t, t.at(s.x()), t.at(s.y()), s.outer(), s.n(), s.inner());
    }

    public static void bind(DeviceTasks t, Softmax.Backward s) {
        t.graph().task(t.task(Launch.loops(s.outer() * s.inner())), TornadoSoftmax::backward, t.heap(),
                t.args(t.at(s.y()), t.at(s.dy()), t.at(s.dx()), s.outer(), s.n(), s.inner(), DeviceTasks.flag(s.accumulate())));
    }

    /** A softmax over {@code n} elements {@code inner} apart: one work-group per row when rows are contiguous. */
    static void bindForward(DeviceTasks t, int x, int y, int outer, int n, int inner) {
        if (inner == 1) {
            t.graph().task(t.task(t.reduce(outer, n)), TornadoSoftmax::forwardGroups, t.ctx(), t.heap(), t.args(x, y, outer, n));
        } else {
            t.graph().task(t.task(Launch.loops(outer * inner)), TornadoSoftmax::forward, t.heap(), t.args(x, y, outer, n, inner));
        }
    }
}
