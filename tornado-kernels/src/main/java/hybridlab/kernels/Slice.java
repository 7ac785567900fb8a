package hybridlab.kernels;

/** A contiguous range {@code [offset, offset + length)} of an {@link Arena}. */
public record Slice(Arena arena, int offset, int length) {
    public Slice {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad slice " + offset + "+" + length);
        }
    }

    /** The sub-range {@code [from, from + len)} of this slice. */
    public Slice sub(int from, int len) {
        if (from < 0 || len < 0 || from + len > length) {
            throw new IndexOutOfBoundsException(from + "+" + len + " outside slice of " + length);
        }
        return new Slice(arena, offset + from, len);
    }

    public int end() {
        return offset + length;
    }

    /** Host data of a float slice; index it from {@link #offset()}. */
    public float[] f() {
        return arena.floats();
    }

    /** Host data of an int slice; index it from {@link #offset()}. */
    public int[] i() {
        return arena.ints();
    }

    @Override
    public String toString() {
        return arena.name() + "[" + offset + "+" + length + "]";
    }
}
