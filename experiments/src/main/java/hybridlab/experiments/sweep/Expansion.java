package hybridlab.experiments.sweep;

import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.Display;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.report.ReportSpec;
import hybridlab.experiments.train.Models;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns a sweep file into runs: variant = base + {@code --set} + point + grid combination +
 * backend entry, in that order (points in file order, the grid's last axis fastest, backends
 * innermost); run = variant x seed, seeds outermost. Every value is converted through its run
 * key where it is written, so a bad one is reported at its place in the file.
 */
final class Expansion {
    private Expansion() {
    }

    static SweepPlan expand(SweepFile f, List<String> sets, Path outputOverride) {
        String src = f.source();
        RunConfig base = RunConfig.defaults();
        for (Map.Entry<String, Object> e : f.base().entrySet()) {
            reserved(f, e.getKey(), src + ": base." + e.getKey());
            base = set(base, e.getKey(), e.getValue(), src + ": base.");
        }
        base = overrides(f, base, sets);
        List<Integer> seeds = seeds(f, base);
        List<Draft> drafts = drafts(f, base);
        for (Draft d : drafts) {
            Located.at(src + ": " + d.origin() + ": ", () -> Models.resolve(d.config(), null));
        }
        ReportSpec report = f.report().coveringAll(distinguishing(f.report(), varying(f, drafts), drafts));

        List<Variant> variants = new ArrayList<>();
        for (Draft d : drafts) {
            Map<String, String> coords = new LinkedHashMap<>();
            report.keys().forEach(k -> coords.put(k, Display.of(d.config().get(k))));
            List<String> ids = seeds.stream().map(seed -> withSeed(f, d.config(), seed).runId()).toList();
            variants.add(new Variant(variants.size(), withSeed(f, d.config(), seeds.get(0)), d.origin(), coords, ids));
        }
        List<SweepRun> runs = new ArrayList<>();
        for (int seed : seeds) {
            for (Variant v : variants) {
                runs.add(new SweepRun(runs.size(), v, seed, withSeed(f, v.config(), seed)));
            }
        }
        noTwoRunsAlike(src, runs);
        Path output = outputOverride != null ? outputOverride : outputOf(f);
        String outputWhere = outputOverride != null ? "--output" : f.output() != null ? src + ": output" : "output folder";
        return new SweepPlan(f, List.copyOf(sets), output, outputWhere, List.copyOf(variants), List.copyOf(runs), report);
    }

    /** A variant's config before seeds, and the keys its point, grid combination and backend entry set. */
    private record Draft(RunConfig config, String origin) {
    }

    /** Point x grid combination x backend entry, in that nesting. */
    private static List<Draft> drafts(SweepFile f, RunConfig base) {
        String src = f.source();
        List<Draft> drafts = new ArrayList<>();
        for (int p = 0; p < f.points().size(); p++) {
            Map<String, Object> point = f.points().get(p);
            RunConfig withPoint = base;
            for (Map.Entry<String, Object> e : point.entrySet()) {
                reserved(f, e.getKey(), src + ": points[" + p + "]." + e.getKey());
                withPoint = set(withPoint, e.getKey(), e.getValue(), src + ": points[" + p + "].");
            }
            for (Map<String, Object> combo : grid(f.axes())) {
                RunConfig withAxes = withPoint;
                for (Map.Entry<String, Object> e : combo.entrySet()) {
                    reserved(f, e.getKey(), src + ": axes." + e.getKey());
                    withAxes = set(withAxes, e.getKey(), e.getValue(), src + ": axes.");
                }
                for (int b = 0; b < f.backends().size(); b++) {
                    RunConfig c = withAxes;
                    for (Map.Entry<String, Object> e : f.backends().get(b).entrySet()) {
                        c = set(c, e.getKey(), e.getValue(), src + ": backends[" + b + "].");
                    }
                    List<String> setKeys = new ArrayList<>(point.keySet());
                    setKeys.addAll(combo.keySet());
                    setKeys.addAll(f.backends().get(b).keySet());
                    drafts.add(new Draft(c, setKeys.isEmpty() ? "the base config" : Display.map(setKeys, c.values())));
                }
            }
        }
        return drafts;
    }

    private static RunConfig withSeed(SweepFile f, RunConfig c, int seed) {
        return c.with("seed", seed, f.source() + ": seeds");
    }

    /** {@code cfg} with {@code key} set; a model name is checked against the presets on the spot. */
    private static RunConfig set(RunConfig cfg, String key, Object raw, String location) {
        return Located.at(location, () -> {
            RunConfig c = cfg.with(key, raw, null);
            if (key.equals("model")) {
                c.model().preset(null);
            }
            return c;
        });
    }

    /** Keys the sweep file sets elsewhere: seeds always, backend and device when a backends list exists. */
    private static void reserved(SweepFile f, String key, String at) {
        if (key.equals("seed")) {
            throw new ConfigException(at + ": list seeds in the top-level 'seeds' section");
        }
        if ((key.equals("backend") || key.equals("device")) && f.listsBackends()) {
            throw new ConfigException(at + ": this sweep lists 'backends'; set backend and device there");
        }
    }

    /** {@code --set key=value}: applies to every run; a key the file varies cannot be forced. */
    private static RunConfig overrides(SweepFile f, RunConfig base, List<String> sets) {
        for (String s : sets) {
            RunConfig.Setting set = RunConfig.Setting.parse(s, "--set");
            String key = set.key();
            reserved(f, key, "--set: " + key);
            boolean varied = f.axes().containsKey(key) || f.points().stream().anyMatch(p -> p.containsKey(key));
            if (varied) {
                throw ConfigException.at("--set", key, "varies in " + f.source() + " (an axis or a point sets it); edit the file instead");
            }
            base = set(base, key, set.value(), "--set: ");
        }
        return base;
    }

    private static List<Integer> seeds(SweepFile f, RunConfig base) {
        List<Integer> seeds = new ArrayList<>();
        for (Object raw : f.seeds()) {
            int seed = base.with("seed", raw, f.source() + ": seeds").seed();
            if (seeds.contains(seed)) {
                throw ConfigException.at(f.source(), "seeds", seed + " is listed twice");
            }
            seeds.add(seed);
        }
        return seeds;
    }

    /** Every combination of the axes' values, the last axis changing fastest; one empty combination without axes. */
    static List<Map<String, Object>> grid(Map<String, List<Object>> axes) {
        List<Map<String, Object>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<Object>> axis : axes.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> c : combos) {
                for (Object value : axis.getValue()) {
                    Map<String, Object> m = new LinkedHashMap<>(c);
                    m.put(axis.getKey(), value);
                    next.add(m);
                }
            }
            combos = next;
        }
        return combos;
    }

    /** Run keys whose value differs between variants, in the order the file introduces them. */
    private static List<String> varying(SweepFile f, List<Draft> drafts) {
        Set<String> candidates = new LinkedHashSet<>();
        f.points().forEach(p -> candidates.addAll(p.keySet()));
        candidates.addAll(f.axes().keySet());
        f.backends().forEach(b -> candidates.addAll(b.keySet()));
        List<String> out = new ArrayList<>();
        for (String k : candidates) {
            Object first = drafts.get(0).config().get(k);
            if (drafts.stream().anyMatch(d -> !Objects.equals(d.config().get(k), first))) {
                out.add(k);
            }
        }
        return out;
    }

    /**
     * The varying keys the report adds to its rows to tell the variants apart. A key whose value
     * follows from the columns alone (data-size.yaml's epochs, set per training fraction) is left
     * out: as a row it would split each series into one row per column, and it tells no two
     * variants of one column apart.
     */
    private static List<String> distinguishing(ReportSpec spec, List<String> varying, List<Draft> drafts) {
        List<String> added = new ArrayList<>();
        for (String k : varying) {
            if (!spec.keys().contains(k) && !(!spec.columns().isEmpty() && followsFrom(spec.columns(), k, drafts))) {
                added.add(k);
            }
        }
        return added;
    }

    /** Whether every two drafts that agree on {@code keys} agree on {@code key}. */
    private static boolean followsFrom(List<String> keys, String key, List<Draft> drafts) {
        Map<List<Object>, Object> valueAt = new HashMap<>();
        for (Draft d : drafts) {
            List<Object> at = keys.stream().map(k -> d.config().get(k)).toList();
            Object v = d.config().get(key);
            if (valueAt.containsKey(at) && !Objects.equals(valueAt.get(at), v)) {
                return false;
            }
            valueAt.put(at, v);
        }
        return true;
    }

    /**
     * Two runs with one run id would share one record, so the second would never train: an error
     * that names both, rather than a silent merge of what the file lists as two points.
     */
    private static void noTwoRunsAlike(String src, List<SweepRun> runs) {
        Map<String, SweepRun> byId = new HashMap<>();
        for (SweepRun r : runs) {
            SweepRun other = byId.putIfAbsent(r.runId(), r);
            if (other != null) {
                Map<String, Object> a = other.config().values(), b = r.config().values();
                List<String> differ = a.keySet().stream().filter(k -> !Objects.equals(a.get(k), b.get(k))).toList();
                throw new ConfigException(src + ": " + other.variant().origin() + " and " + r.variant().origin()
                        + " are the same run (" + r.runId() + ", seed " + r.seed() + "): "
                        + (differ.isEmpty() ? "they are equal" : "they differ only in " + String.join(", ", differ)
                        + ", which does not change what this run computes (threads never does, nor data_dir for a built-in dataset; a key at its "
                        + "default, a knob at the preset's value or one the model does not use, such as fusion without "
                        + "attention stages, do not either)")
                        + "; remove one, or list such points under 'points' without that key");
            }
        }
    }

    /** The file's {@code output}, else {@code runs/<name>} (git ignores {@code runs/}), relative to the current folder. */
    private static Path outputOf(SweepFile f) {
        return f.output() != null ? Path.of(f.output()) : Path.of("runs", f.name().replaceAll("[^A-Za-z0-9._-]+", "-"));
    }
}
