package hybridlab.backend.tornado;

import java.util.Arrays;

/**
 * The launch geometry a task asks for, set when the task is added to its graph and turned into
 * a {@code WorkerGrid} for the device by {@link DeviceLimits#grid}:
 * <ul>
 * <li>{@link #loops}: a kernel of {@code @Parallel} loops gives its loops' trip counts, outermost
 * first; the device picks the work-group, and every loop stays correct for any global size
 * (TornadoVM turns each parallel loop into a loop over this work-item's share of the range);
 * <li>{@link #single}: a kernel without parallel loops runs as one work-item;
 * <li>{@link #groups}: a {@code KernelContext} kernel gives how many work-groups of which fixed
 * size it needs per dimension (its local arrays are sized for that work-group).
 * </ul>
 */
public record Launch(Kind kind, int[] sizes, int[] local) {
    public enum Kind { LOOPS, SINGLE, GROUPS }

    public Launch {
        if (sizes.length < 1 || sizes.length > 3 || (local != null && local.length != sizes.length)) {
            throw new IllegalArgumentException("a launch has 1 to 3 dimensions: " + Arrays.toString(sizes));
        }
        for (int s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("negative launch size " + Arrays.toString(sizes));
            }
        }
    }

    /** A kernel of nested {@code @Parallel} loops: their trip counts, outermost first. */
    public static Launch loops(int... tripCounts) {
        return new Launch(Kind.LOOPS, tripCounts.clone(), null);
    }

    /** A kernel without parallel loops: one work-item. */
    public static Launch single() {
        return new Launch(Kind.SINGLE, new int[] {1}, null);
    }

    /** A {@code KernelContext} kernel: {@code groups[d]} work-groups of {@code local[d]} work-items in dimension {@code d}. */
    public static Launch groups(int[] groups, int[] local) {
        return new Launch(Kind.GROUPS, groups.clone(), local.clone());
    }

    @Override
    public String toString() {
        return switch (kind) {
            case LOOPS -> "loops " + Arrays.toString(sizes);
            case SINGLE -> "one work-item";
            case GROUPS -> "groups " + Arrays.toString(sizes) + " of " + Arrays.toString(local);
        };
    }
}
