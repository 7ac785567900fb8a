package hybridlab.experiments.bench;

import hybridlab.backend.Backend;
import hybridlab.backend.Executable;
import hybridlab.kernels.Arena;
import hybridlab.models.ModelConfig;
import hybridlab.nn.Model;
import hybridlab.nn.ParamStore;
import hybridlab.nn.Plan;
import hybridlab.nn.optim.AdamW;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;

/** Steady-state throughput of one model on one backend: training steps and inference batches. */
public final class Throughput {
    private Throughput() {
    }

    /**
     * {@code compileSeconds}: building both plans for the backend, {@code compileTrainSeconds}
     * and {@code compileInferSeconds} each plan's share (a TornadoVM device compiles every
     * kernel then; throughput is timed apart, after warm-up). {@code allocBytesPerStep}: heap
     * bytes the stepping threads allocated per timed training step (after warm-up), as the JVM's
     * per-thread allocation counters report them; -1 if unsupported.
     */
    public record Result(String model, int batch, String backend, String device, int threads, double trainImgS,
                         double inferImgS, double compileSeconds, double compileTrainSeconds, double compileInferSeconds,
                         long allocBytesPerStep) {
    }

    /** Times {@code steps} training steps and as many inference batches, each after {@code warmup}. */
    public static Result measure(ModelConfig mc, String name, Backend backend, int batch, int warmup, int steps) {
        return measure(mc, name, backend, batch, warmup, steps, false);
    }

    /** As above; with {@code profile}, prints where the training step's time goes. */
    public static Result measure(ModelConfig mc, String name, Backend backend, int batch, int warmup, int steps,
                                 boolean profile) {
        Model model = mc.build();
        ParamStore store = new ParamStore(model);
        store.initialize(0);
        AdamW opt = AdamW.defaults(0.05f, 0f);
        Plan train = Plan.training(model, store, batch, 0f, opt);
        Plan infer = Plan.evaluation(model, store, batch);
        long c0 = System.nanoTime();
        Executable xt = backend.compile(train.program(), profile);
        long c1 = System.nanoTime();
        Executable xi = backend.compile(infer.program(), profile);
        long c2 = System.nanoTime();
        double compile = (c2 - c0) / 1e9;
        for (Arena a : store.arenas()) {
            xt.upload(a);
            xi.upload(a);
        }
        fillRandom(train, model.classes());
        fillRandom(infer, model.classes());
        long[] alloc = new long[1];
        double trainS = time(xt, train, opt, warmup, steps, alloc);
        double inferS = time(xi, infer, null, warmup, steps, null);
        if (profile) {
            System.out.printf("%ntraining step:");
            Profile.print(train.program(), xt.stepNanos(), steps);
            System.out.printf("%ninference batch:");
            Profile.print(infer.program(), xi.stepNanos(), steps);
        }
        xt.close();
        xi.close();
        int threads = backend instanceof hybridlab.backend.JvmBackend j ? j.threads() : 0;
        return new Result(name, batch, backend.name(), backend.device(), threads,
                round(batch * steps / trainS), round(batch * steps / inferS), round(compile), round((c1 - c0) / 1e9),
                round((c2 - c1) / 1e9), alloc[0] < 0 ? -1 : alloc[0] / steps);
    }

    static double time(Executable x, Plan p, AdamW opt, int warmup, int steps, long[] alloc) {
        for (int i = 0; i < warmup; i++) {
            p.setStep(1e-4f, opt, i, 0);
            x.run();
        }
        java.util.Arrays.fill(x.stepNanos(), 0L);  // profile the timed steps only
        AllocationCounter counter = new AllocationCounter();
        long a0 = counter.read();
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            p.setStep(1e-4f, opt, warmup + i, 0);
            x.run();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long a1 = counter.read();
        if (alloc != null) {
            alloc[0] = a0 < 0 || a1 < 0 ? -1 : a1 - a0;
        }
        return seconds;
    }

    /**
     * Heap bytes allocated by the threads that run steps (this one and the JVM backend's pool),
     * read from the JVM's per-thread counters without allocating; -1 where unsupported.
     */
    static final class AllocationCounter {
        private final com.sun.management.ThreadMXBean mx;
        private final long[] ids;

        AllocationCounter() {
            mx = ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                    && t.isThreadAllocatedMemorySupported() ? t : null;
            ids = Thread.getAllStackTraces().keySet().stream()
                    .filter(th -> th == Thread.currentThread() || th.getName().startsWith("jvm-backend-"))
                    .mapToLong(Thread::threadId).toArray();
        }

        long read() {
            if (mx == null) {
                return -1;
            }
            long sum = 0;
            for (long id : ids) {
                sum += Math.max(0, mx.getThreadAllocatedBytes(id));
            }
            return sum;
        }
    }

    static void fillRandom(Plan p, int classes) {
        SplittableRandom r = new SplittableRandom(42);
        float[] in = p.input().data().f();
        for (int i = 0; i < p.input().size(); i++) {
            in[p.input().data().offset() + i] = (float) (r.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < p.batch(); i++) {
            p.labels().i()[p.labels().offset() + i] = r.nextInt(classes);
        }
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
