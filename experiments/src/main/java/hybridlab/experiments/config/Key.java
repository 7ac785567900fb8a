package hybridlab.experiments.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One typed configuration key: its name, type, default and allowed values. Converting a raw
 * YAML / command-line value through a key either yields a value of the key's type or fails with
 * a message naming the key and what it accepts.
 */
public record Key(String name, Type type, Object defaultValue, double min, double max, List<String> choices, String doc) {

    public enum Type { INT, FLOAT, STRING, BOOL, CHOICE, INT_LIST, WINDOWS }

    public static Key integer(String name, int def, int min, int max, String doc) {
        return new Key(name, Type.INT, def, min, max, List.of(), doc);
    }

    public static Key real(String name, double def, double min, double max, String doc) {
        return new Key(name, Type.FLOAT, def, min, max, List.of(), doc);
    }

    public static Key string(String name, String def, String doc) {
        return new Key(name, Type.STRING, def, 0, 0, List.of(), doc);
    }

    public static Key bool(String name, Boolean def, String doc) {
        return new Key(name, Type.BOOL, def, 0, 0, List.of(), doc);
    }

    public static Key choice(String name, String def, List<String> choices, String doc) {
        return new Key(name, Type.CHOICE, def, 0, 0, choices, doc);
    }

    public static Key intList(String name, String doc) {
        return new Key(name, Type.INT_LIST, null, 0, 0, List.of(), doc);
    }

    /** A CoaT window map {@code {window: heads}}, or {@code off}. */
    public static Key windows(String name, String doc) {
        return new Key(name, Type.WINDOWS, null, 0, 0, List.of(), doc);
    }

    /** What this key accepts, for messages. */
    public String accepts() {
        return switch (type) {
            case INT -> "an integer in [" + (long) min + ", " + (long) max + "]";
            case FLOAT -> "a number in [" + min + ", " + max + "]";
            case STRING -> "a string";
            case BOOL -> "true or false";
            case CHOICE -> "one of " + String.join(", ", choices);
            case INT_LIST -> "a list of integers, e.g. [1, 2, 3, 4]";
            case WINDOWS -> "a map of odd window sizes to head counts, e.g. {3: 2, 5: 3, 7: 3}, or off";
        };
    }

    /** Converts a raw value (from YAML or {@code --set}); {@code where} names the source. */
    public Object convert(Object raw, String where) {
        if (raw == null) {
            if (defaultValue == null && (type == Type.INT_LIST || type == Type.WINDOWS)) {
                return null;
            }
            throw ConfigException.at(where, name, "needs a value: " + accepts());
        }
        try {
            return switch (type) {
                case INT -> {
                    long v = raw instanceof Number n && isIntegral(n) ? n.longValue() : Long.parseLong(raw.toString().trim());
                    if (v < min || v > max) {
                        throw bad(where, raw);
                    }
                    yield (int) v;
                }
                case FLOAT -> {
                    double v = raw instanceof Number n ? n.doubleValue() : Double.parseDouble(raw.toString().trim());
                    if (!(v >= min && v <= max)) {
                        throw bad(where, raw);
                    }
                    yield v;
                }
                case STRING -> {
                    if (raw instanceof Map || raw instanceof List) {
                        throw bad(where, raw);
                    }
                    yield raw.toString();
                }
                case BOOL -> {
                    if (raw instanceof Boolean b) {
                        yield b;
                    }
                    String s = raw.toString().trim().toLowerCase(Locale.ROOT);
                    if (s.equals("true") || s.equals("on") || s.equals("yes")) {
                        yield true;
                    }
                    if (s.equals("false") || s.equals("off") || s.equals("no")) {
                        yield false;
                    }
                    throw bad(where, raw);
                }
                case CHOICE -> {
                    String s = raw.toString().trim();
                    for (String c : choices) {
                        if (c.equalsIgnoreCase(s)) {
                            yield c;
                        }
                    }
                    throw bad(where, raw);
                }
                case INT_LIST -> intList(raw, where);
                case WINDOWS -> windows(raw, where);
            };
        } catch (NumberFormatException e) {
            throw bad(where, raw);
        }
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || (n.doubleValue() == Math.rint(n.doubleValue()) && !Double.isInfinite(n.doubleValue()));
    }

    private ConfigException bad(String where, Object raw) {
        return ConfigException.at(where, name, "'" + raw + "' is not " + accepts());
    }

    private List<Integer> intList(Object raw, String where) {
        List<Object> items = new ArrayList<>();
        if (raw instanceof List<?> l) {
            items.addAll(l);
        } else {
            String s = raw.toString().trim().replaceAll("^\\[|\\]$", "");
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    items.add(part.trim());
                }
            }
        }
        List<Integer> out = new ArrayList<>();
        for (Object o : items) {
            if (o instanceof Number n && isIntegral(n)) {
                out.add(n.intValue());
            } else {
                try {
                    out.add(Integer.parseInt(o.toString().trim()));
                } catch (NumberFormatException e) {
                    throw bad(where, raw);
                }
            }
        }
        if (out.isEmpty()) {
            throw bad(where, raw);
        }
        return List.copyOf(out);
    }

    /** Window map, kept in the order given; an empty map means CRPE off. */
    private Map<Integer, Integer> windows(Object raw, String where) {
        Map<Integer, Integer> out = new LinkedHashMap<>();
        if (raw instanceof Boolean b && !b || "off".equalsIgnoreCase(raw.toString().trim())
                || "none".equalsIgnoreCase(raw.toString().trim())) {
            return out;
        }
        Map<?, ?> m;
        if (raw instanceof Map<?, ?> mm) {
            m = mm;
        } else {
            // "{3: 2, 5: 3}" or "3:2,5:3" from the command line
            m = new LinkedHashMap<>();
            String s = raw.toString().trim().replaceAll("^\\{|\\}$", "");
            Map<String, String> parsed = new LinkedHashMap<>();
            for (String part : s.split(",")) {
                String[] kv = part.split(":");
                if (kv.length != 2) {
                    throw bad(where, raw);
                }
                parsed.put(kv[0].trim(), kv[1].trim());
            }
            m = parsed;
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            try {
                out.put(Integer.parseInt(e.getKey().toString().trim()), Integer.parseInt(e.getValue().toString().trim()));
            } catch (NumberFormatException ex) {
                throw bad(where, raw);
            }
        }
        return out;
    }
}
