package hybridlab.backend.tornado;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.WorkerGrid;

/**
 * The launch-geometry policy on made-up device limits (no device needed): every grid respects
 * the work-group limit and the per-dimension limits, covers every loop iteration in whole
 * work-groups, and a fixed work-group the device cannot take is refused with the geometry named.
 */
class DeviceLimitsTest {
    static final List<int[]> LOOPS = List.of(new int[] {1}, new int[] {7}, new int[] {1000}, new int[] {3_000_001},
            new int[] {64, 3}, new int[] {5, 1000}, new int[] {1, 1}, new int[] {49, 128, 64}, new int[] {16, 3, 2},
            new int[] {0, 5});

    static long items(WorkerGrid g) {
        return Arrays.stream(Arrays.copyOf(g.getLocalWork(), g.dimension())).reduce(1, (a, b) -> a * b);
    }

    @Test
    void loopGridsRespectTheLimitsAndCoverTheLoops() {
        for (DeviceLimits d : List.of(new DeviceLimits(64, new long[] {64, 64, 64}, 1 << 16, false),
                new DeviceLimits(256, new long[] {1024, 1024, 64}, 1 << 16, true),
                new DeviceLimits(16, new long[] {16, 4, 1}, 1 << 16, false))) {
            for (int[] trips : LOOPS) {
                WorkerGrid g = d.grid(Launch.loops(trips));
                assertEquals(trips.length, g.dimension());
                assertTrue(items(g) <= d.maxGroup(), d + " " + Arrays.toString(trips) + ": " + DeviceLimits.describe(g));
                int[] order = trips.clone();
                if (d.innermostFirst()) {
                    for (int i = 0; i < order.length; i++) {
                        order[i] = trips[trips.length - 1 - i];
                    }
                }
                for (int i = 0; i < trips.length; i++) {
                    long local = g.getLocalWork()[i], global = g.getGlobalWork()[i];
                    assertTrue(local >= 1 && local <= d.maxItems()[i], DeviceLimits.describe(g));
                    assertEquals(0, global % local, DeviceLimits.describe(g));
                    assertTrue(global >= Math.max(1, order[i]) && global < Math.max(1, order[i]) + local, DeviceLimits.describe(g));
                }
            }
        }
    }

    @Test
    void innermostLoopIsDimensionZeroWhereTornadoInterchangesLoops() {
        WorkerGrid g = new DeviceLimits(256, new long[] {1024, 1024, 64}, 1 << 16, true).grid(Launch.loops(3, 500));
        assertArrayEquals(new long[] {512, 3}, Arrays.copyOf(g.getGlobalWork(), 2));
        WorkerGrid h = new DeviceLimits(256, new long[] {1024, 1024, 64}, 1 << 16, false).grid(Launch.loops(3, 500));
        assertArrayEquals(new long[] {4, 512}, Arrays.copyOf(h.getGlobalWork(), 2));
        assertArrayEquals(new long[] {4, 64}, Arrays.copyOf(h.getLocalWork(), 2));
    }

    @Test
    void groupsAreLaunchedAsAskedOrRefused() {
        DeviceLimits d = new DeviceLimits(64, new long[] {64, 64, 64}, 1 << 16, false);
        WorkerGrid g = d.grid(Launch.groups(new int[] {5, 3}, new int[] {8, 8}));
        assertArrayEquals(new long[] {40, 24}, Arrays.copyOf(g.getGlobalWork(), 2));
        assertArrayEquals(new long[] {8, 8}, Arrays.copyOf(g.getLocalWork(), 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.grid(Launch.groups(new int[] {2, 2}, new int[] {16, 16})));
        assertTrue(e.getMessage().contains("[16, 16]") && e.getMessage().contains("64"), e.getMessage());
        assertEquals(1, items(d.grid(Launch.single())));
    }

    @Test
    void forcedFamilyOverridesTheDeviceType() {
        String old = System.getProperty(DeviceLimits.FAMILY_PROPERTY);
        try {
            System.clearProperty(DeviceLimits.FAMILY_PROPERTY);
            assertEquals(KernelFamily.CPU, DeviceLimits.family(KernelFamily.CPU));
            assertEquals(KernelFamily.GPU, DeviceLimits.family(KernelFamily.GPU));
            System.setProperty(DeviceLimits.FAMILY_PROPERTY, "gpu");
            assertEquals(KernelFamily.GPU, DeviceLimits.family(KernelFamily.CPU));
            System.setProperty(DeviceLimits.FAMILY_PROPERTY, "other");
            assertEquals(KernelFamily.GPU, DeviceLimits.family(KernelFamily.CPU));
            assertEquals(KernelFamily.CPU, DeviceLimits.family(KernelFamily.GPU));
            System.setProperty(DeviceLimits.FAMILY_PROPERTY, "fpga");
            assertThrows(IllegalArgumentException.class, () -> DeviceLimits.family(KernelFamily.CPU));
        } finally {
            if (old == null) {
                System.clearProperty(DeviceLimits.FAMILY_PROPERTY);
            } else {
                System.setProperty(DeviceLimits.FAMILY_PROPERTY, old);
            }
        }
    }

    @Test
    void forcedLimitLowersTheDeviceLimit() {
        String old = System.getProperty(DeviceLimits.MAX_GROUP_PROPERTY);
        try {
            System.setProperty(DeviceLimits.MAX_GROUP_PROPERTY, "100");
            assertEquals(64, DeviceLimits.cap(4096));
            assertEquals(32, DeviceLimits.cap(32));
            System.clearProperty(DeviceLimits.MAX_GROUP_PROPERTY);
            assertEquals(DeviceLimits.PREFERRED, DeviceLimits.cap(4096));
            assertEquals(DeviceLimits.PREFERRED, DeviceLimits.cap(1000));
            assertEquals(32, DeviceLimits.cap(48));
            System.setProperty(DeviceLimits.MAX_GROUP_PROPERTY, "zero");
            assertThrows(IllegalArgumentException.class, () -> DeviceLimits.cap(4096));
        } finally {
            if (old == null) {
                System.clearProperty(DeviceLimits.MAX_GROUP_PROPERTY);
            } else {
                System.setProperty(DeviceLimits.MAX_GROUP_PROPERTY, old);
            }
        }
    }
}
