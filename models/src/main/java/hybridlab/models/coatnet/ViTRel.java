package hybridlab.models.coatnet;

import hybridlab.nn.Graph;
import hybridlab.nn.Model;
import hybridlab.nn.Tensor;
import hybridlab.nn.layers.Conv2d;
import hybridlab.nn.layers.LayerNorm;
import hybridlab.nn.layers.Linear;
import hybridlab.nn.layers.ModuleList;
import hybridlab.nn.ops.Pooling;
import hybridlab.nn.ops.Shapes;

/** ViT-REL: patch stem, relative-attention blocks, LayerNorm, token mean, head. */
public final class ViTRel extends Model {
    private final ViTRelConfig cfg;
    private final Conv2d stem;
    private final ModuleList<TransformerBlock> blocks;
    private final LayerNorm norm;
    private final Linear head;

    public ViTRel(ViTRelConfig cfg) {
        super(cfg.inChannels(), cfg.imageSize(), cfg.classes());
        this.cfg = cfg;
        stem = child("stem", new Conv2d(cfg.inChannels(), cfg.dim(), cfg.patch(), cfg.patch(), 0, 1, 1, true));
        blocks = child("blocks", new ModuleList<>());
        TransformerBlock.Spec spec = new TransformerBlock.Spec(cfg.headDim(), cfg.ffnRatio(), cfg.fusion(), cfg.linearInit(),
                cfg.tableScale());
        for (int i = 0; i < cfg.depth(); i++) {
            float dp = cfg.depth() > 1 ? cfg.dropPath() * i / (cfg.depth() - 1) : 0f;
            blocks.add(new TransformerBlock(cfg.dim(), cfg.dim(), cfg.side(), cfg.side(), false, spec, dp));
        }
        norm = child("norm", new LayerNorm(cfg.dim()));
        head = child("head", new Linear(cfg.dim(), cfg.classes(), true, cfg.linearInit()));
    }

    @Override
    public Tensor forward(Graph g, Tensor images) {
        Tensor x = g.scoped("stem", () -> Shapes.toTokens(g, stem.forward(g, images)));
        Tensor last = g.scopedEach("blocks", blocks.items(), x, (b, in) -> b.forward(g, in));
        return g.scoped("head", () -> head.forward(g, Pooling.tokenMean(g, norm.forward(g, last))));
    }
}
