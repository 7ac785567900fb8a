package hybridlab.experiments.train;

import com.fasterxml.jackson.databind.JsonNode;
import hybridlab.experiments.config.Files;
import java.util.Iterator;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Compares the reproducible part of two run records: status, per-epoch metrics, final metrics,
 * divergence and model summary; throughput, timing and the machine are measured and left out.
 * Both come from record objects, so numbers are compared as the doubles they are: bit for bit.
 */
public final class RecordDiff {
    private RecordDiff() {
    }

    /** The first field where {@code b} differs from {@code a} ({@code epochs[1].test_loss: 0.41 vs 0.42}), or empty. */
    public static Optional<String> firstDifference(RunRecord a, RunRecord b) {
        JsonNode x = Files.JSON.valueToTree(a), y = Files.JSON.valueToTree(b);
        for (String field : new String[] {"status", "epochs", "final", "divergence", "model"}) {
            Optional<String> d = diff(field, x.get(field), y.get(field));
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    private static final java.util.regex.Pattern VECTOR = java.util.regex.Pattern.compile("Vector API (\\d+)-bit");

    /**
     * Why two records of one run may differ without a bug: the JVM backend's float sums follow
     * the machine's SIMD width (its device description names it), so records made with 512-bit
     * vectors and ones made with 256-bit vectors agree to float rounding, not bit for bit.
     * Empty when the two ran on the same backend with the same vector width.
     */
    public static Optional<String> machineDifference(RunRecord a, RunRecord b) {
        if (a.env() == null || b.env() == null) {
            return Optional.empty();
        }
        if (!a.env().backend().equals(b.env().backend())) {
            return Optional.of("backend " + a.env().backend() + " vs " + b.env().backend());
        }
        String x = width(a.env().deviceDescription()), y = width(b.env().deviceDescription());
        return x.equals(y) ? Optional.empty() : Optional.of("the record was made with " + x + " vectors, this machine has " + y
                + " (the JVM backend's float sums follow the vector width)");
    }

    private static String width(String description) {
        java.util.regex.Matcher m = VECTOR.matcher(description == null ? "" : description);
        return m.find() ? m.group(1) + "-bit" : "unknown-width";
    }

    private static Optional<String> diff(String path, JsonNode a, JsonNode b) {
        if (a == null || b == null || a.isNull() || b.isNull()) {
            boolean bothAbsent = (a == null || a.isNull()) && (b == null || b.isNull());
            return bothAbsent ? Optional.empty() : Optional.of(path + ": " + show(a) + " vs " + show(b));
        }
        if (a.isObject() && b.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (Iterator<String> it = ordered(a, names); it.hasNext(); ) {
                String n = it.next();
                Optional<String> d = diff(path + "." + n, a.get(n), b.get(n));
                if (d.isPresent()) {
                    return d;
                }
            }
            return Optional.empty();
        }
        if (a.isArray() && b.isArray()) {
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                Optional<String> d = diff(path + "[" + i + "]", a.get(i), b.get(i));
                if (d.isPresent()) {
                    return d;
                }
            }
            return Optional.empty();
        }
        return a.equals(b) ? Optional.empty() : Optional.of(path + ": " + show(a) + " vs " + show(b));
    }

    /** The fields of {@code a} in its own order, then those only {@code b} has. */
    private static Iterator<String> ordered(JsonNode a, TreeSet<String> all) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        a.fieldNames().forEachRemaining(out::add);
        out.addAll(all);
        return out.iterator();
    }

    private static String show(JsonNode n) {
        return n == null || n.isNull() ? "absent" : n.toString();
    }
}
