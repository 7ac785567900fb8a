package hybridlab.experiments.bench.jmh;

import hybridlab.backend.Executable;
import hybridlab.backend.JvmBackend;
import hybridlab.backend.Program;
import hybridlab.kernels.Arena;
import hybridlab.kernels.Slice;
import hybridlab.kernels.Step;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** A few kernel steps compiled on the JVM backend over one random-filled arena. */
final class KernelState implements AutoCloseable {
    final Arena arena = Arena.floats("bench");
    private JvmBackend backend;
    private Executable exec;

    Slice buffer(int n) {
        return arena.allocate(n);
    }

    void compile(int threads, Step... steps) {
        arena.seal();
        Random r = new Random(7);
        float[] d = arena.floats();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (r.nextGaussian() * 0.5);
        }
        backend = new JvmBackend(threads);
        exec = backend.compile(new Program("bench", List.of(steps), Set.of(), Set.of()));
    }

    void run() {
        exec.run();
    }

    @Override
    public void close() {
        backend.close();
    }
}
