package hybridlab.models.vitae;

import hybridlab.models.KnobException;
import hybridlab.models.Knobs;
import hybridlab.models.ModelConfig;
import hybridlab.nn.Init;
import hybridlab.nn.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A ViTAE (Xu et al., NeurIPS 2021): reduction cells that turn the image into ever fewer tokens
 * (a pyramid of dilated strided convs, attention, and a parallel conv branch), then normal cells
 * (attention + parallel convs + MLP) over the tokens with a CLS token and a sinusoidal position
 * encoding.
 *
 * @param cells       the reduction cells, in order
 * @param normalDepth number of normal cells
 * @param normalHeads attention heads of the normal cells
 * @param mlpRatio    MLP hidden width / token width in normal cells (also the PCM's widening)
 * @param pcmGroups   conv groups of the normal cells' PCM
 * @param pcm         parallel convolutional modules on (ViTAE) or off (the ablation)
 * @param linearInit  how the linear weights start: {@link Init#LINEAR} as the paper's code
 *                    (truncated normal, std 0.02), or {@link Init.FanIn}, PyTorch's fan-in default
 */
public record ViTAEConfig(List<ReductionCellSpec> cells, int normalDepth, int normalHeads, float mlpRatio, int pcmGroups,
                          boolean pcm, Init linearInit, int inChannels, int imageSize, int classes, float dropPath)
        implements ModelConfig {

    /**
     * One reduction cell.
     *
     * @param embed     channels of each pyramid conv
     * @param tokens    token width after the cell
     * @param ratio     spatial reduction (conv stride)
     * @param kernel    pyramid conv kernel
     * @param dilations one pyramid conv per dilation (outputs concatenated)
     * @param heads     attention heads; 0 = no attention and no PCM (tokens are the pyramid output)
     */
    public record ReductionCellSpec(int embed, int tokens, int ratio, int kernel, List<Integer> dilations, int heads) {
        public ReductionCellSpec {
            dilations = List.copyOf(dilations);
            if (dilations.isEmpty()) {
                throw new KnobException("prm_dilations", "needs at least one dilation");
            }
            for (int d : dilations) {
                if (d < 1) {
                    throw new KnobException("prm_dilations", "dilation " + d + " must be >= 1");
                }
            }
            if (ratio != 1 && ratio != 2 && ratio != 4) {
                throw new IllegalArgumentException("reduction ratio must be 1, 2 or 4, got " + ratio);
            }
            if (heads == 0 && embed * dilations.size() != tokens) {
                throw new IllegalArgumentException("a reduction cell without attention outputs its pyramid ("
                        + embed + " x " + dilations.size() + " channels), not " + tokens);
            }
            if (heads > 0 && tokens % heads != 0) {
                throw new IllegalArgumentException("heads: " + heads + " heads do not divide the token width " + tokens);
            }
        }

        public int pyramidChannels() {
            return embed * dilations.size();
        }

        public ReductionCellSpec withDilations(List<Integer> d) {
            return new ReductionCellSpec(embed, tokens, ratio, kernel, d, heads);
        }
    }

    public ViTAEConfig {
        cells = List.copyOf(cells);
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("ViTAE needs at least one reduction cell");
        }
        int size = imageSize;
        for (ReductionCellSpec c : cells) {
            if (size % c.ratio() != 0) {
                throw new IllegalArgumentException("image size " + imageSize + " does not reduce evenly through the cells");
            }
            size /= c.ratio();
        }
        int width = cells.get(cells.size() - 1).tokens();
        if (normalHeads < 1 || width % normalHeads != 0) {
            throw new IllegalArgumentException("heads: " + normalHeads + " heads do not divide the token width " + width);
        }
        int hidden = Math.round(width * mlpRatio);
        if (pcmGroups < 1 || width % pcmGroups != 0 || hidden % pcmGroups != 0) {
            throw new IllegalArgumentException("PCM groups " + pcmGroups + " must divide " + width + " and " + hidden);
        }
    }

    @Override
    public String family() {
        return "vitae";
    }

    @Override
    public Model build() {
        return new ViTAE(this);
    }

    @Override
    public ViTAEConfig with(Knobs k) {
        k.requireOnly(family(), Set.of("prm_dilations", "pcm", "drop_path"));
        List<ReductionCellSpec> c = new ArrayList<>(cells);
        if (k.prmDilations() != null) {
            c.set(0, c.get(0).withDilations(k.prmDilations()));
        }
        return new ViTAEConfig(c, normalDepth, normalHeads, mlpRatio, pcmGroups, k.pcm() != null ? k.pcm() : pcm,
                linearInit, inChannels, imageSize, classes, k.dropPath() != null ? k.dropPath() : dropPath);
    }

    @Override
    public ViTAEConfig withData(int in, int cls) {
        return new ViTAEConfig(cells, normalDepth, normalHeads, mlpRatio, pcmGroups, pcm, linearInit, in, imageSize, cls, dropPath);
    }

    /** Token width after the last reduction cell. */
    public int width() {
        return cells.get(cells.size() - 1).tokens();
    }

    /** Side of the token map after cell {@code i}. */
    public int side(int i) {
        int size = imageSize;
        for (int j = 0; j <= i; j++) {
            size /= cells.get(j).ratio();
        }
        return size;
    }
}
