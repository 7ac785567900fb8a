package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device twin of {@link Dropout}: {@code y (+)= x keep(i / group) / p}, the mask drawn from the
 * same hash of (seed, step, site, index) as on the JVM, so both draw identical masks. The seed
 * and step are read from the hyper block on the device.
 */
public final class TornadoDropout {
    private TornadoDropout() {
    }

    /**
     * {@link Dropout#uniform}, bit for bit. TornadoVM's OpenCL backend emits {@code >>>} on a long
     * as an arithmetic shift, so each unsigned shift is written as a shift and a mask.
     */
    static float uniform(int seed, int step, int site, int index) {
        long z = ((long) seed << 32) ^ ((long) step * 0x9E3779B97F4A7C15L) ^ ((long) site << 48) ^ index;
        z = (z ^ ((z >> 30) & 0x3FFFFFFFFL)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ ((z >> 27) & 0x1FFFFFFFFFL)) * 0x94D049BB133111EBL;
        z = z ^ ((z >> 31) & 0x1FFFFFFFFL);
        return (int) ((z >> 40) & 0xFFFFFFL) * 0x1.0p-24f;
    }

    /**
     * {@link Dropout.Forward} ({@code accumulate == 0}) and {@link Dropout.Backward}: the same masked scaling.
     * args: inOff, outOff, hOff, n, group, site, accumulate; floats: keep.
     */
    public static void apply(FloatArray mem, IntArray args, FloatArray floats) {
        int inOff = args.get(0), outOff = args.get(1), hOff = args.get(2), n = args.get(3), group = args.get(4), site = args.get(5),
                accumulate = args.get(6);
        float keep = floats.get(0);
        float inv = 1f / keep;
        for (@Parallel int i = 0; i < Math.max(0, n); i++) {
            int seed = (int) mem.get(hOff + Hyper.SEED), step = (int) mem.get(hOff + Hyper.STEP);
            float m = uniform(seed, step, site, i / group) < keep ? inv : 0f;
            float v = mem.get(inOff + i) * m;
            mem.set(outOff + i, accumulate != 0 ? mem.get(outOff + i) + v : v);
        }
    }

    // Task bindings: the device tasks each step of Dropout adds to a graph (called by the backend's dispatch).

    public static void bind(DeviceTasks t, Dropout.Forward s) {
        t.graph().task(t.task(Launch.loops(s.n())), TornadoDropout::apply, t.heap(),
                t.args(t.at(s.x()), t.at(s.y()), t.at(s.hyper()), s.n(), s.group(), s.site(), 0), t.floats(s.keep()));
    }

    public static void bind(DeviceTasks t, Dropout.Backward s) {
        t.graph().task(t.task(Launch.loops(s.n())), TornadoDropout::apply, t.heap(),
                t.args(t.at(s.dy()), t.at(s.dx()), t.at(s.hyper()), s.n(), s.group(), s.site(), DeviceTasks.flag(s.accumulate())),
                t.floats(s.keep()));
    }
}
