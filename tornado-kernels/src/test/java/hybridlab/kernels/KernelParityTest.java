package hybridlab.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import hybridlab.backend.Executable;
import hybridlab.backend.JvmBackend;
import hybridlab.backend.Program;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Optimised JVM kernels against the float64 {@link Reference} kernels on random inputs. Tolerance
 * (float32): every element within {@code 1e-4 * (1 + |ref|)} plus {@code 1e-5 * max|ref|}, which
 * leaves room for float32 rounding of sums of a few thousand terms and nothing else.
 */
class KernelParityTest {
    final Random rng = new Random(42);

    static void fill(Slice s, Random r, double scale) {
        for (int i = 0; i < s.length(); i++) {
            s.f()[s.offset() + i] = (float) (r.nextGaussian() * scale);
        }
    }

    static void run(Step... steps) {
        try (JvmBackend b = new JvmBackend(3)) {
            Executable x = b.compile(new Program("parity", List.of(steps), Set.of(), Set.of()));
            x.run();
        }
    }

    static void close(String what, double[] ref, Slice got) {
        double max = 0;
        for (double v : ref) {
            max = Math.max(max, Math.abs(v));
        }
        for (int i = 0; i < ref.length; i++) {
            float g = got.f()[got.offset() + i];
            double tol = 1e-4 * (1 + Math.abs(ref[i])) + 1e-5 * max;
            assertTrue(Math.abs(g - ref[i]) <= tol, what + " element " + i + ": " + g + " vs " + ref[i]);
        }
    }

    @ParameterizedTest(name = "gemm {0}x[{1}x{3} . {3}x{2}] transA={4} transB={5} sum={6}")
    @CsvSource({
        "1, 37, 45, 300, false, false, false",
        "1, 96, 64, 512, true, false, false",
        "1, 64, 96, 33, false, true, false",
        "5, 13, 70, 20, false, false, false",
        "3, 13, 96, 40, false, false, false",
        "2, 12, 32, 70, false, false, false",
        "1, 7, 112, 300, true, false, false",
        "2, 32, 64, 20, false, false, false",
        "1, 10, 96, 40, true, false, false",
        "1, 8, 40, 24, false, true, false",
        "4, 20, 32, 30, false, false, true",
        "2, 20, 48, 300, false, true, true",
        "2, 40, 64, 70, true, false, false",
        "9, 16, 40, 50, false, true, true",
        "64, 32, 24, 16, true, false, true"
    })
    void gemm(int batch, int m, int n, int k, boolean transA, boolean transB, boolean sum) {
        Arena ar = Arena.floats("g");
        Slice A = ar.allocate(batch * m * k), B = ar.allocate(batch * k * n), C = ar.allocate((sum ? 1 : batch) * m * n);
        ar.seal();
        fill(A, rng, 1);
        fill(B, rng, 1);
        MatView a = transA ? new MatView(A, 1, m, m * k) : MatView.rowMajor(A, k, m * k);
        MatView b = transB ? new MatView(B, 1, k, k * n) : MatView.rowMajor(B, n, k * n);
        run(Gemm.of(a, b, new MatView(C, n, 1, sum ? 0 : m * n), batch, m, n, k, false));
        close("gemm", Reference.gemm(ar.floats(), a, b, batch, m, n, k, sum), C);
    }

    @ParameterizedTest(name = "conv cin={0} cout={1} k={2} s={3} p={4} d={5} g={6} {7}x{7}")
    @CsvSource({
        "3, 8, 3, 1, 1, 1, 1, 12",
        "16, 16, 3, 1, 1, 1, 1, 32",
        "4, 6, 3, 2, 1, 2, 2, 11",
        "1, 16, 3, 1, 1, 1, 1, 32",
        "32, 32, 3, 1, 1, 1, 32, 16",
        "20, 20, 7, 1, 3, 1, 20, 8",
        "12, 12, 3, 1, 2, 2, 12, 9",
        "8, 8, 3, 2, 1, 1, 8, 10",
        "8, 12, 3, 1, 2, 2, 4, 9",
        "6, 4, 5, 1, 1, 1, 2, 7"
    })
    void convolutionForwardAndBackward(int cin, int cout, int k, int s, int p, int d, int g, int size) {
        ConvShape sh = new ConvShape(3, cin, size, size, cout, k, s, p, d, g);
        Arena ar = Arena.floats("c");
        Slice x = ar.allocate(sh.inSize()), w = ar.allocate(sh.weightSize()), bias = ar.allocate(cout), y = ar.allocate(sh.outSize()),
                dy = ar.allocate(sh.outSize()), dx = ar.allocate(sh.inSize()), dw = ar.allocate(sh.weightSize()),
                parts = ar.allocate(3 * sh.weightSize());
        ar.seal();
        fill(x, rng, 1);
        fill(w, rng, 0.3);
        fill(bias, rng, 1);
        fill(dy, rng, 1);
        if (sh.depthwise()) {
            run(new DepthwiseConv.Forward(sh, x, w, bias, y), new DepthwiseConv.BackwardData(sh, dy, w, dx, false),
                    new DepthwiseConv.BackwardWeight(sh, x, dy, dw, false));
        } else {
            run(new Conv.Forward(sh, x, w, bias, y), new Conv.BackwardData(sh, dy, w, dx, false),
                    new Conv.BackwardWeight(sh, x, dy, parts, 3), new Rows.SumRows(parts, 3, sh.weightSize(), dw, false));
        }
        float[] f = ar.floats();
        close("conv forward", Reference.conv(sh, f, x.offset(), f, w.offset(), f, bias.offset()), y);
        close("conv input grad", Reference.convInputGrad(sh, f, dy.offset(), f, w.offset()), dx);
        close("conv weight grad", Reference.convWeightGrad(sh, f, x.offset(), f, dy.offset()), dw);
    }

    @ParameterizedTest
    @EnumSource(Activation.Kind.class)
    void activations(Activation.Kind kind) {
        Arena ar = Arena.floats("a");
        Slice x = ar.allocate(20_011), y = ar.allocate(20_011);
        ar.seal();
        fill(x, rng, 3);
        run(new Activation.Forward(kind, x, y, 20_011));
        double[] ref = new double[20_011];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = Reference.act(kind, x.f()[x.offset() + i]);
        }
        close(kind.toString(), ref, y);
    }

    @Test
    void batchNormFusedWithGelu() {
        int batch = 6, ch = 5, hw = 37;
        Arena ar = Arena.floats("bn");
        Slice x = ar.allocate(batch * ch * hw), y = ar.allocate(batch * ch * hw), g = ar.allocate(ch), b = ar.allocate(ch),
                mean = ar.allocate(ch), rstd = ar.allocate(ch), rm = ar.allocate(ch), rv = ar.allocate(ch);
        ar.seal();
        fill(x, rng, 2);
        fill(g, rng, 1);
        fill(b, rng, 1);
        run(new BatchNorm.Train(x, g, b, y, mean, rstd, rm, rv, batch, ch, hw, 1e-5f, 0.1f, Activation.Kind.GELU));
        float[] gamma = new float[ch], beta = new float[ch];
        System.arraycopy(ar.floats(), g.offset(), gamma, 0, ch);
        System.arraycopy(ar.floats(), b.offset(), beta, 0, ch);
        close("bn+gelu", Reference.batchNorm(ar.floats(), x.offset(), batch, ch, hw, gamma, beta, 1e-5, Activation.Kind.GELU), y);
    }

    /** A 1x1 convolution's product with eval batch norm as its epilogue: bit for bit the product, then {@link BatchNorm.Eval}. */
    @Test
    void transpose16MovesEveryValueToItsTransposedPlace() {
        assumeTrue(Transpose16.AVAILABLE, "16-lane vectors only");
        float[] src = new float[40 * 50];
        for (int i = 0; i < src.length; i++) {
            src[i] = i;
        }
        int[] starts = new int[20];
        for (int q = 0; q < starts.length; q++) {
            starts[q] = 3 + (19 - q) * 50; // runs in any order, each 50 long
        }
        float[] dst = new float[16 * 24 + 40];
        Transpose16.block(src, starts, 4, 7, dst, 5, 24);
        for (int i = 0; i < 16; i++) {
            for (int q = 0; q < 16; q++) {
                assertEquals(src[starts[4 + q] + 7 + i], dst[5 + i * 24 + q], "row " + i + " column " + q);
            }
        }
    }

    @ParameterizedTest(name = "gemm + eval batch norm, act {0}")
    @CsvSource({"GELU", "''"})
    void gemmWithBatchNormEpilogue(String actName) {
        Activation.Kind act = actName.isEmpty() ? null : Activation.Kind.valueOf(actName);
        int batch = 3, ch = 20, px = 70, k = 24;
        Arena ar = Arena.floats("gbn");
        Slice w = ar.allocate(ch * k), x = ar.allocate(batch * k * px), bias = ar.allocate(ch), g = ar.allocate(ch),
                b = ar.allocate(ch), rm = ar.allocate(ch), rv = ar.allocate(ch), fused = ar.allocate(batch * ch * px),
                plain = ar.allocate(batch * ch * px), separate = ar.allocate(batch * ch * px);
        ar.seal();
        for (Slice s : new Slice[] {w, x, bias, g, b, rm}) {
            fill(s, rng, 1);
        }
        for (int i = 0; i < ch; i++) {
            rv.f()[rv.offset() + i] = 0.2f + rng.nextFloat();
        }
        MatView wv = MatView.rowMajor(w, k, 0), xv = MatView.rowMajor(x, px, k * px);
        BatchNorm.RowEpilogue bn = new BatchNorm.RowEpilogue(g, b, rm, rv, 1e-5f, act);
        run(new Gemm(wv, xv, MatView.rowMajor(fused, px, ch * px), batch, ch, px, k, false, bias, Gemm.BiasMode.ROW, bn),
                new Gemm(wv, xv, MatView.rowMajor(plain, px, ch * px), batch, ch, px, k, false, bias, Gemm.BiasMode.ROW),
                new BatchNorm.Eval(plain, g, b, rm, rv, separate, batch, ch, px, 1e-5f, act));
        for (int i = 0; i < batch * ch * px; i++) {
            assertEquals(separate.f()[separate.offset() + i], fused.f()[fused.offset() + i], "element " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> new Gemm(wv, xv, MatView.rowMajor(fused, px, ch * px),
                batch, ch, px, k, true, null, Gemm.BiasMode.NONE, bn), "an epilogue on an accumulated product");
        assertThrows(IllegalArgumentException.class, () -> new Gemm(wv, xv, MatView.rowMajor(fused, px + 1, 0),
                1, ch, px, k, false, null, Gemm.BiasMode.NONE, bn), "an epilogue on a strided C");
    }

    /** A convolution with eval batch norm applied per plane: bit for bit the convolution, then {@link BatchNorm.Eval}. */
    @ParameterizedTest(name = "conv groups {0} stride {1} + eval batch norm")
    @CsvSource({"10, 1", "10, 2", "1, 1", "2, 2"})
    void convolutionWithBatchNormEpilogue(int groups, int stride) {
        ConvShape sh = new ConvShape(3, 10, 9, 9, 10, 3, stride, 1, 1, groups);
        int out = 3 * 10 * sh.oh() * sh.ow();
        Arena ar = Arena.floats("dbn");
        Slice x = ar.allocate(3 * 10 * 81), w = ar.allocate(sh.weightSize()), g = ar.allocate(10), b = ar.allocate(10),
                rm = ar.allocate(10), rv = ar.allocate(10), fused = ar.allocate(out), plain = ar.allocate(out),
                separate = ar.allocate(out);
        ar.seal();
        for (Slice s : new Slice[] {x, w, g, b, rm}) {
            fill(s, rng, 1);
        }
        for (int i = 0; i < 10; i++) {
            rv.f()[rv.offset() + i] = 0.2f + rng.nextFloat();
        }
        BatchNorm.RowEpilogue bn = new BatchNorm.RowEpilogue(g, b, rm, rv, 1e-5f, Activation.Kind.GELU);
        run(sh.depthwise() ? new DepthwiseConv.Forward(sh, x, w, null, fused, bn) : new Conv.Forward(sh, x, w, null, fused, bn),
                sh.depthwise() ? new DepthwiseConv.Forward(sh, x, w, null, plain) : new Conv.Forward(sh, x, w, null, plain),
                new BatchNorm.Eval(plain, g, b, rm, rv, separate, 3, 10, sh.oh() * sh.ow(), 1e-5f, Activation.Kind.GELU));
        for (int i = 0; i < out; i++) {
            assertEquals(separate.f()[separate.offset() + i], fused.f()[fused.offset() + i], "element " + i);
        }
    }

    /**
     * Max pooling against a plain window scan, on small integers so that windows tie: the forward
     * takes the maximum, the backward routes each gradient to the window's first maximum (row-major).
     */
    @ParameterizedTest(name = "max pool {0}x{0} k{2}/{3} pad {4}")
    @CsvSource({"9, 9, 3, 2, 1", "8, 8, 3, 1, 1", "7, 6, 2, 2, 0", "3, 3, 3, 2, 1", "2, 2, 3, 1, 1"})
    void maxPoolWithTies(int h, int w, int k, int stride, int pad) {
        int batch = 2, ch = 3, oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
        PoolShape ps = new PoolShape(batch, ch, h, w, k, stride, pad, oh, ow);
        Arena ar = Arena.floats("pool");
        Slice x = ar.allocate(batch * ch * h * w), y = ar.allocate(batch * ch * oh * ow), dy = ar.allocate(batch * ch * oh * ow),
                dx = ar.allocate(batch * ch * h * w);
        ar.seal();
        for (int i = 0; i < x.length(); i++) {
            x.f()[x.offset() + i] = rng.nextInt(4);
        }
        fill(dy, rng, 1);
        run(new Pool.MaxForward(ps, x, y), new Pool.MaxBackward(ps, x, y, dy, dx, false));
        float[] X = x.f();
        double[] wantY = new double[y.length()], wantDx = new double[dx.length()];
        for (int p = 0; p < batch * ch; p++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int best = -1;
                    for (int iy = oy * stride - pad; iy < oy * stride - pad + k; iy++) {
                        for (int ix = ox * stride - pad; ix < ox * stride - pad + k; ix++) {
                            int at = (p * h + iy) * w + ix;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w && (best < 0 || X[x.offset() + at] > X[x.offset() + best])) {
                                best = at;
                            }
                        }
                    }
                    int o = (p * oh + oy) * ow + ox;
                    wantY[o] = X[x.offset() + best];
                    wantDx[best] += dy.f()[dy.offset() + o];
                }
            }
        }
        close("max pool", wantY, y);
        close("max pool backward", wantDx, dx);
    }

    @ParameterizedTest
    @EnumSource(RelAttention.Fusion.class)
    void relativeAttention(RelAttention.Fusion fusion) {
        RelAttention.Shape s = new RelAttention.Shape(3, 4, 32, 4, 4);
        Arena ar = Arena.floats("ra");
        Slice qkv = ar.allocate(3 * 16 * 3 * 128), table = ar.allocate(s.tableRows() * 4), out = ar.allocate(3 * 16 * 128),
                probs = ar.allocate(3 * 4 * 16 * 16);
        ar.seal();
        fill(qkv, rng, 1);
        fill(table, rng, 0.5);
        run(new RelAttention.Forward(s, fusion, qkv, table, out, probs));
        close("attention", Reference.relAttention(s, fusion, ar.floats(), qkv.offset(), ar.floats(), table.offset()), out);
    }

    @Test
    void factorizedAttention() {
        FactorAttention.Shape s = new FactorAttention.Shape(2, 65, 4, 8);
        Arena ar = Arena.floats("fa");
        Slice qkv = ar.allocate(2 * 65 * 3 * 32), out = ar.allocate(2 * 65 * 32), ks = ar.allocate(2 * 4 * 65 * 8),
                kv = ar.allocate(2 * 4 * 64);
        ar.seal();
        fill(qkv, rng, 1);
        run(new FactorAttention.Forward(s, 0.35f, qkv, out, ks, kv));
        close("factorized attention", Reference.factorAttention(s, 0.35, ar.floats(), qkv.offset()), out);
    }
}
