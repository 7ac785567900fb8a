package hybridlab.models.vitae;

import hybridlab.nn.Graph;
import hybridlab.nn.Init;
import hybridlab.nn.Model;
import hybridlab.nn.Param;
import hybridlab.nn.Tensor;
import hybridlab.nn.layers.LayerNorm;
import hybridlab.nn.layers.Linear;
import hybridlab.nn.layers.ModuleList;
import hybridlab.nn.ops.Pointwise;
import hybridlab.nn.ops.Shapes;

/**
 * ViTAE: reduction cells, then a CLS token and a fixed sinusoidal position encoding, normal
 * cells, a final LayerNorm and a linear head on the CLS token.
 */
public final class ViTAE extends Model {
    private final ViTAEConfig cfg;
    private final ModuleList<ReductionCell> cells;
    private final Param cls, pos;
    private final ModuleList<NormalCell> normal;
    private final LayerNorm norm;
    private final Linear head;

    public ViTAE(ViTAEConfig cfg) {
        super(cfg.inChannels(), cfg.imageSize(), cfg.classes());
        this.cfg = cfg;
        cells = child("layers", new ModuleList<>());
        int in = cfg.inChannels();
        for (int i = 0; i < cfg.cells().size(); i++) {
            ViTAEConfig.ReductionCellSpec spec = cfg.cells().get(i);
            cells.add(new ReductionCell(in, spec, cfg.pcm(), cfg.side(i), cfg.linearInit()));
            in = spec.tokens();
        }
        int width = cfg.width(), side = cfg.side(cfg.cells().size() - 1);
        cls = param("cls_token", Init.LINEAR, false, 1, 1, width);
        pos = state("pos_embed", new Init.Sinusoid(), 1, side * side + 1, width);
        normal = child("blocks", new ModuleList<>());
        int hidden = Math.round(width * cfg.mlpRatio());
        for (int i = 0; i < cfg.normalDepth(); i++) {
            float dp = cfg.normalDepth() > 1 ? cfg.dropPath() * i / (cfg.normalDepth() - 1) : 0f;
            normal.add(new NormalCell(width, cfg.normalHeads(), hidden, cfg.pcmGroups(), cfg.pcm(), side, dp,
                    cfg.linearInit()));
        }
        norm = child("norm", new LayerNorm(width, 1e-6f));
        head = child("head", new Linear(width, cfg.classes(), true, cfg.linearInit()));
    }

    public ViTAEConfig config() {
        return cfg;
    }

    @Override
    public Tensor forward(Graph g, Tensor images) {
        Tensor map = images;
        Tensor tokens = null;
        for (int i = 0; i < cells.size(); i++) {
            ReductionCell rc = cells.get(i);
            Tensor in = map;
            tokens = g.scoped("layers." + i, () -> rc.forward(g, in));
            if (i + 1 < cells.size()) {
                map = Shapes.toMap(g, tokens, rc.side(), rc.side());
            }
        }
        Tensor t = tokens;
        Tensor x = g.scoped("tokens", () -> Pointwise.addBroadcast(g, Shapes.insertToken(g, t, g.param(cls)), g.param(pos)));
        Tensor last = g.scopedEach("blocks", normal.items(), x, (nc, in) -> nc.forward(g, in));
        return g.scoped("head", () -> head.forward(g, Shapes.firstToken(g, norm.forward(g, last))));
    }
}
