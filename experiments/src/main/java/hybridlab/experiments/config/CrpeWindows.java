package hybridlab.experiments.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CoaT's CRPE windows: window size to number of heads, in the order given (the model assigns
 * heads to windows in that order); empty turns CRPE off. Written {@code {3: 1, 5: 2, 7: 1}} or
 * {@code off}.
 */
public record CrpeWindows(Map<Integer, Integer> headsPerWindow) {
    public static final CrpeWindows OFF = new CrpeWindows(Map.of());

    public CrpeWindows {
        headsPerWindow = Collections.unmodifiableMap(new LinkedHashMap<>(headsPerWindow));
    }

    /** From YAML or JSON: a map (keys may be numbers or numeric strings), or {@code off} / {@code false}. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static CrpeWindows of(Object raw) {
        if (Boolean.FALSE.equals(raw) || raw instanceof String s && (s.trim().toLowerCase(Locale.ROOT).equals("off")
                || s.trim().toLowerCase(Locale.ROOT).equals("none"))) {
            return OFF;
        }
        if (!(raw instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("not a window map");
        }
        Map<Integer, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            out.put(integer(e.getKey()), integer(e.getValue()));
        }
        return new CrpeWindows(out);
    }

    private static int integer(Object o) {
        if (o instanceof Integer i) {
            return i;
        }
        if (o instanceof String s && s.trim().matches("-?\\d{1,9}")) {
            return Integer.parseInt(s.trim());
        }
        throw new IllegalArgumentException("not an integer: " + o);
    }

    /** For JSON records: the map itself ({@code {}} when off). */
    @JsonValue
    public Map<Integer, Integer> headsPerWindow() {
        return headsPerWindow;
    }

    @Override
    public String toString() {
        return headsPerWindow.isEmpty() ? "off" : headsPerWindow.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
