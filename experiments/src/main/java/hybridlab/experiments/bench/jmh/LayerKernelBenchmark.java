package hybridlab.experiments.bench.jmh;

import hybridlab.kernels.Activation;
import hybridlab.kernels.BatchNorm;
import hybridlab.kernels.Conv;
import hybridlab.kernels.ConvShape;
import hybridlab.kernels.DepthwiseConv;
import hybridlab.kernels.FactorAttention;
import hybridlab.kernels.LayerNorm;
import hybridlab.kernels.RelAttention;
import hybridlab.kernels.Rows;
import hybridlab.kernels.Slice;
import hybridlab.kernels.Step;
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
 * The other hot kernels of the nano models at batch 64, forward and backward: the stem's 3x3
 * conv (16 -> 16 at 32x32), MBConv's depthwise 3x3 (128 channels at 16x16), CCTT's S3 relative
 * attention (4 heads x 16 tokens x 32), coat-lite-nano's stage-1 factorized attention (4 heads x
 * 257 tokens x 8), and the norms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class LayerKernelBenchmark {
    @Param({"conv3x3.forward", "conv3x3.backward", "depthwise.forward", "depthwise.backward", "relattention.forward",
            "relattention.backward", "factorattention.forward", "factorattention.backward", "layernorm.forward",
            "layernorm.backward", "batchnorm-gelu.forward", "batchnorm-gelu.backward"})
    public String kernel;

    @Param({"2"})
    public int threads;

    static final int B = 64;
    private KernelState state;

    /** Multiply-adds x 2 of one call, where that is the kernel's measure; 0 for memory-bound kernels. */
    public static double flops(String kernel) {
        return switch (kernel) {
            case "conv3x3.forward" -> 2.0 * conv().macs();
            case "conv3x3.backward" -> 4.0 * conv().macs();
            case "depthwise.forward" -> 2.0 * depthwise().macs();
            case "depthwise.backward" -> 4.0 * depthwise().macs();
            case "relattention.forward" -> 2.0 * 2 * B * 4 * 16 * 16 * 32;
            case "relattention.backward" -> 2.0 * 4 * B * 4 * 16 * 16 * 32;
            case "factorattention.forward" -> 2.0 * 2 * B * 4 * 257 * 8 * 8;
            case "factorattention.backward" -> 2.0 * 4 * B * 4 * 257 * 8 * 8;
            default -> 0;
        };
    }

    static ConvShape conv() {
        return new ConvShape(B, 16, 32, 32, 16, 3, 1, 1, 1, 1);
    }

    static ConvShape depthwise() {
        return new ConvShape(B, 128, 16, 16, 128, 3, 1, 1, 1, 128);
    }

    @Setup(Level.Trial)
    public void setup() {
        state = new KernelState();
        state.compile(threads, steps());
    }

    private Step[] steps() {
        KernelState s = state;
        switch (kernel.substring(0, kernel.indexOf('.'))) {
            case "conv3x3" -> {
                ConvShape c = conv();
                Slice x = s.buffer(c.inSize()), w = s.buffer(c.weightSize()), y = s.buffer(c.outSize()), dx = s.buffer(c.inSize()),
                        dw = s.buffer(c.weightSize()), parts = s.buffer(16 * c.weightSize());
                return kernel.endsWith("forward") ? new Step[] {new Conv.Forward(c, x, w, null, y)}
                        : new Step[] {new Conv.BackwardWeight(c, x, y, parts, 16), new Rows.SumRows(parts, 16, c.weightSize(), dw, false),
                                new Conv.BackwardData(c, y, w, dx, false)};
            }
            case "depthwise" -> {
                ConvShape c = depthwise();
                Slice x = s.buffer(c.inSize()), w = s.buffer(c.weightSize()), y = s.buffer(c.outSize()), dx = s.buffer(c.inSize()),
                        dw = s.buffer(c.weightSize());
                return kernel.endsWith("forward") ? new Step[] {new DepthwiseConv.Forward(c, x, w, null, y)}
                        : new Step[] {new DepthwiseConv.BackwardWeight(c, x, y, dw, false), new DepthwiseConv.BackwardData(c, y, w, dx, false)};
            }
            case "relattention" -> {
                RelAttention.Shape a = new RelAttention.Shape(B, 4, 32, 4, 4);
                Slice qkv = s.buffer(B * 16 * 384), table = s.buffer(a.tableRows() * 4), out = s.buffer(B * 16 * 128),
                        probs = s.buffer(B * 4 * 256), dq = s.buffer(B * 16 * 384), src = s.buffer(B * 4 * 256), dt = s.buffer(a.tableRows() * 4);
                return kernel.endsWith("forward") ? new Step[] {new RelAttention.Forward(a, RelAttention.Fusion.PRE, qkv, table, out, probs)}
                        : new Step[] {new RelAttention.Backward(a, RelAttention.Fusion.PRE, qkv, table, probs, out, dq, src, false),
                                new RelAttention.BiasGrad(a, src, dt, false)};
            }
            case "factorattention" -> {
                FactorAttention.Shape a = new FactorAttention.Shape(B, 257, 4, 8);
                Slice qkv = s.buffer(B * 257 * 96), out = s.buffer(B * 257 * 32), ks = s.buffer(B * 4 * 257 * 8),
                        kv = s.buffer(B * 4 * 64), dq = s.buffer(B * 257 * 96);
                return kernel.endsWith("forward") ? new Step[] {new FactorAttention.Forward(a, 0.35f, qkv, out, ks, kv)}
                        : new Step[] {new FactorAttention.Backward(a, 0.35f, qkv, ks, kv, out, dq, false)};
            }
            case "layernorm" -> {
                int rows = B * 16, cols = 128;
                Slice x = s.buffer(rows * cols), g = s.buffer(cols), b = s.buffer(cols), y = s.buffer(rows * cols), m = s.buffer(rows),
                        r = s.buffer(rows), dx = s.buffer(rows * cols), dg = s.buffer(cols), db = s.buffer(cols);
                return kernel.endsWith("forward") ? new Step[] {new LayerNorm.Forward(x, g, b, y, m, r, rows, cols, 1e-5f)}
                        : new Step[] {new LayerNorm.ParamGrad(x, y, m, r, dg, db, rows, cols, false),
                                new LayerNorm.Backward(x, y, g, m, r, dx, rows, cols, false)};
            }
            default -> {
                int ch = 128, hw = 256;
                Slice x = s.buffer(B * ch * hw), g = s.buffer(ch), b = s.buffer(ch), y = s.buffer(B * ch * hw), m = s.buffer(ch),
                        r = s.buffer(ch), rm = s.buffer(ch), rv = s.buffer(ch), dx = s.buffer(B * ch * hw), dg = s.buffer(ch), db = s.buffer(ch);
                return kernel.endsWith("forward")
                        ? new Step[] {new BatchNorm.Train(x, g, b, y, m, r, rm, rv, B, ch, hw, 1e-5f, 0.1f, Activation.Kind.GELU)}
                        : new Step[] {new BatchNorm.Backward(x, y, g, b, m, r, dx, dg, db, B, ch, hw, false, false, Activation.Kind.GELU)};
            }
        }
    }

    @Benchmark
    public void run() {
        state.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        state.close();
    }
}
