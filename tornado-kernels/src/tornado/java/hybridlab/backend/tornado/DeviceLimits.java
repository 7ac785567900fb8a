package hybridlab.backend.tornado;

import java.util.Arrays;
import uk.ac.manchester.tornado.api.WorkerGrid;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.WorkerGrid2D;
import uk.ac.manchester.tornado.api.WorkerGrid3D;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.TornadoDeviceType;

/**
 * What a device allows a work-group, read from the TornadoVM device, and the policy that turns a
 * task's {@link Launch} into an explicit {@link WorkerGrid}: no task is left to TornadoVM's
 * default scheduler (which can pick work-groups a GPU driver refuses).
 *
 * <p>{@code maxGroup} is the device's maximum work-group size, lowered to
 * {@value #PREFERRED} (a work-group every kernel can launch with: 256 work-items of at most 255
 * registers each fit a GPU multiprocessor's register file) and to the
 * {@code -D}{@value #MAX_GROUP_PROPERTY} limit when that is set (the tests force 64 to show the
 * geometry follows the limit); {@code maxItems} are the per-dimension limits.
 *
 * <p>{@code family} picks the kernels of ops that have a form for each kind of device
 * ({@link KernelFamily}): the device's type, or {@code -D}{@value #FAMILY_PROPERTY}{@code =cpu|gpu},
 * or {@code =other} for the family the device's type would not get (the tests run the other
 * family's kernels on every device this way).
 *
 * @param innermostFirst whether TornadoVM maps the innermost parallel loop to dimension 0 (its
 *                       loop interchange, on by default for non-CPU devices)
 */
public record DeviceLimits(int maxGroup, long[] maxItems, long localBytes, boolean innermostFirst, KernelFamily family) {
    /** System property: the most work-items of any work-group, below the device's own limit. */
    static final String MAX_GROUP_PROPERTY = "hybridlab.tornado.maxWorkGroup";
    /** System property: the kernel family to use whatever the device's type ({@code cpu}, {@code gpu} or {@code other}). */
    static final String FAMILY_PROPERTY = "hybridlab.tornado.kernels";
    /** Work-group size the plan uses when the device allows it. */
    static final int PREFERRED = 256;

    /** Limits of a GPU-like device (the family of most accelerators). */
    DeviceLimits(int maxGroup, long[] maxItems, long localBytes, boolean innermostFirst) {
        this(maxGroup, maxItems, localBytes, innermostFirst, KernelFamily.GPU);
    }

    public DeviceLimits {
        if (maxGroup < 1 || maxItems.length < 3) {
            throw new IllegalArgumentException("device limits: max work-group " + maxGroup + ", per dimension " + Arrays.toString(maxItems));
        }
    }

    static DeviceLimits of(TornadoDevice d) {
        long[] group = d.getPhysicalDevice().getDeviceMaxWorkGroupSize();
        long[] items = d.getDeviceMaxWorkgroupDimensions();
        long max = group != null && group.length > 0 && group[0] > 0 ? group[0] : 1;
        long[] dims = new long[3];
        for (int i = 0; i < 3; i++) {
            dims[i] = items != null && i < items.length && items[i] > 0 ? items[i] : 1;
        }
        boolean interchange = !"false".equalsIgnoreCase(System.getProperty("tornado.loop.interchange", "True"));
        boolean cpu = d.getDeviceType() == TornadoDeviceType.CPU;
        return new DeviceLimits(cap((int) Math.min(max, Integer.MAX_VALUE)), dims, d.getDeviceLocalMemorySize(),
                interchange && !cpu, family(cpu ? KernelFamily.CPU : KernelFamily.GPU));
    }

    /** The family for a device of type {@code byType}, unless {@value #FAMILY_PROPERTY} names one. */
    static KernelFamily family(KernelFamily byType) {
        String forced = System.getProperty(FAMILY_PROPERTY);
        if (forced == null || forced.isBlank()) {
            return byType;
        }
        return switch (forced.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "cpu" -> KernelFamily.CPU;
            case "gpu" -> KernelFamily.GPU;
            case "other" -> byType == KernelFamily.CPU ? KernelFamily.GPU : KernelFamily.CPU;
            default -> throw new IllegalArgumentException("-D" + FAMILY_PROPERTY + "=" + forced + " is not cpu, gpu or other");
        };
    }

    /** Whether the device gets the CPU form of the kernels. */
    public boolean cpu() {
        return family == KernelFamily.CPU;
    }

    /** Whether the device takes work-groups of {@code items} work-items, {@code side0 x side1}. */
    public boolean fitsGroup(int items, int side0, int side1) {
        return maxGroup >= items && maxItems[0] >= side0 && maxItems[1] >= side1;
    }

    /** The device's limit lowered to {@link #PREFERRED} and to the forced limit, as a power of two. */
    static int cap(int deviceMax) {
        int m = Math.min(deviceMax, PREFERRED);
        String forced = System.getProperty(MAX_GROUP_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            int f;
            try {
                f = Integer.parseInt(forced.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + MAX_GROUP_PROPERTY + "=" + forced + " is not a number");
            }
            if (f < 1) {
                throw new IllegalArgumentException("-D" + MAX_GROUP_PROPERTY + "=" + forced + " must be at least 1");
            }
            m = Math.min(m, f);
        }
        return Integer.highestOneBit(m);
    }

    /**
     * The grid of a task. Loops: dimension by dimension (in the device's loop order), a
     * power-of-two work-group side up to the trip count's next power of two and what is left of
     * {@link #maxGroup}, the global size rounded up to whole work-groups. Groups: exactly as
     * asked, refused when the work-group exceeds the limits.
     */
    WorkerGrid grid(Launch l) {
        int[] global, local;
        switch (l.kind()) {
            case SINGLE -> {
                global = new int[] {1};
                local = new int[] {1};
            }
            case GROUPS -> {
                local = l.local().clone();
                global = new int[local.length];
                for (int d = 0; d < local.length; d++) {
                    global[d] = Math.max(1, l.sizes()[d]) * local[d];
                }
            }
            default -> {
                int[] trips = l.sizes().clone();
                if (innermostFirst) {
                    reverse(trips);
                }
                global = new int[trips.length];
                local = new int[trips.length];
                int budget = maxGroup;
                for (int d = 0; d < trips.length; d++) {
                    int n = Math.max(1, trips[d]);
                    int side = (int) Math.min(Math.min(budget, Integer.highestOneBit(Math.max(1, (int) Math.min(maxItems[d], Integer.MAX_VALUE)))),
                            n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1);
                    side = Math.max(1, side);
                    local[d] = side;
                    budget = Math.max(1, budget / side);
                    global[d] = (int) (((long) n + side - 1) / side * side);
                }
            }
        }
        check(l, global, local);
        return switch (global.length) {
            case 1 -> withLocal(new WorkerGrid1D(global[0]), local[0], 1, 1);
            case 2 -> withLocal(new WorkerGrid2D(global[0], global[1]), local[0], local[1], 1);
            default -> withLocal(new WorkerGrid3D(global[0], global[1], global[2]), local[0], local[1], local[2]);
        };
    }

    private void check(Launch l, int[] global, int[] local) {
        long items = 1;
        for (int d = 0; d < local.length; d++) {
            items *= local[d];
            if (local[d] < 1 || local[d] > maxItems[d] || global[d] % local[d] != 0) {
                throw new IllegalArgumentException(l + ": work-group " + Arrays.toString(local) + " over " + Arrays.toString(global)
                        + " does not fit the device (at most " + Arrays.toString(maxItems) + " per dimension)");
            }
        }
        if (items > maxGroup) {
            throw new IllegalArgumentException(l + ": work-group " + Arrays.toString(local) + " has " + items
                    + " work-items, more than the limit " + maxGroup);
        }
    }

    private static WorkerGrid withLocal(WorkerGrid g, int x, int y, int z) {
        g.setLocalWork(x, y, z);
        return g;
    }

    private static void reverse(int[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** E.g. {@code work-groups of at most 256 work-items, CPU kernels}. */
    String describe() {
        return "work-groups of at most " + maxGroup + " work-items, " + family + " kernels";
    }

    /** The global and local sizes of a grid, for messages. */
    static String describe(WorkerGrid g) {
        return "global " + Arrays.toString(Arrays.copyOf(g.getGlobalWork(), g.dimension())) + ", local "
                + Arrays.toString(Arrays.copyOf(g.getLocalWork(), g.dimension()));
    }
}
