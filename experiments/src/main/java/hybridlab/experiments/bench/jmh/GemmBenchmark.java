package hybridlab.experiments.bench.jmh;

import hybridlab.kernels.Gemm;
import hybridlab.kernels.MatView;
import hybridlab.kernels.Slice;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The GEMM at the shapes the nano models run: token linears ({@code rows x in -> out}) and
 * per-image 1x1 convolutions ({@code batch x [cout x cin . cin x pixels]}, one weight matrix for
 * the whole batch, as the forward pass runs them); {@code sum} shapes are 1x1-conv weight
 * gradients summed over the batch. Shape: {@code batch:m:n:k[:sum]}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class GemmBenchmark {
    @Param({"1:1024:512:128", "1:1024:128:512", "1:1024:384:128", "1:256:1024:256", "1:256:256:1024",
            "64:128:256:32", "64:32:256:128", "64:256:64:64", "64:128:32:256:sum"})
    public String shape;

    @Param({"2"})
    public int threads;

    private KernelState state;

    /** 2 m n k batch: the floating-point operations of one call (for GFLOP/s). */
    public static double flops(String shape) {
        String[] p = shape.split(":");
        return 2.0 * Long.parseLong(p[0]) * Long.parseLong(p[1]) * Long.parseLong(p[2]) * Long.parseLong(p[3]);
    }

    @Setup(Level.Trial)
    public void setup() {
        String[] p = shape.split(":");
        int batch = Integer.parseInt(p[0]), m = Integer.parseInt(p[1]), n = Integer.parseInt(p[2]), k = Integer.parseInt(p[3]);
        boolean sum = p.length > 4;
        state = new KernelState();
        Slice a = state.buffer((sum ? batch : 1) * m * k), b = state.buffer(batch * k * n), c = state.buffer((sum ? 1 : batch) * m * n);
        // summed shapes read B transposed, as the weight gradient of a 1x1 conv does
        MatView bv = sum ? new MatView(b, 1, k, k * n) : MatView.rowMajor(b, n, k * n);
        state.compile(threads, Gemm.of(MatView.rowMajor(a, k, sum ? m * k : 0), bv, new MatView(c, n, 1, sum ? 0 : m * n), batch,
                m, n, k, false));
    }

    @Benchmark
    public void gemm() {
        state.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        state.close();
    }
}
