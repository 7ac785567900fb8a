package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * Device twins of {@link Elementwise}: fill, strided block copy, add, scale and product.
 *
 * <p>Conventions of every {@code Tornado*} kernel class: every float slice lives in one device
 * heap, the {@link FloatArray} {@code mem}, and is passed as its offset there; flags are ints (0 or 1), since OpenCL kernels
 * take no booleans; an absent optional slice has offset -1. TornadoVM specialises each task on
 * its scalar arguments, so sizes and flags are compile-time constants of the generated kernel.
 * The outermost {@code @Parallel} loop becomes dimension 0 of the launch (neighbouring work-items),
 * so it runs over the contiguous index (the project runs TornadoVM with
 * {@code -Dtornado.loop.interchange=False}, so this holds on GPUs too).
 *
 * <p>Every task runs on an explicit grid, and a parallel loop whose bound is a bare parameter
 * would then take its bound from the grid instead (TornadoVM 5.2 reads such bounds from the
 * launch's global sizes, numbered by parameter, not by dimension): such bounds are written
 * {@code Math.max(0, n)}, which TornadoVM folds to the constant {@code n}, so the loop stays
 * bounded by its trip count whatever global size the plan picks.
 */
public final class TornadoElementwise {
    private TornadoElementwise() {
    }

    /** {@link Elementwise.Fill}: {@code d[i] = value}. */
    public static void fill(FloatArray mem, int dOff, int n, float value) {
        for (@Parallel int i = 0; i < Math.max(0, n); i++) {
            mem.set(dOff + i, value);
        }
    }

    /** {@link Elementwise.Copy}: run r of {@code len} elements from {@code src + r srcStride} to {@code dst + r dstStride}. */
    public static void copy(FloatArray mem, int sOff, int srcStride, int dOff, int dstStride, int blocks, int len,
                            int accumulate) {
        for (@Parallel int c = 0; c < Math.max(0, len); c++) {
            for (@Parallel int r = 0; r < Math.max(0, blocks); r++) {
                float v = mem.get(sOff + r * srcStride + c);
                int o = dOff + r * dstStride + c;
                mem.set(o, accumulate != 0 ? mem.get(o) + v : v);
            }
        }
    }

    /** {@link Elementwise.Add}: {@code y = a + b}. */
    public static void add(FloatArray mem, int aOff, int bOff, int yOff, int n) {
        for (@Parallel int i = 0; i < Math.max(0, n); i++) {
            mem.set(yOff + i, mem.get(aOff + i) + mem.get(bOff + i));
        }
    }

    /** {@link Elementwise.Scale}: {@code y (+)= alpha x}. */
    public static void scale(FloatArray mem, int xOff, int yOff, int n, float alpha, int accumulate) {
        for (@Parallel int i = 0; i < Math.max(0, n); i++) {
            float v = alpha * mem.get(xOff + i);
            mem.set(yOff + i, accumulate != 0 ? mem.get(yOff + i) + v : v);
        }
    }

    /** {@link Elementwise.Mul}: {@code y (+)= a b}. */
    public static void mul(FloatArray mem, int aOff, int bOff, int yOff, int n, int accumulate) {
        for (@Parallel int i = 0; i < Math.max(0, n); i++) {
            float v = mem.get(aOff + i) * mem.get(bOff + i);
            mem.set(yOff + i, accumulate != 0 ? mem.get(yOff + i) + v : v);
        }
    }

    // Task bindings: the device tasks each step of Elementwise adds to a graph (called by the backend's dispatch).

    public static void bind(DeviceTasks t, Elementwise.Fill s) {
        t.graph().task(t.task(Launch.loops(s.dst().length())), TornadoElementwise::fill, t.heap(), t.at(s.dst()), s.dst().length(), s.value());
    }

    public static void bind(DeviceTasks t, Elementwise.Copy s) {
        t.graph().task(t.task(Launch.loops(s.len(), s.blocks())), TornadoElementwise::copy, t.heap(), t.at(s.src()), s.srcStride(),
                t.at(s.dst()), s.dstStride(), s.blocks(), s.len(), DeviceTasks.flag(s.accumulate()));
    }

    public static void bind(DeviceTasks t, Elementwise.Add s) {
        t.graph().task(t.task(Launch.loops(s.n())), TornadoElementwise::add, t.heap(), t.at(s.a()), t.at(s.b()), t.at(s.y()), s.n());
    }

    public static void bind(DeviceTasks t, Elementwise.Scale s) {
        t.graph().task(t.task(Launch.loops(s.n())), TornadoElementwise::scale, t.heap(), t.at(s.x()), t.at(s.y()), s.n(), s.alpha(),
                DeviceTasks.flag(s.accumulate()));
    }

    public static void bind(DeviceTasks t, Elementwise.Mul s) {
        t.graph().task(t.task(Launch.loops(s.n())), TornadoElementwise::mul, t.heap(), t.at(s.a()), t.at(s.b()), t.at(s.y()), s.n(),
                DeviceTasks.flag(s.accumulate()));
    }
}
