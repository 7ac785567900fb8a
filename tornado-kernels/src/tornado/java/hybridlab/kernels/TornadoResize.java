package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device twins of {@link Resize}: bilinear resampling of NCHW planes with PyTorch's
 * {@code align_corners=False} source coordinates ({@link Resize#source}).
 */
public final class TornadoResize {
    private TornadoResize() {
    }

    static float source(int o, int in, int out) {
        return Math.max((o + 0.5f) * ((float) in / out) - 0.5f, 0f);
    }

    /** {@link Resize.Forward}: one work-item per output element. args: xOff, yOff, planes, h, w, oh, ow, in that order. */
    public static void forward(FloatArray mem, IntArray args) {
        int xOff = args.get(0), yOff = args.get(1), planes = args.get(2), h = args.get(3), w = args.get(4);
        int oh = args.get(5), ow = args.get(6);
        for (@Parallel int q = 0; q < oh * ow; q++) {
            for (@Parallel int p = 0; p < Math.max(0, planes); p++) {
                int oy = q / ow, ox = q % ow, xp = xOff + p * h * w;
                float sy = source(oy, h, oh), sx = source(ox, w, ow);
                int y0 = (int) sy, y1 = Math.min(y0 + 1, h - 1), x0 = (int) sx, x1 = Math.min(x0 + 1, w - 1);
                float ly = sy - y0, lx = sx - x0;
                float v = (1f - ly) * ((1f - lx) * mem.get(xp + y0 * w + x0) + lx * mem.get(xp + y0 * w + x1))
                        + ly * ((1f - lx) * mem.get(xp + y1 * w + x0) + lx * mem.get(xp + y1 * w + x1));
                mem.set(yOff + p * oh * ow + q, v);
            }
        }
    }

    /**
     * {@link Resize.Backward}: one work-item per plane scatters the output gradients in output
     * order, as the JVM kernel does (a plane is never shared, so no two work-items collide).
     * args: dyOff, dxOff, planes, h, w, oh, ow, accumulate, in that order.
     */
    public static void backward(FloatArray mem, IntArray args) {
        int dyOff = args.get(0), dxOff = args.get(1), planes = args.get(2), h = args.get(3), w = args.get(4);
        int oh = args.get(5), ow = args.get(6), accumulate = args.get(7);
        for (@Parallel int p = 0; p < Math.max(0, planes); p++) {
            int xp = dxOff + p * h * w, yp = dyOff + p * oh * ow;
            if (accumulate == 0) {
                for (int i = 0; i < h * w; i++) {
                    mem.set(xp + i, 0f);
                }
            }
            for (int oy = 0; oy < oh; oy++) {
                float sy = source(oy, h, oh);
                int y0 = (int) sy, y1 = Math.min(y0 + 1, h - 1);
                float ly = sy - y0;
                for (int ox = 0; ox < ow; ox++) {
                    float sx = source(ox, w, ow);
                    int x0 = (int) sx, x1 = Math.min(x0 + 1, w - 1);
                    float lx = sx - x0, g = mem.get(yp + oy * ow + ox);
                    mem.set(xp + y0 * w + x0, mem.get(xp + y0 * w + x0) + (1f - ly) * (1f - lx) * g);
                    mem.set(xp + y0 * w + x1, mem.get(xp + y0 * w + x1) + (1f - ly) * lx * g);
                    mem.set(xp + y1 * w + x0, mem.get(xp + y1 * w + x0) + ly * (1f - lx) * g);
                    mem.set(xp + y1 * w + x1, mem.get(xp + y1 * w + x1) + ly * lx * g);
                }
            }
        }
    }

    // Task bindings: the device tasks each step of Resize adds to a graph (called by the backend's dispatch).

    public static void bind(DeviceTasks t, Resize.Forward s) {
        t.graph().task(t.task(Launch.loops(s.oh() * s.ow(), s.planes())), TornadoResize::forward, t.heap(),
                t.args(t.at(s.x()), t.at(s.y()), s.planes(), s.h(), s.w(), s.oh(), s.ow()));
    }

    public static void bind(DeviceTasks t, Resize.Backward s) {
        t.graph().task(t.task(Launch.loops(s.planes())), TornadoResize::backward, t.heap(), t.args(t.at(s.dy()), t.at(s.dx()), s.planes(),
                s.h(), s.w(), s.oh(), s.ow(), DeviceTasks.flag(s.accumulate())));
    }
}
