package hybridlab.experiments.config;

import com.fasterxml.jackson.databind.JavaType;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One run key as declared by a {@link Key} on a component of {@link RunConfig}'s records: what
 * it accepts, its default, and the conversion of a raw YAML value into the component's type,
 * which either succeeds or fails with a message naming the source, the key and what is allowed.
 *
 * @param group     the {@link RunConfig} component holding the key's record, or null for a key of RunConfig itself
 * @param component the record component the key binds to
 */
public record KeySpec(String name, RecordComponent group, RecordComponent component, JavaType type, Key key, Object defaultValue) {

    /** Whether the key may be unset (null): keys whose default is the preset's or the data's own value. */
    public boolean optional() {
        return key.def().isEmpty();
    }

    /** Whether the key applies to runs on {@code kind} (when it does not, it changes nothing). */
    public boolean appliesTo(DatasetKind kind) {
        return key.datasets().length == 0 || Arrays.asList(key.datasets()).contains(kind);
    }

    /** Whether the key's value is part of the run id of runs on {@code kind}. */
    public boolean identifies(DatasetKind kind) {
        return appliesTo(kind) && (key.changesResults() || Arrays.asList(key.changesResultsFor()).contains(kind));
    }

    /** Converts a raw value (from YAML, a --set value read as YAML, or a record); {@code where} names its source. */
    public Object convert(Object raw, String where) {
        if (raw == null) {
            if (optional()) {
                return null;
            }
            throw ConfigException.at(where, name, "needs a value: " + accepts());
        }
        Object value;
        try {
            value = RunKeys.BINDER.convertValue(integralAsLong(raw), type);
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(where, name, "'" + Display.of(raw) + "' is not " + accepts());
        }
        if (value instanceof Number n && !(n.doubleValue() >= key.min() && n.doubleValue() <= key.max())) {
            throw ConfigException.at(where, name, "'" + Display.of(raw) + "' is not " + accepts());
        }
        if (value instanceof List<?> l && l.contains(null)) {
            throw ConfigException.at(where, name, "'" + Display.of(raw) + "' is not " + accepts());
        }
        return value;
    }

    /** {@code 2.0} for an integer key is 2; {@code 2.5} stays a float and fails as one. */
    private Object integralAsLong(Object raw) {
        boolean integral = type.getRawClass() == int.class || type.getRawClass() == Integer.class;
        if (integral && raw instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return d.longValue();
        }
        return raw;
    }

    /** What this key accepts, for messages and {@code experiments keys}. */
    public String accepts() {
        Class<?> c = type.getRawClass();
        if (c == int.class || c == Integer.class) {
            return "an integer" + range();
        }
        if (c == double.class || c == Double.class) {
            return "a number" + range();
        }
        if (c == boolean.class || c == Boolean.class) {
            return "true or false";
        }
        if (c.isEnum()) {
            return "one of " + Arrays.stream(c.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "));
        }
        if (c == CrpeWindows.class) {
            return "a map of odd window sizes to head counts, e.g. {3: 2, 5: 3, 7: 3}, or off";
        }
        if (c == CheckpointEvery.class) {
            return "a number of epochs (2), or N steps, or a time (30s, 10m, 1h)";
        }
        if (List.class.isAssignableFrom(c)) {
            return "a list of integers" + (key.example().isEmpty() ? "" : ", e.g. " + key.example());
        }
        if (Map.class.isAssignableFrom(c)) {
            return "a map";
        }
        return "a string";
    }

    /** The type in a word, for {@code experiments keys}. */
    public String typeName() {
        Class<?> c = type.getRawClass();
        if (c == int.class || c == Integer.class) {
            return "integer";
        }
        if (c == double.class || c == Double.class) {
            return "number";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "boolean";
        }
        if (c.isEnum()) {
            return "choice";
        }
        if (c == CrpeWindows.class) {
            return "window map";
        }
        if (c == CheckpointEvery.class) {
            return "interval";
        }
        if (List.class.isAssignableFrom(c)) {
            return "integer list";
        }
        return "string";
    }

    private String range() {
        boolean low = key.min() != Double.NEGATIVE_INFINITY, high = key.max() != Double.POSITIVE_INFINITY;
        if (!low && !high) {
            return "";
        }
        return " in [" + (low ? Display.number(key.min()) : "-inf") + ", " + (high ? Display.number(key.max()) : "inf") + "]";
    }
}
