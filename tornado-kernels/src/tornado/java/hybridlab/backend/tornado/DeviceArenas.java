package hybridlab.backend.tornado;

import hybridlab.kernels.Arena;
import hybridlab.kernels.Slice;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The TornadoVM mirror of a program's arenas: one off-heap {@link FloatArray} (or
 * {@link IntArray} for int arenas) per arena, the object TornadoVM keeps a device buffer for.
 * Kernels index these arrays with the arena offsets of their slices. Copies between an arena's
 * host array and its mirror happen only when asked ({@link #toMirror}, {@link #toHost}).
 */
final class DeviceArenas {
    private final Map<Arena, Object> mirrors = new LinkedHashMap<>();

    DeviceArenas(Iterable<Arena> arenas) {
        for (Arena a : arenas) {
            a.seal();
            int n = Math.max(a.size(), 1);
            mirrors.put(a, a.kind() == Arena.Kind.FLOAT ? new FloatArray(n) : new IntArray(n));
            toMirror(a);
        }
    }

    boolean holds(Arena a) {
        return mirrors.containsKey(a);
    }

    /** The mirror of {@code a}: a {@link FloatArray} or an {@link IntArray}. */
    Object of(Arena a) {
        Object m = mirrors.get(a);
        if (m == null) {
            throw new IllegalArgumentException("arena " + a + " is not part of this program");
        }
        return m;
    }

    FloatArray floats(Slice s) {
        if (!(of(s.arena()) instanceof FloatArray f)) {
            throw new IllegalArgumentException(s + " is not a float slice");
        }
        return f;
    }

    IntArray ints(Slice s) {
        if (!(of(s.arena()) instanceof IntArray i)) {
            throw new IllegalArgumentException(s + " is not an int slice");
        }
        return i;
    }

    /** Mirrors of every arena but {@code except}, in the program's arena order. */
    List<Object> allBut(java.util.Collection<Arena> except) {
        List<Object> out = new ArrayList<>();
        mirrors.forEach((a, m) -> {
            if (!except.contains(a)) {
                out.add(m);
            }
        });
        return out;
    }

    java.util.Set<Arena> arenas() {
        return mirrors.keySet();
    }

    /** Host array of {@code a} into its off-heap mirror. */
    void toMirror(Arena a) {
        MemorySegment seg = segment(a);
        if (a.kind() == Arena.Kind.FLOAT) {
            MemorySegment.copy(a.floats(), 0, seg, ValueLayout.JAVA_FLOAT, 0, a.floats().length);
        } else {
            MemorySegment.copy(a.ints(), 0, seg, ValueLayout.JAVA_INT, 0, a.ints().length);
        }
    }

    /** Off-heap mirror of {@code a} into its host array. */
    void toHost(Arena a) {
        MemorySegment seg = segment(a);
        if (a.kind() == Arena.Kind.FLOAT) {
            MemorySegment.copy(seg, ValueLayout.JAVA_FLOAT, 0, a.floats(), 0, a.floats().length);
        } else {
            MemorySegment.copy(seg, ValueLayout.JAVA_INT, 0, a.ints(), 0, a.ints().length);
        }
    }

    private MemorySegment segment(Arena a) {
        Object m = of(a);
        return m instanceof FloatArray f ? f.getSegment() : ((IntArray) m).getSegment();
    }

    /** Bytes of all mirrors (each also has a device buffer of the same size). */
    long bytes() {
        long b = 0;
        for (Arena a : mirrors.keySet()) {
            b += 4L * Math.max(a.size(), 1);
        }
        return b;
    }
}
