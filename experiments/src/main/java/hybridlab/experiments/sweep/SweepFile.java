package hybridlab.experiments.sweep;

import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.DidYouMean;
import hybridlab.experiments.config.RunKeys;
import hybridlab.experiments.config.Yaml;
import hybridlab.experiments.report.Grouping;
import hybridlab.experiments.report.Metric;
import hybridlab.experiments.report.ReportSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep file as written, checked for shape (sections, types, empty lists, keys that clash)
 * but with run-key values still raw; {@link Expansion} converts them. {@code source} names the
 * file in messages.
 *
 * @param base     run keys shared by every run
 * @param axes     a grid: every combination of the listed values
 * @param points   listed points, each crossed with the grid (one empty point when absent)
 * @param seeds    raw seeds, one run of every point per seed
 * @param backends each a map of {@code backend} and optionally {@code device}; one run per entry
 * @param report   the tables' layout; keys that vary but are not named get appended to the rows
 */
public record SweepFile(String source, String name, String output, Map<String, Object> base, Map<String, List<Object>> axes,
                        List<Map<String, Object>> points, List<Object> seeds, List<Map<String, Object>> backends,
                        ReportSpec report) {

    /** Whether the file lists backends (otherwise every run uses the base config's backend). */
    public boolean listsBackends() {
        return !backends.get(0).isEmpty();
    }

    static final List<String> SECTIONS = List.of("name", "output", "base", "axes", "points", "seeds", "backends", "report");
    static final List<String> REPORT_KEYS = List.of("rows", "columns", "metrics", "groups");
    static final List<String> BACKEND_KEYS = List.of("backend", "device");

    public static SweepFile read(Path file) {
        String src = file.toString();
        Map<String, Object> raw = Yaml.readMap(file);
        for (String k : raw.keySet()) {
            if (!SECTIONS.contains(k)) {
                throw ConfigException.at(src, k, "unknown sweep section" + DidYouMean.suggest(k, SECTIONS)
                        + "; a sweep file has " + String.join(", ", SECTIONS));
            }
        }
        Shapes in = new Shapes(src);
        String stem = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        String name = raw.containsKey("name") ? in.string(raw.get("name"), "name") : stem;
        String output = raw.containsKey("output") ? in.string(raw.get("output"), "output") : null;
        Map<String, Object> base = raw.containsKey("base") ? in.map(raw.get("base"), "base") : Map.of();
        Map<String, List<Object>> axes = axes(in, raw.get("axes"));
        List<Map<String, Object>> points = points(in, raw.get("points"), axes);
        List<Object> seeds = raw.containsKey("seeds") ? in.list(raw.get("seeds"), "seeds", "[0, 1, 2]") : List.of(0);
        List<Map<String, Object>> backends = backends(in, raw.get("backends"));
        ReportSpec report = report(in, raw.get("report"));
        return new SweepFile(src, name, output, base, axes, points, seeds, backends, report);
    }

    private static Map<String, List<Object>> axes(Shapes in, Object raw) {
        Map<String, List<Object>> axes = new LinkedHashMap<>();
        if (raw == null) {
            return axes;
        }
        in.map(raw, "axes").forEach((k, v) -> axes.put(k, in.list(v, "axes." + k, "[pre, post]")));
        return axes;
    }

    private static List<Map<String, Object>> points(Shapes in, Object raw, Map<String, List<Object>> axes) {
        if (raw == null) {
            return List.of(Map.of());
        }
        List<Map<String, Object>> points = new ArrayList<>();
        List<Object> items = in.list(raw, "points", "[{model: coatnet-nano-CCTT, fusion: pre}]");
        for (int i = 0; i < items.size(); i++) {
            String at = "points[" + i + "]";
            Map<String, Object> p = in.map(items.get(i), at);
            for (String k : p.keySet()) {
                if (axes.containsKey(k)) {
                    throw ConfigException.at(in.src, at + "." + k, "'" + k + "' is also an axis; give a key per point or as an axis, not both");
                }
            }
            points.add(p);
        }
        return points;
    }

    private static List<Map<String, Object>> backends(Shapes in, Object raw) {
        if (raw == null) {
            return List.of(Map.of());
        }
        List<Map<String, Object>> out = new ArrayList<>();
        List<Object> items = in.list(raw, "backends", "[jvm, {backend: tornado, device: \"tornado:0:0\"}]");
        for (int i = 0; i < items.size(); i++) {
            String at = "backends[" + i + "]";
            if (items.get(i) instanceof Map<?, ?>) {
                Map<String, Object> m = in.map(items.get(i), at);
                for (String k : m.keySet()) {
                    if (!BACKEND_KEYS.contains(k)) {
                        throw ConfigException.at(in.src, at + "." + k, "unknown key" + DidYouMean.suggest(k, BACKEND_KEYS)
                                + "; a backend entry has backend and device");
                    }
                }
                out.add(m);
            } else {
                out.add(Map.of("backend", in.string(items.get(i), at)));
            }
        }
        return out;
    }

    private static ReportSpec report(Shapes in, Object raw) {
        Map<String, Object> m = raw == null ? Map.of() : in.map(raw, "report");
        for (String k : m.keySet()) {
            if (!REPORT_KEYS.contains(k)) {
                throw ConfigException.at(in.src, "report." + k, "unknown report key" + DidYouMean.suggest(k, REPORT_KEYS)
                        + "; the report section has " + String.join(", ", REPORT_KEYS));
            }
        }
        Set<String> seen = new HashSet<>();
        List<String> rows = runKeys(in, m.get("rows"), "report.rows", seen);
        List<String> columns = runKeys(in, m.get("columns"), "report.columns", seen);
        List<Metric> metrics = new ArrayList<>();
        if (m.containsKey("metrics")) {
            for (Object o : in.list(m.get("metrics"), "report.metrics", "[test_acc, gap_acc, train_loss]")) {
                metrics.add(Metric.parse(in.string(o, "report.metrics"), in.src + ": report.metrics"));
            }
        } else {
            metrics.addAll(Metric.DEFAULTS);
        }
        return new ReportSpec(rows, columns, metrics, Grouping.parse(m.get("groups"), in.src + ": report.groups"));
    }

    /** Run keys naming table rows or columns; each key at most once over both. */
    private static List<String> runKeys(Shapes in, Object raw, String at, Set<String> seen) {
        List<String> keys = new ArrayList<>();
        if (raw == null) {
            return keys;
        }
        for (Object o : in.list(raw, at, "[model, fusion]")) {
            String k = in.string(o, at);
            RunKeys.spec(k, in.src + ": " + at);
            if (k.equals("seed")) {
                throw ConfigException.at(in.src, at, "seed cannot label rows or columns: the report averages over seeds");
            }
            if (!seen.add(k)) {
                throw ConfigException.at(in.src, at, "'" + k + "' is named twice in the report's rows and columns");
            }
            keys.add(k);
        }
        return keys;
    }

    /** Type checks of raw YAML values, with errors naming the file and the path inside it. */
    private record Shapes(String src) {
        Map<String, Object> map(Object raw, String at) {
            if (!(raw instanceof Map<?, ?> m)) {
                throw ConfigException.at(src, at, "must be a map of keys to values, e.g. {epochs: 1, batch: 64}; got " + show(raw));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }

        List<Object> list(Object raw, String at, String example) {
            if (!(raw instanceof List<?> l)) {
                throw ConfigException.at(src, at, "must be a list, e.g. " + example + "; got " + show(raw));
            }
            if (l.isEmpty()) {
                throw ConfigException.at(src, at, "is empty; give at least one value, e.g. " + example);
            }
            return new ArrayList<>(l);
        }

        String string(Object raw, String at) {
            if (raw == null || raw instanceof Map || raw instanceof List) {
                throw ConfigException.at(src, at, "must be a single value; got " + show(raw));
            }
            return raw.toString();
        }

        private static String show(Object raw) {
            return raw == null ? "nothing" : "'" + raw + "'";
        }
    }
}
