package hybridlab.experiments.report;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.RunKeys;
import hybridlab.experiments.train.RunRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the figures and the comparison tables split a sweep's variants into groups (a panel column,
 * a matched-loss table each). Written in a sweep file's {@code report.groups} as {@code family}
 * (the default: CoAtNet and ViT-REL together, CoaT, ViTAE), a run key (one group per value,
 * e.g. {@code model}), or a map of group names to lists of models.
 */
public sealed interface Grouping {

    /** By the record's model family; ViT-REL is CoAtNet's all-attention control, so it joins CoAtNet. */
    record ByFamily() implements Grouping {
        static final Map<String, String> NAMES = Map.of("coatnet", "CoAtNet and ViT-REL", "vit-rel", "CoAtNet and ViT-REL",
                "coat", "CoaT", "vitae", "ViTAE");
        static final List<String> ORDER = List.of("CoAtNet and ViT-REL", "CoaT", "ViTAE");

        @Override
        public String group(VariantResult v) {
            String family = family(v);
            return family == null ? OTHER : NAMES.getOrDefault(family, family);
        }

        @Override
        public Object json() {
            return FAMILY;
        }
    }

    /** One group per value of a run key. */
    record ByKey(String key) implements Grouping {
        @Override
        public String group(VariantResult v) {
            if (v.variant().coordinates().containsKey(key)) {
                return key + "=" + Labels.value(v.coordinate(key));
            }
            RunRecord r = v.anyRecord();
            Object value = r == null || r.config() == null ? null : r.config().get(key);
            return key + "=" + (value == null ? Labels.UNSET : value);
        }

        @Override
        public Object json() {
            return key;
        }
    }

    /** Named groups of models, in the file's order; a model in none of them goes to {@code other}. */
    record Named(Map<String, List<String>> models) implements Grouping {
        public Named {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            models.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            models = java.util.Collections.unmodifiableMap(copy);
        }

        @Override
        public String group(VariantResult v) {
            RunRecord r = v.anyRecord();
            String model = r != null && r.model() != null ? r.model().name() : v.coordinate("model");
            for (Map.Entry<String, List<String>> e : models.entrySet()) {
                if (e.getValue().contains(model)) {
                    return e.getKey();
                }
            }
            return OTHER;
        }

        @Override
        public Object json() {
            return models;
        }
    }

    String FAMILY = "family", OTHER = "other";

    Grouping DEFAULT = new ByFamily();

    /** The group of a variant that has at least one record. */
    String group(VariantResult v);

    /** The order of groups: the family order, or the named order; others by first appearance, {@code other} last. */
    default List<String> order(List<String> seen) {
        List<String> first = switch (this) {
            case ByFamily f -> ByFamily.ORDER;
            case Named n -> new ArrayList<>(n.models().keySet());
            case ByKey k -> List.of();
        };
        List<String> out = new ArrayList<>();
        first.stream().filter(seen::contains).forEach(out::add);
        seen.stream().filter(g -> !out.contains(g) && !g.equals(OTHER)).forEach(out::add);
        if (seen.contains(OTHER)) {
            out.add(OTHER);
        }
        return out;
    }

    /** The value written to {@code sweep.json}, the same shapes a sweep file accepts. */
    @JsonValue
    Object json();

    @JsonCreator
    static Grouping fromJson(Object raw) {
        return parse(raw, Manifest.FILE + ": report.groups");
    }

    /**
     * The grouping a sweep file's {@code report.groups} names ({@code where} says which file and
     * key, for the error): {@code family}, a run key, or a map of group names to lists of models.
     */
    public static Grouping parse(Object raw, String where) {
        if (raw == null || FAMILY.equals(raw)) {
            return DEFAULT;
        }
        if (raw instanceof String key) {
            RunKeys.spec(key, where);
            if (key.equals("seed")) {
                throw new ConfigException(where + ": seed cannot group variants: the report averages over seeds");
            }
            return new ByKey(key);
        }
        if (raw instanceof Map<?, ?> m && !m.isEmpty()) {
            Map<String, List<String>> groups = new LinkedHashMap<>();
            Map<String, String> owner = new HashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String name = String.valueOf(e.getKey());
                if (!(e.getValue() instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(x -> x instanceof String)) {
                    throw new ConfigException(where + "." + name + ": must be a non-empty list of models, e.g. [coatnet-nano-CCCC, vit-rel-nano]");
                }
                List<String> models = new ArrayList<>();
                for (Object o : list) {
                    String model = (String) o;
                    String before = owner.putIfAbsent(model, name);
                    if (before != null) {
                        throw new ConfigException(where + "." + name + ": model '" + model + "' is already in group '" + before + "'");
                    }
                    models.add(model);
                }
                groups.put(name, models);
            }
            return new Named(groups);
        }
        throw new ConfigException(where + ": must be 'family', a run key (e.g. model) or a map of group names to lists of models, "
                + "e.g. {layouts: [coatnet-nano-CCCC, coatnet-nano-CTTT]}; got " + raw);
    }

    private static String family(VariantResult v) {
        RunRecord r = v.anyRecord();
        return r == null || r.model() == null ? null : r.model().family();
    }
}
