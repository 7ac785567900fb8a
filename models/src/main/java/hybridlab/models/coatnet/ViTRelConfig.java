package hybridlab.models.coatnet;

import hybridlab.kernels.RelAttention;
import hybridlab.models.Knobs;
import hybridlab.models.ModelConfig;
import hybridlab.nn.Init;
import hybridlab.nn.Model;
import java.util.Set;

/**
 * ViT-REL, CoAtNet's all-attention control: a ViT patch stem (conv, kernel = stride = patch)
 * and relative-attention transformer blocks at one resolution, then LayerNorm, mean over
 * tokens and a linear head. {@code linearInit} starts every linear layer (blocks and head);
 * {@code tableScale} is the blocks' bias-table scale (positive; checked by {@link RelativeAttention}).
 */
public record ViTRelConfig(int patch, int dim, int depth, int headDim, int ffnRatio, RelAttention.Fusion fusion,
                           Init linearInit, float tableScale, int inChannels, int imageSize, int classes,
                           float dropPath) implements ModelConfig {
    public ViTRelConfig {
        if (imageSize % patch != 0) {
            throw new IllegalArgumentException("image size " + imageSize + " is not divisible by the patch " + patch);
        }
        if (dim % headDim != 0) {
            throw new IllegalArgumentException("width " + dim + " is not a multiple of the head width " + headDim);
        }
    }

    @Override
    public String family() {
        return "vit-rel";
    }

    @Override
    public Model build() {
        return new ViTRel(this);
    }

    @Override
    public ViTRelConfig with(Knobs k) {
        k.requireOnly(family(), Set.of("fusion", "drop_path"));
        return new ViTRelConfig(patch, dim, depth, headDim, ffnRatio,
                k.fusion() != null ? CoAtNetConfig.parseFusion(k.fusion()) : fusion, linearInit, tableScale, inChannels,
                imageSize, classes, k.dropPath() != null ? k.dropPath() : dropPath);
    }

    @Override
    public ViTRelConfig withData(int in, int cls) {
        return new ViTRelConfig(patch, dim, depth, headDim, ffnRatio, fusion, linearInit, tableScale, in, imageSize, cls, dropPath);
    }

    public int side() {
        return imageSize / patch;
    }
}
