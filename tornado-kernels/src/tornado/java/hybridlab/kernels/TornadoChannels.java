package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device twins of {@link Channels}: per-channel operations on {@code (batch, channels, hw)} maps.
 * The maps written per element have a CPU form too: a work-item per plane, in blocks of 16 that
 * are loaded, computed and stored in turn (the form the OpenCL compiler vectorizes).
 */
public final class TornadoChannels {
    private TornadoChannels() {
    }

    /**
     * {@link Channels.BiasGrad}: {@code db[c] (+)= sum over images, then positions, of dy}. One work-item per channel.
     * args: dyOff, dbOff, batch, channels, hw, accumulate.
     */
    public static void biasGrad(FloatArray mem, IntArray args) {
        int dyOff = args.get(0), dbOff = args.get(1), batch = args.get(2), channels = args.get(3), hw = args.get(4),
                accumulate = args.get(5);
        for (@Parallel int c = 0; c < Math.max(0, channels); c++) {
            float acc = 0f;
            for (int b = 0; b < batch; b++) {
                int o = dyOff + (b * channels + c) * hw;
                for (int p = 0; p < hw; p++) {
                    acc += mem.get(o + p);
                }
            }
            int o = dbOff + c;
            mem.set(o, accumulate != 0 ? mem.get(o) + acc : acc);
        }
    }

    /** {@link Channels.Scale}: {@code y[b, c, p] (+)= x[b, c, p] s[b, c]}. args: xOff, sOff, yOff, planes, hw, accumulate. */
    public static void scale(FloatArray mem, IntArray args) {
        int xOff = args.get(0), sOff = args.get(1), yOff = args.get(2), planes = args.get(3), hw = args.get(4),
                accumulate = args.get(5);
        for (@Parallel int p = 0; p < Math.max(0, hw); p++) {
            for (@Parallel int t = 0; t < Math.max(0, planes); t++) {
                float v = mem.get(xOff + t * hw + p) * mem.get(sOff + t);
                int o = yOff + t * hw + p;
                mem.set(o, accumulate != 0 ? mem.get(o) + v : v);
            }
        }
    }

    /** {@link #scale} on a CPU device: work-item {@code t} for plane {@code t}. args as {@link #scale}. */
    public static void scalePlanes(KernelContext ctx, FloatArray mem, IntArray args) {
        int t = ctx.globalIdx, planes = args.get(3);
        if (t < planes) {
            int hw = args.get(4), accumulate = args.get(5), x = args.get(0) + t * hw, y = args.get(2) + t * hw;
            float sv = mem.get(args.get(1) + t);
            float[] b = new float[16];
            int whole = hw - hw % 16;
            for (int p = 0; p < whole; p += 16) {
                for (int l = 0; l < 16; l++) {
                    b[l] = mem.get(x + p + l) * sv;
                }
                TornadoElementwise.storeLanes(mem, y + p, b, accumulate);
            }
            for (int p = whole; p < hw; p++) {
                float v = mem.get(x + p) * sv;
                mem.set(y + p, accumulate != 0 ? mem.get(y + p) + v : v);
            }
        }
    }

    /**
     * {@link Channels.ScaleGrad}: {@code ds[b, c] (+)= sum_p dy x}. One work-item per plane.
     * args: xOff, dyOff, dsOff, planes, hw, accumulate.
     */
    public static void scaleGrad(FloatArray mem, IntArray args) {
        int xOff = args.get(0), dyOff = args.get(1), dsOff = args.get(2), planes = args.get(3), hw = args.get(4),
                accumulate = args.get(5);
        for (@Parallel int t = 0; t < Math.max(0, planes); t++) {
            float acc = 0f;
            for (int p = 0; p < hw; p++) {
                acc += mem.get(dyOff + t * hw + p) * mem.get(xOff + t * hw + p);
            }
            int o = dsOff + t;
            mem.set(o, accumulate != 0 ? mem.get(o) + acc : acc);
        }
    }

    /** {@link Channels.Mean}: {@code y[b, c] = mean_p x[b, c, p]}. One work-item per plane. args: xOff, yOff, planes, hw. */
    public static void mean(FloatArray mem, IntArray args) {
        int xOff = args.get(0), yOff = args.get(1), planes = args.get(2), hw = args.get(3);
        float inv = 1f / hw;
        for (@Parallel int t = 0; t < Math.max(0, planes); t++) {
            float acc = 0f;
            for (int p = 0; p < hw; p++) {
                acc += mem.get(xOff + t * hw + p);
            }
            mem.set(yOff + t, acc * inv);
        }
    }

    /** {@link Channels.MeanGrad}: {@code dx[b, c, p] (+)= dy[b, c] / hw}. args: dyOff, dxOff, planes, hw, accumulate. */
    public static void meanGrad(FloatArray mem, IntArray args) {
        int dyOff = args.get(0), dxOff = args.get(1), planes = args.get(2), hw = args.get(3), accumulate = args.get(4);
        float inv = 1f / hw;
        for (@Parallel int p = 0; p < Math.max(0, hw); p++) {
            for (@Parallel int t = 0; t < Math.max(0, planes); t++) {
                float v = mem.get(dyOff + t) * inv;
                int o = dxOff + t * hw + p;
                mem.set(o, accumulate != 0 ? mem.get(o) + v : v);
            }
        }
    }

    /** {@link #meanGrad} on a CPU device: work-item {@code t} for plane {@code t}. args as {@link #meanGrad}. */
    public static void meanGradPlanes(KernelContext ctx, FloatArray mem, IntArray args) {
        int t = ctx.globalIdx, planes = args.get(2);
        if (t < planes) {
            int hw = args.get(3), accumulate = args.get(4), dx = args.get(1) + t * hw;
            float v = mem.get(args.get(0) + t) * (1f / hw);
            float[] b = new float[16];
            int whole = hw - hw % 16;
            for (int p = 0; p < whole; p += 16) {
                for (int l = 0; l < 16; l++) {
                    b[l] = v;
                }
                TornadoElementwise.storeLanes(mem, dx + p, b, accumulate);
            }
            for (int p = whole; p < hw; p++) {
                mem.set(dx + p, accumulate != 0 ? mem.get(dx + p) + v : v);
            }
        }
    }

    // Task bindings: the device tasks each step of Channels adds to a graph (called by the backend's dispatch).

    public static void bind(DeviceTasks t, Channels.BiasGrad s) {
        t.graph().task(t.task(Launch.loops(s.channels())), TornadoChannels::biasGrad, t.heap(),
                t.args(t.at(s.dy()), t.at(s.db()), s.batch(), s.channels(), s.hw(), DeviceTasks.flag(s.accumulate())));
    }

    public static void bind(DeviceTasks t, Channels.Scale s) {
        var args = t.args(t.at(s.x()), t.at(s.s()), t.at(s.y()), s.batch() * s.channels(), s.hw(), DeviceTasks.flag(s.accumulate()));
        if (t.cpu()) {
            t.graph().task(t.task(Launch.groups(new int[] {s.batch() * s.channels()}, new int[] {1})), TornadoChannels::scalePlanes, t.ctx(),
                    t.heap(), args);
        } else {
            t.graph().task(t.task(Launch.loops(s.hw(), s.batch() * s.channels())), TornadoChannels::scale, t.heap(), args);
        }
    }

    public static void bind(DeviceTasks t, Channels.ScaleGrad s) {
        t.graph().task(t.task(Launch.loops(s.batch() * s.channels())), TornadoChannels::scaleGrad, t.heap(),
                t.args(t.at(s.x()), t.at(s.dy()), t.at(s.ds()), s.batch() * s.channels(), s.hw(), DeviceTasks.flag(s.accumulate())));
    }

    public static void bind(DeviceTasks t, Channels.Mean s) {
        t.graph().task(t.task(Launch.loops(s.batch() * s.channels())), TornadoChannels::mean, t.heap(),
                t.args(t.at(s.x()), t.at(s.y()), s.batch() * s.channels(), s.hw()));
    }

    public static void bind(DeviceTasks t, Channels.MeanGrad s) {
        var args = t.args(t.at(s.dy()), t.at(s.dx()), s.batch() * s.channels(), s.hw(), DeviceTasks.flag(s.accumulate()));
        if (t.cpu()) {
            t.graph().task(t.task(Launch.groups(new int[] {s.batch() * s.channels()}, new int[] {1})), TornadoChannels::meanGradPlanes,
                    t.ctx(), t.heap(), args);
        } else {
            t.graph().task(t.task(Launch.loops(s.hw(), s.batch() * s.channels())), TornadoChannels::meanGrad, t.heap(), args);
        }
    }
}
