package hybridlab.models;

import java.util.ArrayList;
import java.util.List;

/**
 * Ablation knobs a run may set on top of a preset. Null means "keep the preset's value".
 *
 * @param layout   CoAtNet stage layout (CCCC, CCCT, CCTT, CTTT)
 * @param fusion   CoAtNet relative-bias fusion: pre, post or none
 * @param dropPath stochastic-depth rate (any family)
 */
public record Knobs(String layout, String fusion, Float dropPath) {
    public static final Knobs NONE = new Knobs(null, null, null);

    /** Names of the knobs that are set, in the config's own spelling. */
    public List<String> setNames() {
        List<String> names = new ArrayList<>();
        if (layout != null) {
            names.add("layout");
        }
        if (fusion != null) {
            names.add("fusion");
        }
        if (dropPath != null) {
            names.add("drop_path");
        }
        return names;
    }
}
