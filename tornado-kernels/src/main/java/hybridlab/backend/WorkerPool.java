package hybridlab.backend;

import hybridlab.kernels.JvmTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of threads that runs one task at a time. Each thread owns a contiguous share of
 * the task's items, cut into {@link #CHUNKS} chunks that it runs in order; a thread done with its
 * own share takes the remaining chunks of the others, so one thread delayed by the machine does
 * not leave the rest waiting. Which thread runs an item never changes its result (see
 * {@link JvmTask}). Threads spin briefly between tasks, then park; nothing is allocated per
 * task, so the training step allocates nothing.
 */
final class WorkerPool implements AutoCloseable {
    private static final int SPINS = 1 << 14;
    /** Chunks per thread's share: the unit a free thread takes over from a busy one. */
    static final int CHUNKS = 8;
    /** Ints between two shares' counters, so that they sit on separate cache lines. */
    private static final int PAD = 16;

    private final int threads;
    private final Thread[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long epoch;
    private volatile boolean closed;
    private volatile Thread waiter;
    private volatile JvmTask task;
    private volatile Throwable failure;
    private final AtomicIntegerArray parked; // volatile flags: a parking worker and a new phase see each other
    /** Per share (at {@code share * PAD}): the next chunk of that share that nobody has taken. */
    private final AtomicIntegerArray nextChunk;

    WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        this.parked = new AtomicIntegerArray(threads);
        this.nextChunk = new AtomicIntegerArray(threads * PAD);
        for (int w = 1; w < threads; w++) {
            int id = w;
            Thread t = new Thread(() -> loop(id), "jvm-backend-" + w);
            t.setDaemon(true);
            workers[w - 1] = t;
            t.start();
        }
    }

    int threads() {
        return threads;
    }

    /** Runs all items of {@code t} (then of its follow-up tasks), each split in contiguous parts. */
    void run(JvmTask t) {
        for (JvmTask phase = t; phase != null; phase = phase.then()) {
            runPhase(phase);
        }
    }

    private void runPhase(JvmTask t) {
        int items = t.items();
        if (items == 0) {
            return;
        }
        int parts = Math.min(threads, items);
        if (parts == 1) {
            t.body().run(0, items, 0);
            return;
        }
        int chunks = chunks(items, parts);
        for (int p = 0; p < parts; p++) {
            nextChunk.set(p * PAD, firstChunk(p, parts, chunks));
        }
        task = t;
        failure = null;
        waiter = Thread.currentThread();
        pending.set(threads - 1);
        epoch++;
        for (int w = 1; w < threads; w++) {
            if (parked.get(w) == 1) {
                LockSupport.unpark(workers[w - 1]);
            }
        }
        try {
            runChunks(t, 0);
        } catch (Throwable e) {
            failure = e; // reported once the workers are done with this task
        }
        for (int spin = 0; pending.get() != 0; spin++) {
            if (spin < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, 50_000);
            }
        }
        Throwable f = failure;
        if (f != null) {
            if (f instanceof RuntimeException r) {
                throw r;
            }
            if (f instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(f);
        }
    }

    /** Chunks of a task: {@link #CHUNKS} per share, at least one item each. */
    private static int chunks(int items, int parts) {
        return Math.min(items, parts * CHUNKS);
    }

    private static int firstChunk(int part, int parts, int chunks) {
        return (int) ((long) chunks * part / parts);
    }

    /** Runs the chunks of this thread's own share that are left, then those left in the others. */
    private void runChunks(JvmTask t, int id) {
        int items = t.items(), parts = Math.min(threads, items), chunks = chunks(items, parts);
        for (int i = 0; i < parts; i++) {
            int part = (id + i) % parts, end = firstChunk(part + 1, parts, chunks);
            for (int c = nextChunk.getAndIncrement(part * PAD); c < end; c = nextChunk.getAndIncrement(part * PAD)) {
                int from = (int) ((long) items * c / chunks), to = (int) ((long) items * (c + 1) / chunks);
                t.body().run(from, to, id);
            }
        }
    }

    private void loop(int id) {
        long seen = 0;
        while (true) {
            int spin = 0;
            while (epoch == seen && !closed) {
                if (spin++ < SPINS) {
                    Thread.onSpinWait();
                } else {
                    parked.set(id, 1);
                    if (epoch == seen && !closed) {
                        LockSupport.parkNanos(this, 1_000_000);
                    }
                    parked.set(id, 0);
                }
            }
            if (closed) {
                return;
            }
            seen = epoch;
            JvmTask t = task;
            try {
                runChunks(t, id);
            } catch (Throwable e) {
                failure = e;
            } finally {
                if (pending.decrementAndGet() == 0) {
                    LockSupport.unpark(waiter);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : workers) {
            LockSupport.unpark(t);
        }
    }
}
