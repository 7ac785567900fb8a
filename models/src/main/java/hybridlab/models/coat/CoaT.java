package hybridlab.models.coat;

import hybridlab.nn.Graph;
import hybridlab.nn.Init;
import hybridlab.nn.Model;
import hybridlab.nn.Param;
import hybridlab.nn.Tensor;
import hybridlab.nn.layers.LayerNorm;
import hybridlab.nn.layers.Linear;
import hybridlab.nn.layers.ModuleList;
import hybridlab.nn.ops.Convolution;
import hybridlab.nn.ops.Shapes;

/**
 * CoaT / CoaT-Lite. Each stage: patch embedding, a CLS token, serial blocks sharing the
 * stage's CPE and CRPE. CoaT-Lite classifies from the last stage's CLS token; CoaT runs parallel
 * blocks over stages 2-4 and classifies from the three CLS tokens aggregated by a 1x1 Conv1d.
 * Parameter names follow the reference implementation (patch_embed1, cls_token1, cpe1, crpe1,
 * serial_blocks1, parallel_blocks, norm4, aggregate, head).
 */
public final class CoaT extends Model {
    private final CoaTConfig cfg;
    private final PatchEmbed[] embeds = new PatchEmbed[4];
    private final Param[] cls = new Param[4];
    private final ConvPosEnc[] cpes = new ConvPosEnc[4];
    private final ConvRelPosEnc[] crpes = new ConvRelPosEnc[4];
    private final ModuleList<SerialBlock>[] serial;
    private final ModuleList<ParallelBlock> parallel;
    private final LayerNorm[] norms = new LayerNorm[4];
    private final Param aggregateWeight, aggregateBias;
    private final Linear head;

    @SuppressWarnings("unchecked")
    public CoaT(CoaTConfig cfg) {
        super(cfg.inChannels(), cfg.imageSize(), cfg.classes());
        this.cfg = cfg;
        int[] d = cfg.dims();
        int in = cfg.inChannels();
        for (int s = 0; s < 4; s++) {
            embeds[s] = child("patch_embed" + (s + 1), new PatchEmbed(in, d[s], cfg.patches()[s]));
            in = d[s];
        }
        for (int s = 0; s < 4; s++) {
            cls[s] = param("cls_token" + (s + 1), Init.LINEAR, false, 1, 1, d[s]);
        }
        for (int s = 0; s < 4; s++) {
            cpes[s] = cfg.cpe() ? child("cpe" + (s + 1), new ConvPosEnc(d[s], cfg.cpeKernel())) : null;
        }
        for (int s = 0; s < 4; s++) {
            crpes[s] = cfg.crpeWindows().isEmpty() ? null
                    : child("crpe" + (s + 1), new ConvRelPosEnc(d[s] / cfg.heads(), cfg.crpeWindows()));
        }
        int blocks = cfg.serialDepths()[0] + cfg.serialDepths()[1] + cfg.serialDepths()[2] + cfg.serialDepths()[3]
                + cfg.parallelDepth();
        int index = 0;
        serial = new ModuleList[4];
        for (int s = 0; s < 4; s++) {
            serial[s] = child("serial_blocks" + (s + 1), new ModuleList<>());
            for (int b = 0; b < cfg.serialDepths()[s]; b++, index++) {
                serial[s].add(new SerialBlock(d[s], cfg.heads(), cfg.mlpRatios()[s], cpes[s], crpes[s], drop(index, blocks)));
            }
        }
        parallel = cfg.parallelDepth() > 0 ? child("parallel_blocks", new ModuleList<>()) : null;
        for (int b = 0; b < cfg.parallelDepth(); b++, index++) {
            parallel.add(new ParallelBlock(d[1], cfg.heads(), cfg.mlpRatios()[1], new ConvPosEnc[] {cpes[1], cpes[2], cpes[3]},
                    new ConvRelPosEnc[] {crpes[1], crpes[2], crpes[3]}, drop(index, blocks)));
        }
        for (int s = parallel == null ? 3 : 1; s < 4; s++) {
            norms[s] = child("norm" + (s + 1), new LayerNorm(d[s], 1e-6f));
        }
        if (parallel != null) {
            aggregateWeight = param("aggregate.weight", Init.CONV, true, 1, 3, 1);
            aggregateBias = param("aggregate.bias", Init.ZEROS, false, 1);
        } else {
            aggregateWeight = aggregateBias = null;
        }
        head = child("head", new Linear(d[3], cfg.classes(), true));
    }

    private float drop(int index, int total) {
        return total > 1 ? cfg.dropPath() * index / (total - 1) : 0f;
    }

    public CoaTConfig config() {
        return cfg;
    }

    @Override
    public Tensor forward(Graph g, Tensor images) {
        int B = images.dim(0);
        Tensor map = images;
        Tensor[] tokens = new Tensor[4];
        int[] sides = new int[4];
        for (int s = 0; s < 4; s++) {
            int stage = s;
            Tensor in = map;
            sides[s] = cfg.side(s);
            tokens[s] = g.scoped("stage" + (s + 1), () -> {
                Tensor x = embeds[stage].forward(g, in);
                x = Shapes.insertToken(g, x, g.param(cls[stage]));
                for (SerialBlock b : serial[stage].items()) {
                    x = b.forward(g, x, cfg.side(stage), cfg.side(stage));
                }
                return x;
            });
            if (s < 3) {
                map = Shapes.toMap(g, Shapes.removeToken(g, tokens[s]), sides[s], sides[s]);
            }
        }
        if (parallel == null) {
            Tensor last = tokens[3];
            return g.scoped("head", () -> head.forward(g, Shapes.firstToken(g, norms[3].forward(g, last))));
        }
        Tensor[] xs = {tokens[1], tokens[2], tokens[3]};
        int[] ss = {sides[1], sides[2], sides[3]};
        for (int i = 0; i < parallel.size(); i++) {
            ParallelBlock p = parallel.get(i);
            Tensor[] in = xs;
            Tensor[] out = new Tensor[3];
            g.scoped("parallel_blocks." + i, () -> {
                Tensor[] r = p.forward(g, in, ss);
                System.arraycopy(r, 0, out, 0, 3);
                return r[2];
            });
            xs = out;
        }
        Tensor[] fin = xs;
        return g.scoped("head", () -> {
            int C = cfg.dims()[3];
            Tensor[] clsTokens = new Tensor[3];
            for (int i = 0; i < 3; i++) {
                clsTokens[i] = Shapes.narrow(g, norms[i + 1].forward(g, fin[i]), 1, 0, 1);
            }
            // Conv1d(3 -> 1, k=1) over the stacked CLS tokens = a 1x1 conv on a (B, 3, C, 1) map
            Tensor stacked = Shapes.concat(g, 1, clsTokens).view(B, 3, C, 1);
            Tensor agg = Convolution.conv2d(g, stacked, g.param(aggregateWeight).view(1, 3, 1, 1), g.param(aggregateBias), 1, 0, 1, 1);
            return head.forward(g, agg.view(B, C));
        });
    }
}
