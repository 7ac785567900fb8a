package hybridlab.models.coatnet;

import hybridlab.kernels.Activation;
import hybridlab.nn.Graph;
import hybridlab.nn.Model;
import hybridlab.nn.Module;
import hybridlab.nn.Tensor;
import hybridlab.nn.layers.BatchNorm2d;
import hybridlab.nn.layers.Conv2d;
import hybridlab.nn.layers.Linear;
import hybridlab.nn.ops.Pooling;
import hybridlab.nn.ops.Shapes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * CoAtNet (Dai et al., 2021): a conv stem S0, then S1..S4 built from the layout's block codes,
 * then global average pooling and a linear head. Parameter names match the reference
 * implementation ({@code s0.*}, {@code blocks.N.*}, {@code head.*}).
 */
public final class CoAtNet extends Model {
    private final CoAtNetConfig cfg;
    private final Stem s0;
    private final List<BiFunction<Graph, Tensor, Tensor>> blocks = new ArrayList<>();
    private final Linear head;

    public CoAtNet(CoAtNetConfig cfg) {
        super(cfg.inChannels(), cfg.imageSize(), cfg.classes());
        this.cfg = cfg;
        int[] D = cfg.dims(), L = cfg.depths();
        s0 = child("s0", new Stem(cfg.inChannels(), D[0], cfg.stemStride()));
        Blocks container = child("blocks", new Blocks());
        int size = cfg.imageSize() / cfg.stemStride();
        int total = L[1] + L[2] + L[3] + L[4], index = 0;
        for (int s = 1; s <= 4; s++) {
            size /= 2;
            for (int b = 0; b < L[s]; b++, index++) {
                int in = b == 0 ? D[s - 1] : D[s];
                float dp = total > 1 ? cfg.dropPath() * index / (total - 1) : 0f;
                if (cfg.layout().charAt(s - 1) == 'C') {
                    MBConv m = container.add(new MBConv(in, D[s], b == 0, cfg, dp));
                    blocks.add(m::forward);
                } else {
                    TransformerBlock t = container.add(new TransformerBlock(in, D[s], size, size, b == 0,
                            new TransformerBlock.Spec(cfg.headDim(), cfg.ffnRatio(), cfg.fusion()), dp));
                    blocks.add(t::forward);
                }
            }
        }
        head = child("head", new Linear(D[4], cfg.classes(), true));
    }

    public CoAtNetConfig config() {
        return cfg;
    }

    /** Two 3x3 convs (the first strided by {@code stride}), each followed by BN and GELU. */
    static final class Stem extends Module {
        private final Conv2d c1, c2;
        private final BatchNorm2d b1, b2;

        Stem(int in, int width, int stride) {
            c1 = child("0", new Conv2d(in, width, 3, stride, 1, 1, 1, false));
            b1 = child("1", new BatchNorm2d(width));
            c2 = child("3", new Conv2d(width, width, 3, 1, 1, 1, 1, false));
            b2 = child("4", new BatchNorm2d(width));
        }

        Tensor forward(Graph g, Tensor x) {
            Tensor y = b1.forward(g, c1, x, Activation.Kind.GELU);
            return b2.forward(g, c2, y, Activation.Kind.GELU);
        }
    }

    /** Numbered blocks, like an {@code nn.Sequential}. */
    static final class Blocks extends Module {
        private int n;

        <M extends Module> M add(M m) {
            return child(String.valueOf(n++), m);
        }
    }

    @Override
    public Tensor forward(Graph g, Tensor images) {
        Tensor x = g.scoped("s0", () -> s0.forward(g, images));
        Tensor last = g.scopedEach("blocks", blocks, x, (b, in) -> b.apply(g, in));
        return g.scoped("head", () -> {
            Tensor map = last;
            if (map.rank() == 3) {
                int side = (int) Math.round(Math.sqrt(map.dim(1)));
                map = Shapes.toMap(g, map, side, side);
            }
            return head.forward(g, Pooling.globalAvgPool(g, map));
        });
    }
}
