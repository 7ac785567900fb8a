package hybridlab.kernels;

/**
 * A step bound to the JVM: {@code items} independent work items, run in ranges.
 *
 * <p>Each item's result depends only on the item, never on which thread runs it or how the
 * range was cut, which is what makes results identical for every thread count.
 */
public record JvmTask(int items, Body body, JvmTask then) {

    public JvmTask(int items, Body body) {
        this(items, body, null);
    }

    /** This task followed by {@code next}, which starts when every item of this one is done. */
    public JvmTask followedBy(JvmTask next) {
        return new JvmTask(items, body, then == null ? next : then.followedBy(next));
    }

    /** Runs items {@code [from, to)}; {@code worker} indexes per-thread scratch. */
    @FunctionalInterface
    public interface Body {
        void run(int from, int to, int worker);
    }

    /** Elementwise work is cut into blocks of this many elements per item. */
    public static final int BLOCK = 8192;

    /** Items for {@code n} elements in blocks of {@link #BLOCK}. */
    public static int blocks(long n) {
        return (int) ((n + BLOCK - 1) / BLOCK);
    }

    /** A task over {@code n} elements, handed to {@code body} as element ranges. */
    public static JvmTask elementwise(int n, ElementRange body) {
        return new JvmTask(blocks(n), (from, to, w) ->
                body.run(from * BLOCK, (int) Math.min((long) to * BLOCK, n)));
    }

    @FunctionalInterface
    public interface ElementRange {
        void run(int from, int to);
    }
}
