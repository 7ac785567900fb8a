package hybridlab.kernels;

/**
 * Conventions of the work-group reduction kernels ({@code KernelContext} kernels named
 * {@code ...Groups}): one work-group per output (a channel, a row, a column, a chunk); its
 * work-items split the reduced range by stride (item {@code l} takes elements
 * {@code l, l + G, l + 2G, ...} in order, {@code G} the work-group size), then a tree in local
 * memory halves the partial sums ({@code part[l] += part[l + s]} for {@code s = G/2, G/4, ..., 1}).
 * The order of every addition depends only on {@code G}: the same bits on every run of one
 * device with one geometry. {@code G} is a power of two of at most {@link #MAX_GROUP}, the size
 * the kernels' local arrays are allocated with.
 */
public final class TornadoGroups {
    private TornadoGroups() {
    }

    /** The largest work-group of the reduction kernels (their local arrays' length). */
    public static final int MAX_GROUP = 256;
}
