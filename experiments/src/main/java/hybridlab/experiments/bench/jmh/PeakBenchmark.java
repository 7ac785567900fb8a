package hybridlab.experiments.bench.jmh;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's fused multiply-add peak as the JVM reaches it: 12 independent vector FMA
 * chains held in registers, no memory traffic. One call is {@link #FLOPS} floating-point
 * operations; run with 1 and with 2 threads (all cores).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class PeakBenchmark {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int ITERATIONS = 4096;
    public static final double FLOPS = 2.0 * 12 * S.length() * ITERATIONS;

    public float a = 0.999f, b = 1e-4f;

    private float chains() {
        FloatVector x = FloatVector.broadcast(S, a), y = FloatVector.broadcast(S, b);
        FloatVector c0 = y, c1 = y.add(1f), c2 = y.add(2f), c3 = y.add(3f), c4 = y.add(4f), c5 = y.add(5f),
                c6 = y.add(6f), c7 = y.add(7f), c8 = y.add(8f), c9 = y.add(9f), c10 = y.add(10f), c11 = y.add(11f);
        for (int i = 0; i < ITERATIONS; i++) {
            c0 = c0.fma(x, y);
            c1 = c1.fma(x, y);
            c2 = c2.fma(x, y);
            c3 = c3.fma(x, y);
            c4 = c4.fma(x, y);
            c5 = c5.fma(x, y);
            c6 = c6.fma(x, y);
            c7 = c7.fma(x, y);
            c8 = c8.fma(x, y);
            c9 = c9.fma(x, y);
            c10 = c10.fma(x, y);
            c11 = c11.fma(x, y);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).lane(0);
    }

    @Benchmark
    @Threads(1)
    public float oneCore() {
        return chains();
    }

    @Benchmark
    @Threads(Threads.MAX)
    public float allCores() {
        return chains();
    }
}
