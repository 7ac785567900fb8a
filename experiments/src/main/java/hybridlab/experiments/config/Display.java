package hybridlab.experiments.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Run-key values as people write them in a sweep file: {@code 0.1}, {@code 1}, {@code {3: 1, 5: 2}},
 * {@code off}, {@code [1, 2]}, {@code pre}. Tables, messages and run ids all use this form.
 */
public final class Display {
    private Display() {
    }

    /** The value as text, or null for an unset key. */
    public static String of(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Double d) {
            return number(d);
        }
        if (v instanceof Map<?, ?> m) {
            return m.isEmpty() ? "off" : m.entrySet().stream().map(e -> e.getKey() + ": " + of(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        if (v instanceof List<?> l) {
            return l.stream().map(Display::of).collect(Collectors.joining(", ", "[", "]"));
        }
        return v.toString();
    }

    /** A number without trailing zeros or exponent noise: {@code 1}, {@code 0.002}, {@code NaN}, {@code Infinity}. */
    public static String number(double d) {
        if (!Double.isFinite(d)) {
            return String.valueOf(d);
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /** {@code {key: value, ...}} over the given keys of a config's values. */
    public static String map(List<String> keys, Map<String, Object> values) {
        return keys.stream().map(k -> k + ": " + of(values.get(k))).collect(Collectors.joining(", ", "{", "}"));
    }
}
