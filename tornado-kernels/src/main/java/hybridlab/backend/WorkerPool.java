package hybridlab.backend;

import hybridlab.kernels.JvmTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of threads that runs one task at a time, each thread a fixed contiguous share of
 * the task's items. Threads spin briefly between tasks, then park; nothing is allocated per
 * task, so the training step allocates nothing.
 */
final class WorkerPool implements AutoCloseable {
    private static final int SPINS = 1 << 14;

    private final int threads;
    private final Thread[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long epoch;
    private volatile boolean closed;
    private volatile Thread waiter;
    private volatile JvmTask task;
    private volatile Throwable failure;
    private final AtomicIntegerArray parked; // volatile flags: a parking worker and a new phase see each other

    WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        this.parked = new AtomicIntegerArray(threads);
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
        runPart(t, 0, parts);
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

    private static void runPart(JvmTask t, int part, int parts) {
        long n = t.items();
        int from = (int) (n * part / parts), to = (int) (n * (part + 1) / parts);
        if (from < to) {
            t.body().run(from, to, part);
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
                int parts = Math.min(threads, t.items());
                if (id < parts) {
                    runPart(t, id, parts);
                }
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
