package hybridlab.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ablation knobs a run may set on top of a preset; null means "keep the preset's value".
 * Each family applies the knobs that belong to it and rejects the others by name.
 *
 * @param layout        CoAtNet stage layout (CCCC, CCCT, CCTT, CTTT)
 * @param fusion        CoAtNet relative-bias fusion: pre, post or none
 * @param dropPath      stochastic-depth rate (every family)
 * @param crpeWindows   CoaT CRPE window -> heads map (empty: CRPE off)
 * @param cpe           CoaT convolutional position encoding on/off
 * @param parallelDepth CoaT parallel blocks (0: CoaT-Lite)
 * @param prmDilations  ViTAE dilations of the first reduction cell's pyramid
 * @param pcm           ViTAE parallel convolutional modules on/off
 */
public record Knobs(String layout, String fusion, Float dropPath, Map<Integer, Integer> crpeWindows, Boolean cpe,
                    Integer parallelDepth, List<Integer> prmDilations, Boolean pcm) {
    public static final Knobs NONE = new Knobs(null, null, null, null, null, null, null, null);

    public Knobs {
        crpeWindows = crpeWindows == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(crpeWindows));
        prmDilations = prmDilations == null ? null : List.copyOf(prmDilations);
    }

    /** Names of the knobs that are set, in the config's own spelling. */
    public List<String> setNames() {
        List<String> names = new ArrayList<>();
        String[] keys = {"layout", "fusion", "drop_path", "crpe_windows", "cpe", "parallel_depth", "prm_dilations", "pcm"};
        Object[] values = {layout, fusion, dropPath, crpeWindows, cpe, parallelDepth, prmDilations, pcm};
        for (int i = 0; i < keys.length; i++) {
            if (values[i] != null) {
                names.add(keys[i]);
            }
        }
        return names;
    }

    /** Fails on the first set knob that {@code family} does not have. */
    public void requireOnly(String family, Set<String> allowed) {
        for (String k : setNames()) {
            if (!allowed.contains(k)) {
                throw new KnobException(k, "does not apply to " + family + " models (their knobs: "
                        + String.join(", ", allowed) + ")");
            }
        }
    }
}
