package hybridlab.kernels;

import java.util.Objects;

/**
 * One block of memory allocated once and carved into {@link Slice}s.
 *
 * <p>While open, {@link #allocate} hands out aligned slices; {@link #seal} fixes the size and
 * allocates the host array. Backends keep their own copy of a sealed arena (the JVM backend
 * uses the host array directly; a device backend mirrors it on the device).
 */
public final class Arena {
    /** What the arena holds: 32-bit floats (almost everything) or 32-bit ints (labels). */
    public enum Kind { FLOAT, INT }

    /** Slices start on 64-byte boundaries so vector loads of a slice's head are aligned. */
    static final int ALIGN = 16;

    private final String name;
    private final Kind kind;
    private int size;
    private float[] floats;
    private int[] ints;

    public Arena(String name, Kind kind) {
        this.name = Objects.requireNonNull(name);
        this.kind = Objects.requireNonNull(kind);
    }

    public static Arena floats(String name) {
        return new Arena(name, Kind.FLOAT);
    }

    public static Arena ints(String name) {
        return new Arena(name, Kind.INT);
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    /** Elements allocated so far (the arena's length once sealed). */
    public int size() {
        return size;
    }

    public boolean sealed() {
        return floats != null || ints != null;
    }

    /** Reserves {@code length} elements, aligned, and returns their slice. */
    public Slice allocate(int length) {
        if (sealed()) {
            throw new IllegalStateException("arena " + name + " is sealed");
        }
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        int offset = (size + ALIGN - 1) / ALIGN * ALIGN;
        long end = (long) offset + length;
        if (end > Integer.MAX_VALUE - ALIGN) {
            throw new IllegalStateException("arena " + name + " exceeds 2^31 elements");
        }
        size = (int) end;
        return new Slice(this, offset, length);
    }

    /** Allocates the host array; no slice can be added afterwards. Idempotent. */
    public Arena seal() {
        if (!sealed()) {
            if (kind == Kind.FLOAT) {
                floats = new float[Math.max(size, 1)];
            } else {
                ints = new int[Math.max(size, 1)];
            }
        }
        return this;
    }

    /** The host array of a sealed float arena. */
    public float[] floats() {
        if (floats == null) {
            throw new IllegalStateException("arena " + name + " is not a sealed float arena");
        }
        return floats;
    }

    /** The host array of a sealed int arena. */
    public int[] ints() {
        if (ints == null) {
            throw new IllegalStateException("arena " + name + " is not a sealed int arena");
        }
        return ints;
    }

    @Override
    public String toString() {
        return name + "[" + kind + " x " + size + "]";
    }
}
