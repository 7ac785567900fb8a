package hybridlab.backend.tornado;

import hybridlab.kernels.Arena;
import hybridlab.kernels.Slice;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The TornadoVM mirror of a program's arenas. Every float arena is a region of one off-heap
 * {@link FloatArray}, the heap (followed by the device workspace), so a kernel names one array
 * and indexes it with heap offsets; every int arena is an {@link IntArray} of its own (kernels
 * only read them). Float arenas the host sends every run (inputs) or reads after every run
 * (outputs) also get a small staging array, copied into or out of the heap on the device, so a
 * run moves the batch and the loss, never the heap.
 */
final class DeviceArenas {
    /** Regions start on 64-byte boundaries. */
    private static final int ALIGN = 16;
    /**
     * Floats past the workspace: a CPU kernel loads whole 16-float rows of B and drops the columns
     * past the matrix's edge, so the last row of the heap may be read up to 15 floats beyond it.
     */
    static final int TAIL = 64;

    private final Map<Arena, Integer> base = new LinkedHashMap<>();
    private final Map<Arena, IntArray> ints = new LinkedHashMap<>();
    private final Map<Arena, FloatArray> staging = new LinkedHashMap<>();
    private final FloatArray heap;
    private final int workspace;

    DeviceArenas(Collection<Arena> arenas, Set<Arena> inputs, Set<Arena> outputs, int workspaceFloats) {
        int top = 0;
        for (Arena a : arenas) {
            a.seal();
            if (a.kind() == Arena.Kind.FLOAT) {
                base.put(a, top);
                top += (a.size() + ALIGN - 1) / ALIGN * ALIGN;
                if (inputs.contains(a) || outputs.contains(a)) {
                    staging.put(a, new FloatArray(Math.max(a.size(), 1)));
                }
            } else {
                ints.put(a, new IntArray(Math.max(a.size(), 1)));
            }
        }
        workspace = top;
        heap = new FloatArray(top + workspaceFloats + TAIL);
        for (Arena a : arenas) {
            toMirror(a);
        }
    }

    boolean holds(Arena a) {
        return base.containsKey(a) || ints.containsKey(a);
    }

    FloatArray heap() {
        return heap;
    }

    /** Heap offset of the device workspace. */
    int workspace() {
        return workspace;
    }

    /** Heap offset of a float slice. */
    int at(Slice s) {
        Integer b = base.get(s.arena());
        if (b == null) {
            throw new IllegalArgumentException(s + " is not a float slice of this program");
        }
        return b + s.offset();
    }

    int base(Arena a) {
        return base.get(a);
    }

    IntArray ints(Slice s) {
        IntArray i = ints.get(s.arena());
        if (i == null) {
            throw new IllegalArgumentException(s + " is not an int slice of this program");
        }
        return i;
    }

    IntArray ints(Arena a) {
        return ints.get(a);
    }

    FloatArray staging(Arena a) {
        return staging.get(a);
    }

    boolean isFloat(Arena a) {
        return base.containsKey(a);
    }

    /** The arrays that stay on the device: the heap and every int arena. */
    List<Object> resident() {
        List<Object> out = new ArrayList<>();
        out.add(heap);
        out.addAll(ints.values());
        return out;
    }

    Set<Arena> arenas() {
        Set<Arena> all = new java.util.LinkedHashSet<>(base.keySet());
        all.addAll(ints.keySet());
        return all;
    }

    /** Host array of {@code a} into its heap region (or its int mirror). */
    void toMirror(Arena a) {
        if (a.kind() == Arena.Kind.FLOAT) {
            MemorySegment.copy(a.floats(), 0, heap.getSegment(), ValueLayout.JAVA_FLOAT, 4L * base(a), a.floats().length);
        } else {
            MemorySegment.copy(a.ints(), 0, ints.get(a).getSegment(), ValueLayout.JAVA_INT, 0, a.ints().length);
        }
    }

    /** Heap region (or int mirror) of {@code a} into its host array. */
    void toHost(Arena a) {
        if (a.kind() == Arena.Kind.FLOAT) {
            MemorySegment.copy(heap.getSegment(), ValueLayout.JAVA_FLOAT, 4L * base(a), a.floats(), 0, a.floats().length);
        } else {
            MemorySegment.copy(ints.get(a).getSegment(), ValueLayout.JAVA_INT, 0, a.ints(), 0, a.ints().length);
        }
    }

    /** Host array of a float input into its staging array. */
    void toStaging(Arena a) {
        MemorySegment.copy(a.floats(), 0, staging.get(a).getSegment(), ValueLayout.JAVA_FLOAT, 0, a.floats().length);
    }

    /** Staging array of a float output into its host array. */
    void fromStaging(Arena a) {
        MemorySegment.copy(staging.get(a).getSegment(), ValueLayout.JAVA_FLOAT, 0, a.floats(), 0, a.floats().length);
    }

    /** Bytes of the device's copy (heap, int arenas, staging arrays). */
    long bytes() {
        long b = 4L * heap.getSize();
        for (IntArray i : ints.values()) {
            b += 4L * i.getSize();
        }
        for (FloatArray f : staging.values()) {
            b += 4L * f.getSize();
        }
        return b;
    }
}
