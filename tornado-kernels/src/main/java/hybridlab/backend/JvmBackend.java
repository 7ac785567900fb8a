package hybridlab.backend;

import hybridlab.kernels.Arena;
import hybridlab.kernels.JvmTask;
import hybridlab.kernels.Step;
import java.util.List;

/**
 * The default backend: runs a program's steps in order on a pool of host threads, each step
 * split over the threads by work item. Host arrays are the device memory, so uploads and
 * downloads are no-ops.
 */
public final class JvmBackend implements Backend {
    private final WorkerPool pool;

    public JvmBackend(int threads) {
        this.pool = new WorkerPool(threads);
    }

    public int threads() {
        return pool.threads();
    }

    @Override
    public String name() {
        return "jvm";
    }

    @Override
    public String device() {
        return "jvm:" + pool.threads();
    }

    @Override
    public String description() {
        return "JVM " + Runtime.version() + ", " + pool.threads() + " thread(s), Vector API "
                + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit, "
                + System.getProperty("os.arch");
    }

    @Override
    public Executable compile(Program program, boolean profile) {
        for (Arena a : program.arenas()) {
            a.seal();
        }
        List<Step> steps = program.steps();
        JvmTask[] tasks = new JvmTask[steps.size()];
        for (int i = 0; i < tasks.length; i++) {
            tasks[i] = steps.get(i).jvm(pool.threads());
        }
        long[] nanos = profile ? new long[tasks.length] : null;
        return new Executable() {
            @Override
            public void run() {
                if (nanos == null) {
                    for (JvmTask t : tasks) {
                        pool.run(t);
                    }
                } else {
                    for (int i = 0; i < tasks.length; i++) {
                        long t0 = System.nanoTime();
                        pool.run(tasks[i]);
                        nanos[i] += System.nanoTime() - t0;
                    }
                }
            }

            @Override
            public void upload(Arena arena) {
            }

            @Override
            public void download(Arena arena) {
            }

            @Override
            public Program program() {
                return program;
            }

            @Override
            public long[] stepNanos() {
                return nanos == null ? new long[0] : nanos;
            }
        };
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Always available; the device id is {@code jvm} or {@code jvm:<threads>}. */
    public static final class Provider implements BackendProvider {
        @Override
        public String name() {
            return "jvm";
        }

        @Override
        public boolean available() {
            return true;
        }

        @Override
        public List<DeviceInfo> devices() {
            int cores = Runtime.getRuntime().availableProcessors();
            return List.of(new DeviceInfo("jvm", "host CPU, " + cores + " core(s), Vector API "
                    + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit"));
        }

        @Override
        public Backend open(String device, int threads) {
            return new JvmBackend(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        }
    }
}
