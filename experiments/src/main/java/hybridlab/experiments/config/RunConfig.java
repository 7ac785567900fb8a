package hybridlab.experiments.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run's configuration, as typed records: the model, the data, the optimiser, the schedule,
 * the backend, what the run saves, and the seed. Every key is declared once, with its type, range, default and
 * help, by a {@link Key} on its record component ({@link RunKeys} finds them). A config is built
 * from the defaults plus YAML maps and {@code --set key=value} overrides (the value read as
 * YAML), each value checked as it comes in, so an error names its source and key.
 */
public record RunConfig(ModelSpec model, DataSpec data, OptimSpec optim, ScheduleSpec schedule, BackendSpec backend,
                        OutputSpec output, @Key(def = "0", min = 0, max = 1 << 24, help = "run seed (initialisation, subset, shuffles, dropout)")
                        int seed) {

    public static RunConfig defaults() {
        return RunKeys.defaults();
    }

    /** This config with {@code key} set from a raw value; {@code where} names the source for errors (null: none). */
    public RunConfig with(String key, Object raw, String where) {
        KeySpec k = RunKeys.spec(key, where);
        Map<String, Object> v = values();
        v.put(k.name(), k.convert(raw, where));
        return RunKeys.bind(v);
    }

    /** This config with every entry of {@code raw} applied, in order. */
    public RunConfig withAll(Map<String, ?> raw, String where) {
        RunConfig c = this;
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            c = c.with(e.getKey(), e.getValue(), where);
        }
        return c;
    }

    /** Applies {@code key=value} strings from the command line; each value is read as YAML. */
    public RunConfig withSets(List<String> sets) {
        RunConfig c = this;
        for (String s : sets) {
            Setting set = Setting.parse(s, "--set");
            c = c.with(set.key(), set.value(), "--set");
        }
        return c;
    }

    /** A {@code --set} / {@code --only} argument: a known key and its value read as YAML. */
    public record Setting(String key, Object value) {
        public static Setting parse(String text, String flag) {
            int eq = text.indexOf('=');
            if (eq <= 0) {
                throw ConfigException.at(flag, null, "'" + text + "' is not key=value");
            }
            String key = text.substring(0, eq).trim();
            RunKeys.spec(key, flag);
            return new Setting(key, Yaml.value(text.substring(eq + 1), flag + ": " + key));
        }
    }

    /** The value of the key called {@code key}. */
    public Object get(String key) {
        return RunKeys.value(this, RunKeys.spec(key, null));
    }

    /** Every key and value, in declaration order (a fresh map). */
    public Map<String, Object> values() {
        return RunKeys.values(this);
    }

    /** What this run computes; two configs with one identity give the same numbers. */
    public RunIdentity identity() {
        return RunIdentity.of(this);
    }

    /** {@code <model>-s<seed>-<hash of the identity>}: names the run's record. */
    public String runId() {
        return identity().runId();
    }

    /**
     * The config a run record holds, read back: unknown keys are refused, and the sentinels of
     * schema-1 records (-1 for a knob left at the preset's value, "" for an unset string) read as unset.
     */
    public static RunConfig fromRecord(Map<String, Object> recorded, String where) {
        Map<String, Object> v = new LinkedHashMap<>(recorded);
        v.replaceAll((k, x) -> isLegacyUnset(k, x) ? null : x);
        return defaults().withAll(v, where);
    }

    private static boolean isLegacyUnset(String key, Object value) {
        return switch (key) {
            case "drop_path", "parallel_depth" -> value instanceof Number n && n.doubleValue() == -1;
            case "device", "data_dir" -> "".equals(value);
            default -> false;
        };
    }
}
