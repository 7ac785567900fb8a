package hybridlab.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import hybridlab.backend.Executable;
import hybridlab.backend.JvmBackend;
import hybridlab.backend.Program;
import hybridlab.kernels.Activation;
import hybridlab.kernels.Conv;
import hybridlab.kernels.DepthwiseConv;
import hybridlab.kernels.Gemm;
import hybridlab.kernels.Slice;
import hybridlab.nn.Graph;
import hybridlab.nn.Module;
import hybridlab.nn.Param;
import hybridlab.nn.ParamStore;
import hybridlab.nn.Tensor;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code BatchNorm2d.forward(g, conv, x, act)}: the norm fused into the convolution in eval mode
 * (not in training, not into a 1x1 convolution run as a linear layer over a tiny map's tokens),
 * with the same output as the unfused layers.
 */
class ConvBatchNormTest {
    static final class ConvBn extends Module {
        final Conv2d conv;
        final BatchNorm2d bn = child("bn", new BatchNorm2d(12));

        ConvBn(String kind) {
            conv = child("conv", switch (kind) {
                case "pointwise" -> new Conv2d(12, 12, 1, 1, 0, 1, 1, true);
                case "depthwise" -> Conv2d.depthwise(12, 3, true);
                case "strided-depthwise" -> new Conv2d(12, 12, 3, 2, 1, 1, 12, false);
                case "strided-pointwise" -> new Conv2d(12, 12, 1, 2, 0, 1, 1, false);
                default -> Conv2d.same(12, 12, 3, 1, true);
            });
        }
    }

    @ParameterizedTest(name = "{0} conv, {1} mode, {2}x{2} map: fused {3}")
    @CsvSource({"pointwise, EVAL, 6, true", "pointwise, TRAIN, 6, false", "pointwise, EVAL, 4, false",
        "depthwise, EVAL, 6, true", "depthwise, TRAIN, 6, false", "strided-depthwise, EVAL, 7, true",
        "strided-pointwise, EVAL, 8, true", "dense, EVAL, 6, true", "dense, TRAIN, 6, false"})
    void fusedInEvalModeExceptForTokenLinears(String kind, Graph.Mode mode, int side, boolean fused) {
        ConvBn m = new ConvBn(kind);
        ParamStore store = new ParamStore(m);
        store.initialize(3);
        Random rng = new Random(5);
        for (Param p : store.byName().values()) {
            Slice d = p.data();
            for (int i = 0; i < p.size(); i++) {
                d.f()[d.offset() + i] = p.name().endsWith("running_var") ? 0.5f + rng.nextFloat() : (float) rng.nextGaussian();
            }
        }
        Graph g = new Graph(store, mode, 2);
        Tensor x = g.tensor(false, 2, 12, side, side);
        Tensor together = m.bn.forward(g, m.conv, x, Activation.Kind.GELU);
        Tensor apart = m.bn.forward(g, m.conv.forward(g, x), Activation.Kind.GELU);
        long epilogues = g.steps().stream().filter(s -> s instanceof Gemm gm && gm.rowNorm() != null
                || s instanceof DepthwiseConv.Forward dw && dw.norm() != null
                || s instanceof Conv.Forward c && c.norm() != null).count();
        assertEquals(fused ? 1 : 0, epilogues, "products with a batch-norm epilogue");
        try (JvmBackend backend = new JvmBackend(2)) {
            Executable exec = backend.compile(new Program("conv-bn", g.steps(), Set.of(), Set.of()));
            for (int i = 0; i < x.size(); i++) {
                x.data().f()[x.data().offset() + i] = (float) rng.nextGaussian();
            }
            exec.run();
        }
        for (int i = 0; i < together.size(); i++) {
            // in training both calls update the running statistics, but the outputs use batch ones
            assertEquals(apart.data().f()[apart.data().offset() + i], together.data().f()[together.data().offset() + i],
                    "element " + i);
        }
    }
}
