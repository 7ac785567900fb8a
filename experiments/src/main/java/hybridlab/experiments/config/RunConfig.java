package hybridlab.experiments.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run's configuration: every key of {@link #KEYS} with a value of the key's type (null for
 * an unset optional knob). Built from defaults plus YAML maps and {@code --set key=value}
 * overrides, each checked as it comes in.
 */
public final class RunConfig {
    public static final List<Key> KEYS = List.of(
            Key.string("model", "coatnet-nano-CCCC", "model preset (experiments info --list)"),
            Key.choice("layout", null, List.of("CCCC", "CCCT", "CCTT", "CTTT"), "CoAtNet stage layout (overrides the preset's)"),
            Key.choice("fusion", null, List.of("pre", "post", "none"), "CoAtNet relative-bias fusion"),
            Key.real("drop_path", -1, -1, 0.95, "stochastic-depth rate of the last block (-1: the preset's)"),
            Key.windows("crpe_windows", "CoaT CRPE window -> heads map, e.g. {3: 1, 5: 2, 7: 1}, or off"),
            Key.bool("cpe", null, "CoaT convolutional position encoding on/off (unset: the preset's)"),
            Key.integer("parallel_depth", -1, -1, 64, "CoaT parallel blocks (-1: the preset's, 0: CoaT-Lite)"),
            Key.intList("prm_dilations", "ViTAE dilations of the first reduction cell, e.g. [1, 2, 3]"),
            Key.bool("pcm", null, "ViTAE parallel convolutional modules on/off (unset: the preset's)"),
            Key.integer("epochs", 2, 1, 100000, "training epochs"),
            Key.integer("batch", 128, 1, 1 << 16, "training batch size"),
            Key.integer("eval_batch", 500, 1, 1 << 16, "evaluation batch size"),
            Key.real("lr", 2e-3, 1e-8, 1e4, "peak learning rate (AdamW)"),
            Key.real("min_lr", 0, 0, 10, "learning rate at the end of the cosine schedule"),
            Key.real("warmup", 0.05, 0, 1, "fraction of all steps spent in linear warm-up"),
            Key.real("weight_decay", 0.05, 0, 10, "AdamW decoupled weight decay (weights only)"),
            Key.real("label_smoothing", 0, 0, 0.99, "label smoothing of the cross-entropy"),
            Key.real("clip_norm", 0, 0, 1e9, "global gradient-norm clip (0: off)"),
            Key.real("train_fraction", 1.0, 1e-9, 1.0, "stratified fraction of the training set, in (0, 1]"),
            Key.integer("seed", 0, 0, 1 << 24, "run seed (initialisation, subset, shuffles, dropout)"),
            Key.choice("dataset", "fashion-mnist", List.of("fashion-mnist", "synthetic"), "training data"),
            Key.integer("synthetic_train", 2000, 10, 1 << 20, "images in the synthetic training set"),
            Key.integer("synthetic_test", 500, 10, 1 << 20, "images in the synthetic test set"),
            Key.integer("crop_pad", 0, 0, 16, "random-crop augmentation padding in pixels (0: off)"),
            Key.bool("hflip", false, "random horizontal flip augmentation"),
            Key.string("backend", "jvm", "compute backend (experiments devices)"),
            Key.string("device", "", "backend device id, e.g. tornado:0:0 (empty: the default)"),
            Key.integer("threads", 0, 0, 4096, "host threads (0: all cores); never changes results"),
            Key.string("data_dir", "", "Fashion-MNIST directory (empty: $HYBRIDLAB_DATA or the Debian package)"));

    /** Keys that do not change a run's numbers, so they are not part of its identity. */
    static final Set<String> EXECUTION_ONLY = Set.of("threads", "data_dir", "eval_batch");

    private static final Map<String, Key> BY_NAME = new LinkedHashMap<>();

    static {
        for (Key k : KEYS) {
            if (BY_NAME.put(k.name(), k) != null) {
                throw new IllegalStateException("duplicate key " + k.name());
            }
        }
    }

    private final Map<String, Object> values;

    private RunConfig(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static RunConfig defaults() {
        Map<String, Object> v = new LinkedHashMap<>();
        for (Key k : KEYS) {
            v.put(k.name(), k.defaultValue());
        }
        return new RunConfig(v);
    }

    public static Key key(String name, String where) {
        Key k = BY_NAME.get(name);
        if (k == null) {
            throw ConfigException.at(where, name, "unknown key" + DidYouMean.suggest(name, BY_NAME.keySet())
                    + "; known keys: " + String.join(", ", BY_NAME.keySet()));
        }
        return k;
    }

    /** This config with {@code name} set from a raw value; {@code where} names the source for errors. */
    public RunConfig with(String name, Object raw, String where) {
        Key k = key(name, where);
        Map<String, Object> v = new LinkedHashMap<>(values);
        v.put(name, k.convert(raw, where));
        return new RunConfig(v);
    }

    /** This config with every entry of {@code raw} applied. */
    public RunConfig withAll(Map<String, ?> raw, String where) {
        RunConfig c = this;
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            c = c.with(e.getKey(), e.getValue(), where);
        }
        return c;
    }

    /** Applies {@code key=value} strings from the command line. */
    public RunConfig withOverrides(List<String> sets) {
        RunConfig c = this;
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw ConfigException.at("--set", null, "'" + s + "' is not key=value");
            }
            c = c.with(s.substring(0, eq).trim(), s.substring(eq + 1).trim(), "--set");
        }
        return c;
    }

    public Object get(String name) {
        key(name, null);
        return values.get(name);
    }

    /** Every key and value, in schema order. */
    public Map<String, Object> asMap() {
        return values;
    }

    /** The values that define the run's numbers (without execution-only keys). */
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (!EXECUTION_ONLY.contains(k)) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** A stable id from {@link #identity()}: readable prefix plus a content hash. */
    public String runId() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] h = md.digest(identity().toString().getBytes(StandardCharsets.UTF_8));
            return model() + "-s" + seed() + "-" + HexFormat.of().formatHex(h, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String model() {
        return (String) values.get("model");
    }

    public String layout() {
        return (String) values.get("layout");
    }

    public String fusion() {
        return (String) values.get("fusion");
    }

    public Float dropPath() {
        double d = (Double) values.get("drop_path");
        return d < 0 ? null : (float) d;
    }

    @SuppressWarnings("unchecked")
    public java.util.Map<Integer, Integer> crpeWindows() {
        return (java.util.Map<Integer, Integer>) values.get("crpe_windows");
    }

    public Boolean cpe() {
        return (Boolean) values.get("cpe");
    }

    public Integer parallelDepth() {
        int d = (Integer) values.get("parallel_depth");
        return d < 0 ? null : d;
    }

    @SuppressWarnings("unchecked")
    public List<Integer> prmDilations() {
        return (List<Integer>) values.get("prm_dilations");
    }

    public Boolean pcm() {
        return (Boolean) values.get("pcm");
    }

    public int epochs() {
        return (Integer) values.get("epochs");
    }

    public int batch() {
        return (Integer) values.get("batch");
    }

    public int evalBatch() {
        return (Integer) values.get("eval_batch");
    }

    public float lr() {
        return ((Double) values.get("lr")).floatValue();
    }

    public float minLr() {
        return ((Double) values.get("min_lr")).floatValue();
    }

    public double warmup() {
        return (Double) values.get("warmup");
    }

    public float weightDecay() {
        return ((Double) values.get("weight_decay")).floatValue();
    }

    public float labelSmoothing() {
        return ((Double) values.get("label_smoothing")).floatValue();
    }

    public float clipNorm() {
        return ((Double) values.get("clip_norm")).floatValue();
    }

    public double trainFraction() {
        return (Double) values.get("train_fraction");
    }

    public int seed() {
        return (Integer) values.get("seed");
    }

    public String dataset() {
        return (String) values.get("dataset");
    }

    public int syntheticTrain() {
        return (Integer) values.get("synthetic_train");
    }

    public int syntheticTest() {
        return (Integer) values.get("synthetic_test");
    }

    public int cropPad() {
        return (Integer) values.get("crop_pad");
    }

    public boolean hflip() {
        return (Boolean) values.get("hflip");
    }

    public String backend() {
        return (String) values.get("backend");
    }

    public String device() {
        return (String) values.get("device");
    }

    public int threads() {
        int t = (Integer) values.get("threads");
        return t > 0 ? t : Runtime.getRuntime().availableProcessors();
    }

    public String dataDir() {
        return (String) values.get("data_dir");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunConfig r && r.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
