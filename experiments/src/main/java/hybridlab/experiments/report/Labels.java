package hybridlab.experiments.report;

import java.util.ArrayList;
import java.util.List;

/** Names for variants and groups of them in tables and plots. */
final class Labels {
    private Labels() {
    }

    /** Shown where a coordinate is not set (the run kept the preset's or the default value). */
    static final String UNSET = "–";

    /** {@code model, key=value, ...} over the set values; the model needs no key. */
    static String of(List<String> keys, List<String> values) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String v = values.get(i);
            if (v != null) {
                parts.add(keys.get(i).equals("model") ? v : keys.get(i) + "=" + v);
            }
        }
        return parts.isEmpty() ? "all" : String.join(", ", parts);
    }

    static String value(String v) {
        return v == null ? UNSET : v;
    }
}
