package hybridlab.experiments.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The one YAML reader of run configs and sweep files, and of {@code --set KEY=VALUE} values:
 * plain data only (maps, lists, strings, numbers, booleans, null), aliases expanded, duplicate
 * keys refused, and {@code .nan} / {@code .inf} read as the numbers they are (the keys' ranges
 * refuse them). Every error names the source, with line and column where there are some.
 */
public final class Yaml {
    private Yaml() {
    }

    /** At most this many aliases of lists or maps in one document. */
    static final int MAX_COLLECTION_ALIASES = 50;
    /** At most this many values (map entries, list items, scalars) once aliases are expanded. */
    static final int MAX_VALUES = 100_000;

    /** A YAML file whose top level is a map (an empty file is an empty map), or a config error naming the file. */
    public static Map<String, Object> readMap(Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new ConfigException(file + ": no such file");
        }
        Object doc;
        try (Reader in = java.nio.file.Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            doc = load(in, file.toString());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage());
        }
        if (doc == null) {
            return new LinkedHashMap<>();
        }
        if (!(doc instanceof Map<?, ?> m)) {
            throw new ConfigException(file + ": the top level must be a map of keys, not " + kind(doc));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    /** A value as written after {@code KEY=} on the command line, read as YAML ({@code where} names it). */
    public static Object value(String text, String where) {
        return load(new java.io.StringReader(text), where);
    }

    private static Object load(Reader in, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
        options.setAllowRecursiveKeys(false);
        Object doc;
        try {
            doc = new org.yaml.snakeyaml.Yaml(new SafeConstructor(options)).load(in);
        } catch (DuplicateKeyException e) {
            throw new ConfigException(at(source, e.getProblemMark()) + ": duplicate key: " + firstLine(e.getProblem())
                    + (e.getContextMark() == null ? "" : " (its map starts at line " + (e.getContextMark().getLine() + 1) + ")")
                    + "; a key may appear once in a map");
        } catch (MarkedYAMLException e) {
            throw new ConfigException(at(source, e.getProblemMark()) + ": YAML syntax error: " + firstLine(e.getProblem()));
        } catch (YAMLException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("aliases")) {
                throw new ConfigException(source + ": more than " + MAX_COLLECTION_ALIASES
                        + " aliases (*name) of lists or maps; write the values out");
            }
            throw new ConfigException(source + ": YAML error: " + firstLine(m));
        }
        count(doc, new int[] {MAX_VALUES}, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()), source);
        return doc;
    }

    /**
     * Refuses documents whose aliases expand them beyond {@link #MAX_VALUES} values, and recursive
     * ones (a list or map that holds itself, {@code a: &x [*x]}); {@code path} holds the lists and
     * maps from the top down to {@code node}.
     */
    private static void count(Object node, int[] budget, java.util.Set<Object> path, String source) {
        if (--budget[0] < 0) {
            throw new ConfigException(source + ": more than " + MAX_VALUES + " values once its aliases (*name) are expanded");
        }
        if (!(node instanceof Map<?, ?>) && !(node instanceof List<?>)) {
            return;
        }
        if (!path.add(node)) {
            throw new ConfigException(source + ": a recursive alias (*name inside the list or map it names); write the values out");
        }
        if (node instanceof Map<?, ?> m) {
            for (Object v : m.values()) {
                count(v, budget, path, source);
            }
        } else {
            for (Object o : (List<?>) node) {
                count(o, budget, path, source);
            }
        }
        path.remove(node);
    }

    private static String at(String source, Mark m) {
        return m == null ? source : source + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    static String kind(Object o) {
        return o instanceof List ? "a list" : o instanceof Map ? "a map" : "a single value ('" + o + "')";
    }
}
