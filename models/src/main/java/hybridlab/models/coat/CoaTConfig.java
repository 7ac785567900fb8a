package hybridlab.models.coat;

import hybridlab.models.KnobException;
import hybridlab.models.Knobs;
import hybridlab.models.ModelConfig;
import hybridlab.nn.Model;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A CoaT (Xu et al., 2021): four patch-embedded stages of serial blocks with factorized
 * attention, CRPE and CPE, optionally followed by parallel blocks over stages 2-4 with
 * cross-scale feature interpolation (CoaT; {@code parallelDepth == 0} is CoaT-Lite).
 *
 * @param crpeWindows window -> number of heads (in order); empty turns CRPE off
 */
public record CoaTConfig(int[] patches, int[] dims, int[] serialDepths, int parallelDepth, int heads, int[] mlpRatios,
                         Map<Integer, Integer> crpeWindows, boolean cpe, int cpeKernel, int inChannels, int imageSize,
                         int classes, float dropPath) implements ModelConfig {

    public CoaTConfig {
        patches = patches.clone();
        dims = dims.clone();
        serialDepths = serialDepths.clone();
        mlpRatios = mlpRatios.clone();
        crpeWindows = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(crpeWindows));
        if (patches.length != 4 || dims.length != 4 || serialDepths.length != 4 || mlpRatios.length != 4) {
            throw new IllegalArgumentException("CoaT needs 4 stages of patches, dims, depths and MLP ratios");
        }
        int size = imageSize;
        for (int s = 0; s < 4; s++) {
            if (size % patches[s] != 0) {
                throw new IllegalArgumentException("image size " + imageSize + " is not divisible by the stage patches "
                        + Arrays.toString(patches));
            }
            size /= patches[s];
            if (dims[s] % heads != 0) {
                throw new IllegalArgumentException("heads: " + heads + " heads do not divide the width " + dims[s] + " of stage " + (s + 1));
            }
        }
        int total = 0;
        for (Map.Entry<Integer, Integer> e : crpeWindows.entrySet()) {
            if (e.getKey() < 1 || e.getKey() % 2 == 0) {
                throw new KnobException("crpe_windows", "window " + e.getKey() + " must be a positive odd size");
            }
            if (e.getValue() < 1) {
                throw new KnobException("crpe_windows", "window " + e.getKey() + " has " + e.getValue() + " heads");
            }
            total += e.getValue();
        }
        if (!crpeWindows.isEmpty() && total != heads) {
            throw new KnobException("crpe_windows", "head counts " + crpeWindows.values() + " sum to " + total
                    + ", not to the " + heads + " heads");
        }
        if (parallelDepth < 0) {
            throw new KnobException("parallel_depth", "must be >= 0, got " + parallelDepth);
        }
        if (parallelDepth > 0 && (dims[1] != dims[2] || dims[2] != dims[3] || mlpRatios[1] != mlpRatios[2]
                || mlpRatios[2] != mlpRatios[3])) {
            throw new KnobException("parallel_depth", "parallel blocks need equal widths and MLP ratios in stages 2-4, got "
                    + Arrays.toString(dims));
        }
        if (cpeKernel % 2 == 0) {
            throw new IllegalArgumentException("CPE kernel must be odd");
        }
    }

    @Override
    public String family() {
        return "coat";
    }

    @Override
    public Model build() {
        return new CoaT(this);
    }

    @Override
    public CoaTConfig with(Knobs k) {
        k.requireOnly(family(), Set.of("crpe_windows", "cpe", "parallel_depth", "drop_path"));
        return new CoaTConfig(patches, dims, serialDepths, k.parallelDepth() != null ? k.parallelDepth() : parallelDepth,
                heads, mlpRatios, k.crpeWindows() != null ? k.crpeWindows() : crpeWindows, k.cpe() != null ? k.cpe() : cpe,
                cpeKernel, inChannels, imageSize, classes, k.dropPath() != null ? k.dropPath() : dropPath);
    }

    @Override
    public CoaTConfig withData(int in, int cls) {
        return new CoaTConfig(patches, dims, serialDepths, parallelDepth, heads, mlpRatios, crpeWindows, cpe, cpeKernel, in, imageSize,
                cls, dropPath);
    }

    /** Side of the token map of stage {@code s} (0-based). */
    public int side(int s) {
        int size = imageSize;
        for (int i = 0; i <= s; i++) {
            size /= patches[i];
        }
        return size;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CoaTConfig c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "CoaTConfig[patches=" + Arrays.toString(patches) + ", dims=" + Arrays.toString(dims) + ", serial="
                + Arrays.toString(serialDepths) + ", parallel=" + parallelDepth + ", heads=" + heads + ", mlp="
                + Arrays.toString(mlpRatios) + ", crpe=" + crpeWindows + ", cpe=" + cpe + ", in=" + inChannels
                + ", size=" + imageSize + ", classes=" + classes + ", dropPath=" + dropPath + "]";
    }
}
