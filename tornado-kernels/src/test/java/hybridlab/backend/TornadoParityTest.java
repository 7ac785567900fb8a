package hybridlab.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import hybridlab.kernels.Activation;
import hybridlab.kernels.Arena;
import hybridlab.kernels.BatchNorm;
import hybridlab.kernels.Channels;
import hybridlab.kernels.Conv;
import hybridlab.kernels.ConvShape;
import hybridlab.kernels.DepthwiseConv;
import hybridlab.kernels.Dropout;
import hybridlab.kernels.Elementwise;
import hybridlab.kernels.FactorAttention;
import hybridlab.kernels.Gemm;
import hybridlab.kernels.Hyper;
import hybridlab.kernels.LayerNorm;
import hybridlab.kernels.Loss;
import hybridlab.kernels.MatView;
import hybridlab.kernels.Optim;
import hybridlab.kernels.Pool;
import hybridlab.kernels.PoolShape;
import hybridlab.kernels.RelAttention;
import hybridlab.kernels.Resize;
import hybridlab.kernels.Rows;
import hybridlab.kernels.Slice;
import hybridlab.kernels.Softmax;
import hybridlab.kernels.Step;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every device kernel against its JVM twin, on every TornadoVM device present (or the one
 * {@code -Dhybridlab.tornado.device} names): each case runs the same steps on the same random
 * inputs on the JVM backend and on the device, then compares every float of every arena. Runs
 * only where the TornadoVM backend is available (built with {@code -Ptornado} and run on
 * TornadoVM's JVM flags); elsewhere the tests are skipped with the reason.
 *
 * <p>Tolerance (float32): every element within {@code 2e-4 (1 + |jvm|) + 2e-5 max|jvm|} of the
 * JVM's. The device sums in its own order (its own blocking and lanes), uses its own
 * {@code exp} (a few ulp from {@code FastMath.exp}) and the multiply-adds TornadoVM contracts
 * into {@code fma}; integer-valued results (hits, masks) must match exactly under the same
 * bound.
 */
class TornadoParityTest {
    static BackendProvider provider;
    /** Every TornadoVM device present (or the one {@code -Dhybridlab.tornado.device} names), opened once. */
    static final List<Backend> devices = new ArrayList<>();
    static JvmBackend jvm;

    static String missing;

    /** Opens the devices once; without TornadoVM every test is reported skipped with the reason. */
    @BeforeAll
    static void open() {
        provider = Backends.providers().stream().filter(p -> p.name().equals("tornado")).findFirst().orElse(null);
        if (provider == null) {
            missing = "TornadoVM backend not built in (build with mvn -Ptornado)";
        } else if (!provider.available()) {
            missing = "TornadoVM backend unavailable: " + provider.unavailableReason();
        } else {
            String only = System.getProperty("hybridlab.tornado.device", "");
            for (BackendProvider.DeviceInfo d : provider.devices()) {
                if (only.isBlank() || d.id().equals(only)) {
                    devices.add(provider.open(d.id(), 0));
                }
            }
            jvm = new JvmBackend(2);
        }
    }

    @BeforeEach
    void needsTornado() {
        Assumptions.assumeTrue(missing == null, () -> missing);
    }

    @AfterAll
    static void close() {
        devices.forEach(Backend::close);
        if (jvm != null) {
            jvm.close();
        }
    }

    /** A case's arenas: one float arena filled with random values, one int arena for labels. */
    static final class Bench {
        final Random rng;
        final Arena f = Arena.floats("f"), i = Arena.ints("i");
        final List<Slice> random = new ArrayList<>();
        final List<double[]> scales = new ArrayList<>();

        Bench(long seed) {
            rng = new Random(seed);
        }

        /** A float slice of {@code n} Gaussian values of standard deviation {@code scale}. */
        Slice x(int n, double scale) {
            Slice s = f.allocate(n);
            random.add(s);
            scales.add(new double[] {scale});
            return s;
        }

        Slice x(int n) {
            return x(n, 1);
        }

        /** A positive slice (variances, bias corrections). */
        Slice positive(int n) {
            return x(n, -1);
        }

        void seal() {
            f.seal();
            i.seal();
            for (int k = 0; k < random.size(); k++) {
                Slice s = random.get(k);
                double sc = scales.get(k)[0];
                for (int j = 0; j < s.length(); j++) {
                    s.f()[s.offset() + j] = (float) (sc < 0 ? 0.5 + rng.nextDouble() : rng.nextGaussian() * sc);
                }
            }
        }
    }

    static Arguments c(String name, java.util.function.Function<Bench, List<Step>> steps) {
        return Arguments.of(name, steps);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
            c("fill", b -> List.of(new Elementwise.Fill(b.x(1000), 2.5f))),
            c("copy strided", b -> List.of(new Elementwise.Copy(b.x(40 * 13), 13, b.x(40 * 17), 17, 40, 11, false))),
            c("copy accumulate", b -> List.of(new Elementwise.Copy(b.x(500), 50, b.x(600), 60, 10, 50, true))),
            c("add", b -> List.of(new Elementwise.Add(b.x(3001), b.x(3001), b.x(3001), 3001))),
            c("scale accumulate", b -> List.of(new Elementwise.Scale(b.x(2000), b.x(2000), 2000, -0.7f, true))),
            c("mul", b -> List.of(new Elementwise.Mul(b.x(2000), b.x(2000), b.x(2000), 2000, false))),
            c("gelu", b -> act(b, Activation.Kind.GELU)),
            c("silu", b -> act(b, Activation.Kind.SILU)),
            c("sigmoid", b -> act(b, Activation.Kind.SIGMOID)),
            c("gemm batched NT + col bias", b -> {
                int batch = 3, m = 13, n = 21, k = 37;
                Slice a = b.x(batch * m * k), bb = b.x(batch * k * n), cc = b.x(batch * m * n), bias = b.x(n);
                return List.of(new Gemm(MatView.rowMajor(a, k, m * k), new MatView(bb, 1, k, k * n),
                        MatView.rowMajor(cc, n, m * n), batch, m, n, k, false, bias, Gemm.BiasMode.COL));
            }),
            c("gemm TN accumulate + row bias", b -> {
                int m = 18, n = 40, k = 9;
                Slice a = b.x(m * k), bb = b.x(k * n), cc = b.x(m * n), bias = b.x(m);
                return List.of(new Gemm(new MatView(a, 1, m, 0), MatView.rowMajor(bb, n, 0), MatView.rowMajor(cc, n, 0), 1, m, n, k,
                        true, bias, Gemm.BiasMode.ROW));
            }),
            c("gemm + row bias + eval batch norm + gelu", b -> {
                int batch = 3, m = 12, n = 40, k = 16;
                Slice a = b.x(m * k), bb = b.x(batch * k * n), cc = b.x(batch * m * n), bias = b.x(m);
                return List.of(new Gemm(MatView.rowMajor(a, k, 0), MatView.rowMajor(bb, n, k * n), MatView.rowMajor(cc, n, m * n),
                        batch, m, n, k, false, bias, Gemm.BiasMode.ROW, new BatchNorm.RowEpilogue(b.x(m), b.x(m), b.x(m),
                                b.positive(m), 1e-5f, Activation.Kind.GELU)));
            }),
            c("depthwise + eval batch norm", b -> {
                ConvShape s = new ConvShape(2, 6, 8, 8, 6, 3, 1, 1, 1, 6);
                return List.of(new DepthwiseConv.Forward(s, b.x(s.inSize()), b.x(s.weightSize(), 0.3), null, b.x(s.outSize()),
                        new BatchNorm.RowEpilogue(b.x(6), b.x(6), b.x(6), b.positive(6), 1e-5f, null)));
            }),
            c("conv 3x3 + eval batch norm + gelu", b -> {
                ConvShape s = new ConvShape(2, 3, 9, 9, 8, 3, 1, 1, 1, 1);
                return List.of(new Conv.Forward(s, b.x(s.inSize()), b.x(s.weightSize(), 0.3), b.x(8), b.x(s.outSize()),
                        new BatchNorm.RowEpilogue(b.x(8), b.x(8), b.x(8), b.positive(8), 1e-5f, Activation.Kind.GELU)));
            }),
            c("gemm then gelu, in its epilogue", b -> {
                int batch = 2, m = 20, n = 40, k = 24;
                Slice a = b.x(batch * m * k), bb = b.x(k * n), cc = b.x(batch * m * n), bias = b.x(n);
                return List.of(new Gemm(MatView.rowMajor(a, k, m * k), MatView.rowMajor(bb, n, 0), MatView.rowMajor(cc, n, m * n), batch, m,
                        n, k, false, bias, Gemm.BiasMode.COL), new Activation.Forward(Activation.Kind.GELU, cc, b.x(batch * m * n), batch * m * n));
            }),
            c("gemm then residual add, in its epilogue", b -> {
                int m = 33, n = 17, k = 40;
                Slice a = b.x(m * k), bb = b.x(k * n), cc = b.x(m * n), y = b.x(m * n);
                return List.of(Gemm.of(MatView.rowMajor(a, k, 0), new MatView(bb, 1, k, 0), MatView.rowMajor(cc, n, 0), 1, m, n, k, false),
                        new Elementwise.Add(b.x(m * n), cc, y, m * n));
            }),
            c("gemm then silu gradient accumulated, in its epilogue", b -> {
                int batch = 3, m = 16, n = 21, k = 9;
                Slice a = b.x(batch * m * k), bb = b.x(batch * k * n), cc = b.x(batch * m * n);
                return List.of(Gemm.of(new MatView(a, 1, m, m * k), MatView.rowMajor(bb, n, k * n), MatView.rowMajor(cc, n, m * n), batch,
                        m, n, k, false), new Activation.Backward(Activation.Kind.SILU, b.x(batch * m * n, 3), cc, b.x(batch * m * n),
                        batch * m * n, true));
            }),
            c("gemm sum over batch", b -> {
                int batch = 9, m = 16, n = 10, k = 50;
                Slice a = b.x(batch * m * k), bb = b.x(batch * k * n), cc = b.x(m * n);
                return List.of(Gemm.of(MatView.rowMajor(a, k, m * k), new MatView(bb, 1, k, k * n), new MatView(cc, n, 1, 0),
                        batch, m, n, k, false));
            }),
            c("gemm transposed C", b -> {
                int m = 7, n = 5, k = 300;
                Slice a = b.x(m * k), bb = b.x(k * n), cc = b.x(m * n);
                return List.of(Gemm.of(MatView.rowMajor(a, k, 0), MatView.rowMajor(bb, n, 0), new MatView(cc, 1, m, 0), 1, m, n, k, true));
            }),
            c("gemm over several tiles, k not a multiple of the tile depth", b -> {
                int batch = 2, m = 70, n = 130, k = 45;
                Slice a = b.x(batch * m * k), bb = b.x(batch * k * n), cc = b.x(batch * m * n);
                return List.of(Gemm.of(MatView.rowMajor(a, k, m * k), MatView.rowMajor(bb, n, k * n), MatView.rowMajor(cc, n, m * n),
                        batch, m, n, k, false));
            }),
            c("gemm sum over batch over several tiles, A transposed", b -> {
                int batch = 3, m = 65, n = 66, k = 33;
                Slice a = b.x(batch * m * k), bb = b.x(batch * k * n), cc = b.x(m * n);
                return List.of(Gemm.of(new MatView(a, 1, m, m * k), MatView.rowMajor(bb, n, k * n), MatView.rowMajor(cc, n, 0),
                        batch, m, n, k, true));
            }),
            c("conv 3x3 pad 1 + bias", b -> conv(b, new ConvShape(2, 3, 9, 9, 8, 3, 1, 1, 1, 1), true)),
            c("conv strided dilated grouped", b -> conv(b, new ConvShape(3, 4, 11, 11, 6, 3, 2, 1, 2, 2), false)),
            c("conv 4x4 patch", b -> conv(b, new ConvShape(2, 1, 16, 16, 8, 4, 4, 0, 1, 1), true)),
            c("conv 7x7 on a 2x2 map", b -> conv(b, new ConvShape(2, 3, 2, 2, 4, 7, 1, 3, 1, 1), true)),
            c("conv 3x3 dilated grouped, stride 1", b -> conv(b, new ConvShape(2, 4, 9, 9, 6, 3, 1, 2, 2, 2), false)),
            c("conv weight gradient in more parts than runs of images", b -> {
                ConvShape s = new ConvShape(5, 3, 6, 6, 4, 3, 1, 1, 1, 1);
                int parts = 4;  // 2 images a run: 3 runs, the fourth partial is zero
                Slice partials = b.x(parts * s.weightSize());
                return List.of(new Conv.BackwardWeight(s, b.x(s.inSize()), b.x(s.outSize()), partials, parts),
                        new Rows.SumRows(partials, parts, s.weightSize(), b.x(s.weightSize()), false));
            }),
            c("depthwise 3x3", b -> depthwise(b, new ConvShape(3, 6, 10, 10, 6, 3, 1, 1, 1, 6), true, false)),
            c("depthwise 7x7 accumulate", b -> depthwise(b, new ConvShape(2, 4, 8, 8, 4, 7, 1, 3, 1, 4), false, true)),
            c("depthwise 3x3 accumulate on a 16x16 map", b -> depthwise(b, new ConvShape(2, 5, 16, 16, 5, 3, 1, 1, 1, 5), true, true)),
            c("depthwise 3x3 dilated", b -> depthwise(b, new ConvShape(2, 3, 12, 12, 3, 3, 1, 2, 2, 3), false, true)),
            c("depthwise strided", b -> depthwise(b, new ConvShape(2, 5, 9, 9, 5, 3, 2, 1, 1, 5), true, false)),
            c("depthwise 3x3 on a 2x2 map", b -> depthwise(b, new ConvShape(3, 40, 2, 2, 40, 3, 1, 1, 1, 40), true, false)),
            c("depthwise 7x7 on a 2x2 map", b -> depthwise(b, new ConvShape(3, 40, 2, 2, 40, 7, 1, 3, 1, 40), true, false)),
            c("channels", b -> {
                int batch = 3, ch = 5, hw = 37;
                Slice x = b.x(batch * ch * hw), s = b.x(batch * ch), y = b.x(batch * ch * hw), dy = b.x(batch * ch * hw);
                return List.of(new Channels.BiasGrad(dy, b.x(ch), batch, ch, hw, true),
                        new Channels.Scale(x, s, y, batch, ch, hw, true),
                        new Channels.ScaleGrad(x, dy, b.x(batch * ch), batch, ch, hw, false),
                        new Channels.Mean(x, b.x(batch * ch), batch, ch, hw),
                        new Channels.MeanGrad(s, b.x(batch * ch * hw), batch, ch, hw, true));
            }),
            c("rows", b -> List.of(new Rows.SumRows(b.x(30 * 50), 30, 45, 50, b.x(45), true),
                    new Rows.Transpose(b.x(4 * 33 * 70), b.x(4 * 33 * 70), 4, 33, 70, false))),
            c("batch norm train + gelu", b -> bnTrain(b, Activation.Kind.GELU)),
            c("batch norm train", b -> bnTrain(b, null)),
            c("batch norm eval + silu", b -> {
                int batch = 4, ch = 6, hw = 25;
                return List.of(new BatchNorm.Eval(b.x(batch * ch * hw), b.x(ch), b.x(ch), b.x(ch), b.positive(ch), b.x(batch * ch * hw),
                        batch, ch, hw, 1e-5f, Activation.Kind.SILU));
            }),
            c("batch norm backward + gelu", b -> bnBackward(b, Activation.Kind.GELU, false)),
            c("batch norm backward accumulate", b -> bnBackward(b, null, true)),
            c("layer norm", b -> {
                int rows = 70, cols = 48;
                Slice x = b.x(rows * cols), g = b.x(cols), be = b.x(cols), mean = b.x(rows), rstd = b.x(rows), dy = b.x(rows * cols);
                return List.of(new LayerNorm.Forward(x, g, be, b.x(rows * cols), mean, rstd, rows, cols, 1e-6f),
                        new LayerNorm.Backward(x, dy, g, mean, rstd, b.x(rows * cols), rows, cols, true),
                        new LayerNorm.ParamGrad(x, dy, mean, rstd, b.x(cols), b.x(cols), rows, cols, false));
            }),
            c("max pool 3x3/2/1", b -> {
                PoolShape s = new PoolShape(2, 3, 9, 8, 3, 2, 1);
                Slice x = b.x(2 * 3 * 72), y = b.x(2 * 3 * s.oh() * s.ow());
                return List.of(new Pool.MaxForward(s, x, y), new Pool.MaxBackward(s, x, y, b.x(2 * 3 * s.oh() * s.ow()), b.x(2 * 3 * 72), true));
            }),
            c("max pool 2x2", b -> {
                PoolShape s = new PoolShape(3, 2, 8, 8, 2, 2, 0);
                Slice x = b.x(3 * 2 * 64), y = b.x(3 * 2 * 16);
                return List.of(new Pool.MaxForward(s, x, y), new Pool.MaxBackward(s, x, y, b.x(3 * 2 * 16), b.x(3 * 2 * 64), false));
            }),
            c("avg pool", b -> {
                PoolShape s = new PoolShape(2, 3, 10, 10, 3, 2, 1);
                return List.of(new Pool.AvgForward(s, b.x(600), b.x(2 * 3 * s.oh() * s.ow())),
                        new Pool.AvgBackward(s, b.x(2 * 3 * s.oh() * s.ow()), b.x(600), true));
            }),
            c("resize down and up", b -> List.of(new Resize.Forward(b.x(5 * 16 * 16), b.x(5 * 8 * 8), 5, 16, 16, 8, 8),
                    new Resize.Forward(b.x(5 * 4 * 4), b.x(5 * 8 * 8), 5, 4, 4, 8, 8),
                    new Resize.Backward(b.x(5 * 8 * 8), b.x(5 * 16 * 16), 5, 16, 16, 8, 8, false),
                    new Resize.Backward(b.x(5 * 8 * 8), b.x(5 * 4 * 4), 5, 4, 4, 8, 8, true))),
            c("softmax rows", b -> softmax(b, 9, 17, 1)),
            c("softmax over tokens per channel", b -> softmax(b, 3, 33, 8)),
            c("softmax over rows longer than a work-group", b -> softmax(b, 3, 700, 1)),
            c("layer norm over rows longer than a work-group", b -> {
                int rows = 5, cols = 600;
                Slice x = b.x(rows * cols), g = b.x(cols), be = b.x(cols), mean = b.x(rows), rstd = b.x(rows);
                return List.of(new LayerNorm.Forward(x, g, be, b.x(rows * cols), mean, rstd, rows, cols, 1e-6f),
                        new LayerNorm.ParamGrad(x, b.x(rows * cols), mean, rstd, b.x(cols), b.x(cols), rows, cols, true));
            }),
            c("relative attention pre", b -> attention(b, RelAttention.Fusion.PRE)),
            c("relative attention post", b -> attention(b, RelAttention.Fusion.POST)),
            c("relative attention none", b -> attention(b, RelAttention.Fusion.NONE)),
            // 25 tokens: several 16-column and 6-row blocks of the GEMM with edges; 3 heads of 8
            c("relative attention pre 5x5 accumulate", b -> attention(b, RelAttention.Fusion.PRE, new RelAttention.Shape(2, 3, 8, 5, 5), true)),
            c("relative attention post 5x5 accumulate", b -> attention(b, RelAttention.Fusion.POST, new RelAttention.Shape(2, 3, 8, 5, 5), true)),
            c("factorized attention", b -> {
                FactorAttention.Shape s = new FactorAttention.Shape(2, 17, 3, 8);
                Slice qkv = b.x(2 * 17 * 3 * 24), ks = b.x(2 * 3 * 17 * 8), kv = b.x(2 * 3 * 64);
                return List.of(new FactorAttention.Forward(s, 0.35f, qkv, b.x(2 * 17 * 24), ks, kv),
                        new FactorAttention.Backward(s, 0.35f, qkv, ks, kv, b.x(2 * 17 * 24), b.x(2 * 17 * 3 * 24), true));
            }),
            c("cross entropy + sum", b -> {
                int batch = 11, classes = 10;
                Slice labels = b.i.allocate(batch), logits = b.x(batch * classes, 3), loss = b.x(batch), hit = b.x(batch);
                return List.of(new Loss.CrossEntropy(logits, labels, loss, hit, b.x(batch * classes), batch, classes, 0.1f, 1f / 8),
                        new Loss.Sum(loss, hit, b.x(2), batch));
            }),
            c("cross entropy without gradient", b -> {
                int batch = 7, classes = 10;
                Slice labels = b.i.allocate(batch);
                return List.of(new Loss.CrossEntropy(b.x(batch * classes, 3), labels, b.x(batch), b.x(batch), null, batch, classes, 0f, 1f));
            }),
            c("dropout and stochastic depth", b -> {
                Slice hyper = b.x(Hyper.SIZE);
                return List.of(new Dropout.Forward(b.x(4000), b.x(4000), 4000, 1, 0.8f, 3, hyper),
                        new Dropout.Backward(b.x(4000), b.x(4000), 4000, 100, 0.9f, 5, hyper, true));
            }),
            c("clip and adamw", b -> {
                int n = 40_000;
                Slice p = b.x(n), g = b.x(n), m = b.x(n), v = b.positive(n), hyper = b.x(Hyper.SIZE), parts = b.x(Optim.chunks(n));
                return List.of(new Optim.SquarePartials(g, parts), new Optim.ClipScale(parts, parts.length(), hyper, 50f),
                        new Optim.AdamW(p, g, m, v, hyper, 25_000, 0.9f, 0.999f, 1e-8f, 0.05f));
            })
        );
    }

    static List<Step> act(Bench b, Activation.Kind kind) {
        int n = 5003;
        Slice x = b.x(n, 3);
        return List.of(new Activation.Forward(kind, x, b.x(n), n), new Activation.Backward(kind, x, b.x(n), b.x(n), n, true));
    }

    static List<Step> conv(Bench b, ConvShape s, boolean bias) {
        Slice x = b.x(s.inSize()), w = b.x(s.weightSize(), 0.3), dy = b.x(s.outSize());
        int parts = 2;
        Slice partials = b.x(parts * s.weightSize());
        return List.of(new Conv.Forward(s, x, w, bias ? b.x(s.cout()) : null, b.x(s.outSize())),
                new Conv.BackwardData(s, dy, w, b.x(s.inSize()), false),
                new Conv.BackwardData(s, dy, w, b.x(s.inSize()), true),
                new Conv.BackwardWeight(s, x, dy, partials, parts),
                new Rows.SumRows(partials, parts, s.weightSize(), b.x(s.weightSize()), false));
    }

    static List<Step> depthwise(Bench b, ConvShape s, boolean bias, boolean accumulate) {
        Slice x = b.x(s.inSize()), w = b.x(s.weightSize(), 0.3), dy = b.x(s.outSize());
        return List.of(new DepthwiseConv.Forward(s, x, w, bias ? b.x(s.cout()) : null, b.x(s.outSize())),
                new DepthwiseConv.BackwardData(s, dy, w, b.x(s.inSize()), accumulate),
                new DepthwiseConv.BackwardWeight(s, x, dy, b.x(s.weightSize()), accumulate));
    }

    static List<Step> bnTrain(Bench b, Activation.Kind act) {
        int batch = 5, ch = 7, hw = 30;
        return List.of(new BatchNorm.Train(b.x(batch * ch * hw, 2), b.x(ch), b.x(ch), b.x(batch * ch * hw), b.x(ch), b.x(ch), b.x(ch),
                b.positive(ch), batch, ch, hw, 1e-5f, 0.1f, act));
    }

    static List<Step> bnBackward(Bench b, Activation.Kind act, boolean accumulate) {
        int batch = 4, ch = 6, hw = 33;
        Slice x = b.x(batch * ch * hw, 2), g = b.x(ch), be = b.x(ch), mean = b.x(ch), rstd = b.x(ch), rm = b.x(ch), rv = b.positive(ch);
        return List.of(new BatchNorm.Train(x, g, be, b.x(batch * ch * hw), mean, rstd, rm, rv, batch, ch, hw, 1e-5f, 0.1f, act),
                new BatchNorm.Backward(x, b.x(batch * ch * hw), g, be, mean, rstd, b.x(batch * ch * hw), b.x(ch), b.x(ch), batch, ch, hw,
                        accumulate, accumulate, act));
    }

    static List<Step> softmax(Bench b, int outer, int n, int inner) {
        Slice y = b.x(outer * n * inner);
        return List.of(new Softmax.Forward(b.x(outer * n * inner, 3), y, outer, n, inner),
                new Softmax.Backward(y, b.x(outer * n * inner), b.x(outer * n * inner), outer, n, inner, true));
    }

    static List<Step> attention(Bench b, RelAttention.Fusion fusion) {
        return attention(b, fusion, new RelAttention.Shape(2, 2, 16, 3, 4), false);
    }

    static List<Step> attention(Bench b, RelAttention.Fusion fusion, RelAttention.Shape s, boolean accumulate) {
        int n = s.tokens(), maps = s.batch() * s.heads() * n * n;
        Slice qkv = b.x(s.batch() * n * 3 * s.inner()), table = b.x(s.tableRows() * s.heads(), 0.5), probs = b.x(maps), src = b.x(maps);
        List<Step> steps = new ArrayList<>(List.of(new RelAttention.Forward(s, fusion, qkv, table, b.x(s.batch() * n * s.inner()), probs),
                new RelAttention.Backward(s, fusion, qkv, table, probs, b.x(s.batch() * n * s.inner()), b.x(s.batch() * n * 3 * s.inner()),
                        fusion == RelAttention.Fusion.NONE ? null : src, accumulate)));
        if (fusion != RelAttention.Fusion.NONE) {
            steps.add(new RelAttention.BiasGrad(s, src, b.x(s.tableRows() * s.heads()), true));
        }
        return steps;
    }

    /** Every case on every device present. */
    static Stream<Arguments> casesOnDevices() {
        List<String> ids = devices.isEmpty() ? List.of("(no device)") : devices.stream().map(Backend::device).toList();
        return ids.stream().flatMap(id -> cases().map(a -> Arguments.of(id, a.get()[0], a.get()[1])));
    }

    static Backend device(String id) {
        return devices.stream().filter(d -> d.device().equals(id)).findFirst().orElseThrow();
    }

    /** Runs {@code steps} on both backends from the same state and compares every float. */
    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("casesOnDevices")
    void deviceKernelMatchesJvmTwin(String deviceId, String name, java.util.function.Function<Bench, List<Step>> build) {
        Backend tornado = device(deviceId);
        Bench b = new Bench(name.hashCode());
        List<Step> steps = build.apply(b);
        b.seal();
        for (int k = 0; k < b.i.size(); k++) {
            b.i.ints()[k] = k % 3 == 2 ? -1 : (k * 7) % 10;  // labels, with some padding rows
        }
        float[] hyper = {1e-3f, 0.1f, 0.01f, 7, 3, 1f, 0f, 0f};
        for (Step s : steps) {
            Slice h = hyperOf(s);
            if (h != null) {
                System.arraycopy(hyper, 0, h.f(), h.offset(), Hyper.SIZE);
            }
        }
        float[] start = b.f.floats().clone();
        Program p = new Program(name, steps, Set.of(), Set.of());
        try (Executable x = jvm.compile(p)) {
            x.run();
        }
        float[] want = b.f.floats().clone();
        System.arraycopy(start, 0, b.f.floats(), 0, start.length);
        try (Executable x = tornado.compile(p)) {
            x.run();
            x.download(b.f);
        }
        compare(name + " on " + deviceId, b, want, b.f.floats());
    }

    static Slice hyperOf(Step s) {
        return switch (s) {
            case Dropout.Forward d -> d.hyper();
            case Dropout.Backward d -> d.hyper();
            case Optim.ClipScale c -> c.hyper();
            case Optim.AdamW a -> a.hyper();
            default -> null;
        };
    }

    static void compare(String what, Bench b, float[] want, float[] got) {
        double max = 0;
        for (float v : want) {
            max = Math.max(max, Math.abs(v));
        }
        int bad = 0;
        StringBuilder first = new StringBuilder();
        for (int k = 0; k < want.length; k++) {
            double tol = 2e-4 * (1 + Math.abs(want[k])) + 2e-5 * max;
            if (!(Math.abs(got[k] - want[k]) <= tol)) {
                if (bad++ < 5) {
                    first.append(String.format(" [%d] device %s jvm %s;", k, got[k], want[k]));
                }
            }
        }
        if (bad > 0) {
            fail(what + ": " + bad + " of " + want.length + " floats differ beyond tolerance:" + first);
        }
    }

    /** Every step type of the sealed hierarchy has a case above (so every device kernel is checked). */
    @Test
    void casesCoverEveryStepType() {
        Set<Class<?>> seen = new HashSet<>();
        cases().forEach(a -> {
            @SuppressWarnings("unchecked")
            java.util.function.Function<Bench, List<Step>> f = (java.util.function.Function<Bench, List<Step>>) a.get()[1];
            for (Step s : f.apply(new Bench(0))) {
                seen.add(s.getClass());
            }
        });
        Set<Class<?>> all = new HashSet<>(List.of(Step.class.getPermittedSubclasses()));
        all.removeAll(seen);
        assertEquals(Set.of(), all, "step types without a parity case");
    }

    /**
     * An activation right after a product whose output it reads whole is computed by the
     * product's epilogue: no task of its own (the profile charges both steps' time to the product),
     * the same values as the two steps apart.
     */
    @Test
    void productEpilogueComputesTheActivationAfterIt() {
        Bench b = new Bench(2);
        int m = 40, n = 48, k = 32;
        Slice a = b.x(m * k), w = b.x(k * n), c = b.x(m * n), y = b.x(m * n);
        b.seal();
        List<Step> steps = List.of(Gemm.of(MatView.rowMajor(a, k, 0), MatView.rowMajor(w, n, 0), MatView.rowMajor(c, n, 0), 1, m, n, k, false),
                new Activation.Forward(Activation.Kind.GELU, c, y, m * n));
        float[] start = b.f.floats().clone();
        try (Executable x = jvm.compile(new Program("apart", steps, Set.of(), Set.of()))) {
            x.run();
        }
        float[] want = b.f.floats().clone();
        for (Backend tornado : devices) {
            System.arraycopy(start, 0, b.f.floats(), 0, start.length);
            try (Executable e = tornado.compile(new Program("fused", steps, Set.of(), Set.of()), true)) {
                e.run();
                e.download(b.f);
                long[] nanos = e.stepNanos();
                assertTrue(nanos[0] > 0 && nanos[1] == 0, tornado.device() + ": the activation ran in the product's task: "
                        + java.util.Arrays.toString(nanos));
            }
            compare("fused gemm + gelu on " + tornado.device(), b, want, b.f.floats());
        }
    }

    /** The device really ran: the profile holds device kernel time for every step, and the backend names its device. */
    @Test
    void kernelsRunOnTheDevice() {
        assertTrue(!devices.isEmpty(), "TornadoVM lists a device");
        for (Backend tornado : devices) {
            kernelsRunOn(tornado);
        }
    }

    void kernelsRunOn(Backend tornado) {
        Bench b = new Bench(1);
        Slice x = b.x(100_000), y = b.x(100_000);
        b.seal();
        Program p = new Program("profiled", List.of(new Activation.Forward(Activation.Kind.GELU, x, y, 100_000),
                new Elementwise.Scale(y, x, 100_000, 2f, true)), Set.of(), Set.of());
        try (Executable e = tornado.compile(p, true)) {
            e.run();
            long[] nanos = e.stepNanos();
            assertEquals(2, nanos.length);
            assertTrue(nanos[0] > 0 && nanos[1] > 0, "device kernel time per step " + java.util.Arrays.toString(nanos));
        }
        assertTrue(tornado.description().startsWith("TornadoVM "), tornado.description());
        assertTrue(tornado.device().startsWith("tornado:"), tornado.device());
        assertTrue(!tornado.description().contains("bail-out"), "tests run with -Dtornado.recover.bailout=False");
        String forced = System.getProperty("hybridlab.tornado.maxWorkGroup");
        if (forced != null) {
            int want = Integer.highestOneBit(Math.min(256, Integer.parseInt(forced)));
            assertTrue(tornado.description().contains("work-groups of at most " + want + " work-items"),
                    "the forced work-group limit is in effect: " + tornado.description());
        }
        String family = System.getProperty("hybridlab.tornado.kernels");
        if (family != null) {
            // "other": the family the device's type (named in the description) would not get
            String want = family.equalsIgnoreCase("other") ? (tornado.description().contains("(CPU,") ? "GPU" : "CPU")
                    : family.toUpperCase(java.util.Locale.ROOT);
            assertTrue(tornado.description().contains(want + " kernels"), "the forced kernel family is in effect: " + tornado.description());
        }
    }
}
