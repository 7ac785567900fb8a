package hybridlab.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import hybridlab.kernels.Arena;
import hybridlab.kernels.Elementwise;
import hybridlab.kernels.JvmTask;
import hybridlab.kernels.LayerNorm;
import hybridlab.kernels.Slice;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JvmBackendTest {

    @Test
    void everyItemRunsExactlyOnceWhateverTheThreadCount() {
        for (int threads = 1; threads <= 5; threads++) {
            int[] hits = new int[103];
            try (WorkerPool pool = new WorkerPool(threads)) {
                pool.run(new JvmTask(hits.length, (from, to, w) -> {
                    for (int i = from; i < to; i++) {
                        hits[i]++;
                    }
                }));
            }
            for (int h : hits) {
                assertEquals(1, h);
            }
        }
    }

    @Test
    void aFreeThreadTakesOverTheRestOfABusyThreadsShare() {
        try (WorkerPool pool = new WorkerPool(2)) {
            // 16 items on 2 threads: chunks of one item; items 0-7 are the calling thread's share,
            // 8-15 the worker's. The first item of each share waits for the other's, so each
            // thread holds its own first item; then item 0 stays busy until the worker, done with
            // its share, runs an item of the caller's share.
            java.util.concurrent.CyclicBarrier bothStarted = new java.util.concurrent.CyclicBarrier(2);
            java.util.concurrent.CountDownLatch takenOver = new java.util.concurrent.CountDownLatch(1);
            int[] ranBy = new int[16];
            pool.run(new JvmTask(16, (from, to, w) -> {
                ranBy[from] = w;
                try {
                    if (from == 0 || from == 8) {
                        bothStarted.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    }
                    if (from == 0) {
                        takenOver.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    } else if (from < 8 && w != 0) {
                        takenOver.countDown();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
            assertEquals(0, takenOver.getCount(), "the idle thread never ran an item of the busy one's share");
            assertEquals(0, ranBy[0]);
            assertEquals(1, ranBy[8]);
        }
    }

    @Test
    void aWorkerFailureReachesTheCaller() {
        try (WorkerPool pool = new WorkerPool(3)) {
            // whichever thread runs it: the owner of the last share, or one that took it over
            for (int failing : new int[] {0, 4, 8}) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(new JvmTask(9,
                        (from, to, w) -> {
                            if (from <= failing && failing < to) {
                                throw new IllegalStateException("boom " + failing);
                            }
                        })));
                assertEquals("boom " + failing, e.getMessage());
            }
        }
    }

    /**
     * The pool and the step dispatch allocate nothing per run once warm, measured with the JVM's
     * counters of the threads that run the program (this one and the pool's; the test runner's
     * own threads allocate meanwhile). A one-off JIT event may land in a window, so the claim is
     * that some window of 1000 runs out of three allocates nothing.
     */
    @Test
    void runningACompiledProgramAllocatesNothing() {
        Arena a = Arena.floats("t");
        int rows = 256, cols = 64;
        Slice x = a.allocate(rows * cols), y = a.allocate(rows * cols), g = a.allocate(cols), b = a.allocate(cols),
                mean = a.allocate(rows), rstd = a.allocate(rows), z = a.allocate(rows * cols);
        Program p = new Program("p", List.of(new Elementwise.Fill(g, 1f), new Elementwise.Fill(b, 0f),
                new Elementwise.Copy(x, cols, z, cols, rows, cols, false),
                new LayerNorm.Forward(x, g, b, y, mean, rstd, rows, cols, 1e-5f)), Set.of(), Set.of());
        com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (JvmBackend backend = new JvmBackend(2)) {
            Executable e = backend.compile(p);
            for (int i = 0; i < 20_000; i++) {
                e.run();
            }
            long[] ids = Thread.getAllStackTraces().keySet().stream()
                    .filter(th -> th == Thread.currentThread() || th.getName().startsWith("jvm-backend-"))
                    .mapToLong(Thread::threadId).toArray();
            assertEquals(2, ids.length, "this thread and one pool thread");
            long best = Long.MAX_VALUE;
            for (int window = 0; window < 3 && best > 0; window++) {
                long before = allocated(t, ids);
                for (int i = 0; i < 1000; i++) {
                    e.run();
                }
                best = Math.min(best, allocated(t, ids) - before);
            }
            assertEquals(0, best, "bytes allocated by 1000 runs");
        }
    }

    /** Per-thread counters read one by one: the array-returning variant would itself allocate. */
    private static long allocated(com.sun.management.ThreadMXBean t, long[] ids) {
        long s = 0;
        for (long id : ids) {
            s += Math.max(0, t.getThreadAllocatedBytes(id));
        }
        return s;
    }

    @Test
    void programListsItsArenas() {
        Arena a = Arena.floats("a"), b = Arena.floats("b");
        Slice x = a.allocate(4), y = b.allocate(4);
        Program p = new Program("p", List.of(Elementwise.Copy.of(x, y, false)), Set.of(), Set.of());
        assertArrayEquals(new Object[] {a, b}, p.arenas().toArray());
    }
}
