package hybridlab.experiments.sweep;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Run-key values as people write them in a sweep file: {@code 0.1}, {@code 1}, {@code {3: 1, 5: 2}}, {@code off}. */
final class Display {
    private Display() {
    }

    /** The value as text, or null for an unset key. */
    static String of(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (v instanceof Map<?, ?> m) {
            return m.isEmpty() ? "off" : m.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
        }
        return v.toString();
    }

    /** {@code {key: value, ...}} over the given keys of a config map. */
    static String map(List<String> keys, Map<String, Object> values) {
        return keys.stream().map(k -> k + ": " + of(values.get(k))).collect(Collectors.joining(", ", "{", "}"));
    }
}
