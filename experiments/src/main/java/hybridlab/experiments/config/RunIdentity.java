package hybridlab.experiments.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a run computes: its model preset, its seed, and every other key that changes its numbers,
 * in canonical text. A key is left out when it is at its default, when it never changes results
 * ({@code threads}, {@code data_dir}), when it does not apply to the run's dataset, or, for a
 * model knob, when the model is the same without it (a knob at the preset's value, fusion on a
 * CoAtNet without attention). So configs that compute the same thing share one identity and one
 * run id, and a key added later, at its default, leaves every existing id as it is.
 *
 * @param keys the keys that matter, by name, with their values as {@link Display} writes them
 */
public record RunIdentity(String model, int seed, SortedMap<String, String> keys) {

    public static RunIdentity of(RunConfig c) {
        List<String> knobs = effectiveKnobs(c);
        SortedMap<String, String> keys = new TreeMap<>();
        for (KeySpec k : RunKeys.all()) {
            String name = k.name();
            if (name.equals("model") || name.equals("seed") || !k.identifies(c.data().dataset())) {
                continue;
            }
            Object v = RunKeys.value(c, k);
            if (Objects.equals(v, k.defaultValue()) || isKnob(k) && !knobs.contains(name)) {
                continue;
            }
            keys.put(name, Display.of(v));
        }
        return new RunIdentity(c.model().name(), c.seed(), keys);
    }

    private static boolean isKnob(KeySpec k) {
        return k.group() != null && k.group().getType() == ModelSpec.class && !k.name().equals("model");
    }

    /** The knobs whose removal changes the (canonical) model config. */
    private static List<String> effectiveKnobs(RunConfig c) {
        Object withAll = c.model().configured(null).canonical();
        return c.model().knobs().setNames().stream()
                .filter(knob -> !c.with(knob, null, null).model().configured(null).canonical().equals(withAll))
                .toList();
    }

    /** One line per part: {@code model=...}, {@code seed=...}, then the keys in name order. */
    public String text() {
        StringBuilder sb = new StringBuilder("model=").append(model).append("\nseed=").append(seed).append('\n');
        keys.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    public String runId() {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text().getBytes(StandardCharsets.UTF_8));
            return model + "-s" + seed + "-" + HexFormat.of().formatHex(h, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The keys as a map, for records and messages. */
    public Map<String, String> asMap() {
        return new LinkedHashMap<>(keys);
    }
}
