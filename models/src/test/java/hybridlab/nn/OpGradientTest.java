package hybridlab.nn;

import hybridlab.kernels.RelAttention;
import hybridlab.models.coatnet.RelativeAttention;
import hybridlab.nn.layers.BatchNorm2d;
import hybridlab.nn.layers.LayerNorm;
import hybridlab.nn.ops.Attention;
import hybridlab.nn.ops.Convolution;
import hybridlab.nn.ops.Dense;
import hybridlab.nn.ops.Pointwise;
import hybridlab.nn.ops.Pooling;
import hybridlab.nn.ops.Shapes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** One gradient check per op of the engine (see {@link GradCheck}). */
class OpGradientTest {

    @ParameterizedTest(name = "conv cin={0} cout={1} k={2} stride={3} pad={4} dil={5} groups={6} bias={7}")
    @CsvSource({
        "3, 4, 3, 1, 1, 1, 1, true",     // plain same conv
        "2, 3, 3, 2, 1, 1, 1, false",    // strided
        "2, 2, 3, 1, 2, 2, 1, true",     // dilated
        "4, 6, 3, 1, 1, 1, 2, true",     // grouped
        "5, 5, 3, 1, 1, 1, 5, true",     // depthwise
        "4, 4, 5, 2, 2, 1, 4, false",    // depthwise, strided, 5x5
        "6, 6, 7, 1, 3, 1, 6, true",     // depthwise 7x7 (CRPE window)
        "4, 4, 3, 1, 2, 2, 4, false",    // depthwise, dilated
        "3, 3, 3, 1, 0, 1, 3, true",     // depthwise, unpadded
        "3, 5, 1, 1, 0, 1, 1, true",     // pointwise (GEMM path)
        "3, 5, 1, 2, 0, 1, 1, false",    // strided pointwise
        "2, 3, 2, 2, 0, 1, 1, true"      // patch embedding (kernel = stride)
    })
    void conv2d(int cin, int cout, int k, int stride, int pad, int dil, int groups, boolean bias) {
        GradCheck c = new GradCheck(cin * 31L + k);
        c.input("x", 2, cin, 7, 6).input("w", 0.5f, cout, cin / groups, k, k);
        if (bias) {
            c.input("b", cout);
        }
        c.check((g, t) -> Convolution.conv2d(g, t.get("x"), t.get("w"), t.get("b"), stride, pad, dil, groups));
    }

    @Test
    void batchNormTraining() {
        GradCheck c = new GradCheck(1);
        BatchNorm2d bn = c.module("bn", new BatchNorm2d(3));
        c.input("x", 4, 3, 3, 2).check((g, t) -> bn.forward(g, t.get("x")));
    }

    @ParameterizedTest
    @EnumSource(hybridlab.kernels.Activation.Kind.class)
    void batchNormFusedWithActivation(hybridlab.kernels.Activation.Kind act) {
        GradCheck c = new GradCheck(23);
        BatchNorm2d bn = c.module("bn", new BatchNorm2d(3));
        c.input("x", 4, 3, 5, 4).check((g, t) -> bn.forward(g, t.get("x"), act));
    }

    @Test
    void layerNorm() {
        GradCheck c = new GradCheck(2);
        LayerNorm ln = c.module("ln", new LayerNorm(12));
        c.input("x", 2, 5, 12).check((g, t) -> ln.forward(g, t.get("x")));
    }

    @Test
    void scale() {
        // x used twice, so the second gradient accumulates onto the first
        new GradCheck(12).input("x", 3, 5).check((g, t) -> Pointwise.add(g, Pointwise.scale(g, t.get("x"), 2.5f),
                Pointwise.scale(g, t.get("x"), -0.75f)));
    }

    @Test
    void linear() {
        new GradCheck(3).input("x", 2, 7, 9).input("w", 0.3f, 11, 9).input("b", 11)
                .check((g, t) -> Dense.linear(g, t.get("x"), t.get("w"), t.get("b")));
    }

    @Test
    void linearWithManyRows() {
        // crosses the GEMM's packing block depth (256) in the weight gradient
        new GradCheck(4).input("x", 0.5f, 300, 8).input("w", 0.3f, 40, 8)
                .check((g, t) -> Dense.linear(g, t.get("x"), t.get("w"), null));
    }

    @ParameterizedTest
    @EnumSource(hybridlab.kernels.Activation.Kind.class)
    void activation(hybridlab.kernels.Activation.Kind kind) {
        new GradCheck(5).input("x", 2f, 3, 50).check((g, t) -> Pointwise.activation(g, t.get("x"), kind));
    }

    @ParameterizedTest(name = "softmax over dim {0}")
    @CsvSource({"2", "1"})
    void softmax(int dim) {
        new GradCheck(6).input("x", 2, 5, 4).check((g, t) -> Pointwise.softmax(g, t.get("x"), dim));
    }

    @Test
    void maxPool() {
        // spread values so a probe step never changes which element wins a window
        new GradCheck(7).input("x", 3f, 2, 2, 7, 7).step(1e-3).tolerance(5e-3, 3e-2)
                .check((g, t) -> Pooling.maxPool(g, t.get("x"), 3, 2, 1));
    }

    @Test
    void avgPool() {
        new GradCheck(8).input("x", 2, 3, 6, 5).check((g, t) -> Pooling.avgPool(g, t.get("x"), 3, 2, 1));
    }

    @Test
    void globalAvgPool() {
        new GradCheck(9).input("x", 3, 4, 5, 5).check((g, t) -> Pooling.globalAvgPool(g, t.get("x")));
    }

    @ParameterizedTest(name = "bilinear {0}x{1} -> {2}x{3}")
    @CsvSource({"4, 4, 8, 8", "8, 6, 4, 3", "2, 2, 8, 8", "8, 8, 2, 2"})
    void bilinearResize(int h, int w, int oh, int ow) {
        new GradCheck(10).input("x", 2, 3, h, w).check((g, t) -> Pooling.resize(g, t.get("x"), oh, ow));
    }

    @Test
    void squeezeExcitationGate() {
        new GradCheck(11).input("x", 2, 3, 4, 4).input("s", 2, 3)
                .check((g, t) -> Shapes.channelScale(g, t.get("x"), Pointwise.sigmoid(g, t.get("s"))));
    }

    @Test
    void residualAdd() {
        new GradCheck(12).input("a", 2, 3, 4).input("b", 2, 3, 4)
                .check((g, t) -> Pointwise.add(g, t.get("a"), Pointwise.gelu(g, t.get("b"))));
    }

    @Test
    void residualReusesInput() {
        // x feeds two consumers, so its gradient must be accumulated, not overwritten
        new GradCheck(13).input("x", 2, 6)
                .check((g, t) -> Pointwise.add(g, t.get("x"), Pointwise.silu(g, t.get("x"))));
    }

    @Test
    void elementwiseProduct() {
        new GradCheck(14).input("a", 3, 5).input("b", 3, 5).check((g, t) -> Pointwise.mul(g, t.get("a"), t.get("b")));
    }

    @Test
    void concatAndSplit() {
        new GradCheck(15).input("a", 2, 3, 4).input("b", 2, 2, 4).check((g, t) -> {
            Tensor cat = Shapes.concat(g, 1, t.get("a"), t.get("b"));
            Tensor mid = Shapes.narrow(g, cat, 1, 1, 3);
            return Pointwise.gelu(g, mid);
        });
    }

    @Test
    void tokensAndMapsTranspose() {
        new GradCheck(16).input("x", 2, 3, 2, 4).check((g, t) -> {
            Tensor tokens = Shapes.toTokens(g, t.get("x"));
            Tensor act = Pointwise.gelu(g, tokens);
            return Shapes.toMap(g, act, 2, 4);
        });
    }

    @Test
    void clsTokenInsertAndRemove() {
        new GradCheck(17).input("x", 2, 5, 3).input("cls", 3).check((g, t) -> {
            Tensor y = Shapes.insertToken(g, t.get("x"), t.get("cls"));
            Tensor mixed = Pointwise.softmax(g, y, 1);
            Tensor cls = Shapes.firstToken(g, mixed);
            Tensor rest = Shapes.removeToken(g, mixed);
            return Shapes.concat(g, 1, cls.view(2, 1, 3), Pointwise.silu(g, rest));
        });
    }

    @Test
    void dropoutAndDropPath() {
        new GradCheck(18).input("x", 4, 40).check((g, t) -> {
            Tensor d = Pointwise.dropout(g, t.get("x"), 0.3f);
            return Pointwise.dropPath(g, Pointwise.gelu(g, d), 0.5f);
        });
    }

    @Test
    void relativeAttentionLayerWithScaledTable() {
        // the table's gradient is tableScale times the bias's: a wrong factor fails the table probes
        GradCheck c = new GradCheck(19);
        RelativeAttention attn = c.module("attn", new RelativeAttention(8, 8, 4, 3, 2, RelAttention.Fusion.PRE,
                new Init.FanIn(), 5f));
        c.input("x", 2, 6, 8).check((g, t) -> attn.forward(g, t.get("x")));
    }

    @ParameterizedTest
    @EnumSource(RelAttention.Fusion.class)
    void relativeAttention(RelAttention.Fusion fusion) {
        int heads = 2, d = 4, h = 3, w = 2;
        new GradCheck(19).input("qkv", 2, h * w, 3 * heads * d).input("table", 0.5f, (2 * h - 1) * (2 * w - 1), heads)
                .check((g, t) -> Attention.relative(g, t.get("qkv"), t.get("table"), heads, d, h, w, fusion));
    }

    @Test
    void factorizedAttention() {
        int heads = 2, d = 3;
        new GradCheck(20).input("qkv", 2, 5, 3 * heads * d)
                .check((g, t) -> Attention.factorized(g, t.get("qkv"), heads, d, 0.7f));
    }

    @Test
    void softmaxAttentionOverAllTokens() {
        new GradCheck(21).input("qkv", 2, 5, 3 * 2 * 4).check((g, t) -> Attention.softmax(g, t.get("qkv"), 2, 4));
    }

    @Test
    void broadcastAddAndTokenMean() {
        new GradCheck(22).input("x", 3, 4, 5).input("pe", 4, 5)
                .check((g, t) -> Pooling.tokenMean(g, Pointwise.addBroadcast(g, t.get("x"), t.get("pe"))));
    }
}
