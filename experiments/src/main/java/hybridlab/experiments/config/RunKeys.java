package hybridlab.experiments.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every run key, found by reflection on {@link RunConfig}'s records: a component with a
 * {@link Key} is a key; a record component without one is a group of keys. Binds a map of
 * converted values to a {@link RunConfig} and reads one back.
 */
public final class RunKeys {
    private RunKeys() {
    }

    /** Converts raw YAML values to key types: strict about numbers (no 2.5 as an integer), enums by name in any case. */
    static final ObjectMapper BINDER = binder();

    private static final List<KeySpec> ALL = new ArrayList<>();
    private static final Map<String, KeySpec> BY_NAME = new LinkedHashMap<>();
    /** Per component of RunConfig: its key, or the keys of its record in component order. */
    private static final List<List<KeySpec>> GROUP_KEYS = new ArrayList<>();
    private static final RecordComponent[] GROUPS = RunConfig.class.getRecordComponents();
    private static final RunConfig DEFAULTS;

    static {
        for (RecordComponent g : GROUPS) {
            if (g.getAnnotation(Key.class) != null) {
                GROUP_KEYS.add(List.of(add(null, g)));
            } else if (g.getType().isRecord()) {
                List<KeySpec> keys = new ArrayList<>();
                for (RecordComponent c : g.getType().getRecordComponents()) {
                    keys.add(add(g, c));
                }
                GROUP_KEYS.add(List.copyOf(keys));
            } else {
                throw new IllegalStateException("RunConfig." + g.getName() + " is neither a key nor a group of keys");
            }
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        ALL.forEach(k -> defaults.put(k.name(), k.defaultValue()));
        DEFAULTS = bind(defaults);
    }

    private static ObjectMapper binder() {
        ObjectMapper m = JsonMapper.builder()
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
        m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Array, CoercionAction.Fail);
        return m;
    }

    private static KeySpec add(RecordComponent group, RecordComponent c) {
        Key k = c.getAnnotation(Key.class);
        if (k == null) {
            throw new IllegalStateException(c.getDeclaringRecord().getSimpleName() + "." + c.getName() + " has no @Key");
        }
        String name = k.name().isEmpty() ? snake(c.getName()) : k.name();
        JavaType type = BINDER.getTypeFactory().constructType(c.getGenericType());
        KeySpec probe = new KeySpec(name, group, c, type, k, null);
        Object def = k.def().isEmpty() ? null : probe.convert(Yaml.value(k.def(), "default of " + name), "default of " + name);
        KeySpec spec = new KeySpec(name, group, c, type, k, def);
        if (BY_NAME.put(name, spec) != null) {
            throw new IllegalStateException("run key " + name + " is declared twice");
        }
        ALL.add(spec);
        return spec;
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /** Every key, in declaration order. */
    public static List<KeySpec> all() {
        return List.copyOf(ALL);
    }

    public static RunConfig defaults() {
        return DEFAULTS;
    }

    /** The key called {@code name}, or a config error at {@code where} suggesting the closest one. */
    public static KeySpec spec(String name, String where) {
        KeySpec k = BY_NAME.get(name);
        if (k == null) {
            throw ConfigException.at(where, name, "unknown key" + DidYouMean.suggest(name, BY_NAME.keySet())
                    + "; 'experiments keys' lists them all");
        }
        return k;
    }

    public static boolean exists(String name) {
        return BY_NAME.containsKey(name);
    }

    /** A config from converted values of every key. */
    static RunConfig bind(Map<String, Object> values) {
        Object[] groups = new Object[GROUPS.length];
        for (int g = 0; g < GROUPS.length; g++) {
            List<KeySpec> keys = GROUP_KEYS.get(g);
            if (keys.get(0).group() == null) {
                groups[g] = values.get(keys.get(0).name());
                continue;
            }
            groups[g] = construct(GROUPS[g].getType(), keys.stream().map(k -> values.get(k.name())).toArray());
        }
        return (RunConfig) construct(RunConfig.class, groups);
    }

    /** The value of every key of {@code c}, in declaration order. */
    static Map<String, Object> values(RunConfig c) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (KeySpec k : ALL) {
            out.put(k.name(), value(c, k));
        }
        return out;
    }

    static Object value(RunConfig c, KeySpec k) {
        try {
            Object holder = k.group() == null ? c : k.group().getAccessor().invoke(c);
            return k.component().getAccessor().invoke(holder);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object construct(Class<?> record, Object[] args) {
        Class<?>[] types = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            Constructor<?> ctor = record.getDeclaredConstructor(types);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code experiments keys}: every key with its type, default and help, grouped as in {@link RunConfig}. */
    public static String table() {
        StringBuilder sb = new StringBuilder();
        String group = "";
        for (KeySpec k : ALL) {
            String g = k.group() == null ? "run" : k.group().getName();
            if (!g.equals(group)) {
                sb.append(sb.isEmpty() ? "" : "\n").append(g).append(":\n");
                group = g;
            }
            String def = k.defaultValue() == null ? "unset" : Display.of(k.defaultValue());
            sb.append(String.format(Locale.ROOT, "  %-16s %-13s default %-10s %s%n", k.name(), k.typeName(), def, k.key().help()));
            sb.append(String.format(Locale.ROOT, "  %-16s %-13s accepts %s%s%n", "", "", k.accepts(),
                    k.key().datasets().length == 0 ? "" : "; only for dataset " + String.join(", ",
                            Arrays.stream(k.key().datasets()).map(String::valueOf).toList())));
        }
        return sb.toString();
    }
}
