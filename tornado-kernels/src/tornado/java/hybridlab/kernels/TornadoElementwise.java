package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device twins of {@link Elementwise}: fill, strided block copy, add, scale and product.
 *
 * <p>Conventions of every {@code Tornado*} kernel class: every float slice lives in one device
 * heap, the {@link FloatArray} {@code mem}, and is passed as its offset there; flags are ints (0 or 1), since OpenCL kernels
 * take no booleans; an absent optional slice has offset -1. A kernel takes no scalar parameters:
 * its int arguments come in the task's own {@link IntArray} {@code args} and its float arguments in
 * a {@link FloatArray} {@code floats} (see {@link DeviceTasks#args}), so every task of one method
 * generates one OpenCL source.
 * The outermost {@code @Parallel} loop becomes dimension 0 of the launch (neighbouring work-items),
 * so it runs over the contiguous index (the project runs TornadoVM with
 * {@code -Dtornado.loop.interchange=False}, so this holds on GPUs too).
 *
 * <p>Every task runs on an explicit grid. Its loop bounds are values read from {@code args}, not
 * parameters, so TornadoVM 5.2's substitution of a bare-parameter bound by the launch's global
 * size no longer applies; the bounds written {@code Math.max(0, n)} stay as they are (harmless).
 */
public final class TornadoElementwise {
    private TornadoElementwise() {
    }

    /** {@link Elementwise.Fill}: {@code d[i] = value}. args: dOff, n; floats: value. */
    public static void fill(FloatArray mem, IntArray args, FloatArray floats) {
        int dOff = args.get(0), n = args.get(1);
        float value = floats.get(0);
        for (@Parallel int i = 0; i < Math.max(0, n); i++) {
            mem.set(dOff + i, value);
        }
    }

    /**
     * {@link Elementwise.Copy}: run r of {@code len} elements from {@code src + r srcStride} to {@code dst + r dstStride}.
     * args: sOff, srcStride, dOff, dstStride, blocks, len, accumulate.
     */
    public static void copy(FloatArray mem, IntArray args) {
        int sOff = args.get(0), srcStride = args.get(1), dOff = args.get(2), dstStride = args.get(3), blocks = args.get(4),
                len = args.get(5), accumulate = args.get(6);
        for (@Parallel int c = 0; c < Math.max(0, len); c++) {
            for (@Parallel int r = 0; r < Math.max(0, blocks); r++) {
                float v = mem.get(sOff + r * srcStride + c);
                int o = dOff + r * dstStride + c;
                mem.set(o, accumulate != 0 ? mem.get(o) + v : v);
            }
        }
    }

    /**
     * {@link #copy} on a CPU device: work-item {@code r} copies run {@code r} in blocks of 16
     * loaded, then stored (the form the OpenCL compiler vectorizes). args as {@link #copy}.
     */
    public static void copyRuns(KernelContext ctx, FloatArray mem, IntArray args) {
        int r = ctx.globalIdx, blocks = args.get(4);
        if (r < blocks) {
            int src = args.get(0) + r * args.get(1), dst = args.get(2) + r * args.get(3), len = args.get(5), accumulate = args.get(6);
            float[] b = new float[16];
            int whole = len - len % 16;
            for (int c = 0; c < whole; c += 16) {
                for (int l = 0; l < 16; l++) {
                    b[l] = mem.get(src + c + l);
                }
                storeLanes(mem, dst + c, b, accumulate);
            }
            for (int c = whole; c < len; c++) {
                float v = mem.get(src + c);
                mem.set(dst + c, accumulate != 0 ? mem.get(dst + c) + v : v);
            }
        }
    }

    /**
     * Stores the 16 lanes of {@code b} at {@code o}, added to the floats there when
     * {@code accumulate != 0}: all loads, then all stores, the form the OpenCL compiler vectorizes
     * (a loop that loads and stores the one heap element by element is left scalar). The CPU
     * kernels that write a map in blocks of 16 end each block with it.
     */
    static void storeLanes(FloatArray mem, int o, float[] b, int accumulate) {
        if (accumulate != 0) {
            for (int l = 0; l < 16; l++) {
                b[l] += mem.get(o + l);
            }
        }
        for (int l = 0; l < 16; l++) {
            mem.set(o + l, b[l]);
        }
    }

    /** {@link Elementwise.Add}: {@code y = a + b}. args: aOff, bOff, yOff, n. */
    public static void add(FloatArray mem, IntArray args) {
        int aOff = args.get(0), bOff = args.get(1), yOff = args.get(2), n = args.get(3);
        for (@Parallel int i = 0; i < Math.max(0, n); i++) {
            mem.set(yOff + i, mem.get(aOff + i) + mem.get(bOff + i));
        }
    }

    /** {@link Elementwise.Scale}: {@code y (+)= alpha x}. args: xOff, yOff, n, accumulate; floats: alpha. */
    public static void scale(FloatArray mem, IntArray args, FloatArray floats) {
        int xOff = args.get(0), yOff = args.get(1), n = args.get(2), accumulate = args.get(3);
        float alpha = floats.get(0);
        for (@Parallel int i = 0; i < Math.max(0, n); i++) {
            float v = alpha * mem.get(xOff + i);
            mem.set(yOff + i, accumulate != 0 ? mem.get(yOff + i) + v : v);
        }
    }

    /** {@link Elementwise.Mul}: {@code y (+)= a b}. args: aOff, bOff, yOff, n, accumulate. */
    public static void mul(FloatArray mem, IntArray args) {
        int aOff = args.get(0), bOff = args.get(1), yOff = args.get(2), n = args.get(3), accumulate = args.get(4);
        for (@Parallel int i = 0; i < Math.max(0, n); i++) {
            float v = mem.get(aOff + i) * mem.get(bOff + i);
            mem.set(yOff + i, accumulate != 0 ? mem.get(yOff + i) + v : v);
        }
    }

    // Task bindings: the device tasks each step of Elementwise adds to a graph (called by the backend's dispatch).

    public static void bind(DeviceTasks t, Elementwise.Fill s) {
        t.graph().task(t.task(Launch.loops(s.dst().length())), TornadoElementwise::fill, t.heap(), t.args(t.at(s.dst()), s.dst().length()),
                t.floats(s.value()));
    }

    public static void bind(DeviceTasks t, Elementwise.Copy s) {
        var args = t.args(t.at(s.src()), s.srcStride(), t.at(s.dst()), s.dstStride(), s.blocks(), s.len(), DeviceTasks.flag(s.accumulate()));
        if (t.cpu()) {
            t.graph().task(t.task(Launch.groups(new int[] {s.blocks()}, new int[] {1})), TornadoElementwise::copyRuns, t.ctx(), t.heap(), args);
        } else {
            t.graph().task(t.task(Launch.loops(s.len(), s.blocks())), TornadoElementwise::copy, t.heap(), args);
        }
    }

    public static void bind(DeviceTasks t, Elementwise.Add s) {
        t.graph().task(t.task(Launch.loops(s.n())), TornadoElementwise::add, t.heap(),
                t.args(t.at(s.a()), t.at(s.b()), t.at(s.y()), s.n()));
    }

    public static void bind(DeviceTasks t, Elementwise.Scale s) {
        t.graph().task(t.task(Launch.loops(s.n())), TornadoElementwise::scale, t.heap(), t.args(t.at(s.x()), t.at(s.y()), s.n(),
                DeviceTasks.flag(s.accumulate())), t.floats(s.alpha()));
    }

    public static void bind(DeviceTasks t, Elementwise.Mul s) {
        t.graph().task(t.task(Launch.loops(s.n())), TornadoElementwise::mul, t.heap(), t.args(t.at(s.a()), t.at(s.b()), t.at(s.y()), s.n(),
                DeviceTasks.flag(s.accumulate())));
    }
}
