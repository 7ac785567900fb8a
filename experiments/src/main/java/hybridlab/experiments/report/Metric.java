package hybridlab.experiments.report;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.DidYouMean;
import hybridlab.experiments.train.RunRecord;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A number the report averages over seeds: where it comes from in a finished run's record and
 * how it is printed. Timing metrics vary from run to run and are reported apart from the others.
 */
public enum Metric {
    TEST_ACC("test_acc", "Test accuracy (%)", Unit.PERCENT, r -> r.result().testAcc()),
    BEST_TEST_ACC("best_test_acc", "Best test accuracy over epochs (%)", Unit.PERCENT, r -> r.result().bestTestAcc()),
    TRAIN_ACC("train_acc", "Training accuracy, eval mode (%)", Unit.PERCENT, r -> r.result().trainAcc()),
    GAP_ACC("gap_acc", "Generalization gap: train - test accuracy (points)", Unit.PERCENT, r -> r.result().gapAcc()),
    TRAIN_LOSS("train_loss", "Training loss, eval mode", Unit.LOSS, r -> r.result().trainLoss()),
    TEST_LOSS("test_loss", "Test loss", Unit.LOSS, r -> r.result().testLoss()),
    GAP_LOSS("gap_loss", "Loss gap: train - test loss", Unit.LOSS, r -> r.result().gapLoss()),
    BEST_VAL_ACC("best_val_acc", "Best validation accuracy over epochs (%)", Unit.PERCENT, r -> orNaN(r.result().bestValAcc())),
    TEST_ACC_AT_BEST_VAL("test_acc_at_best_val", "Test accuracy at the best validation epoch (%)", Unit.PERCENT,
            r -> orNaN(r.result().testAccAtBestVal())),
    PARAMS("params", "Parameters (M)", Unit.MILLIONS, r -> r.model().params()),
    FLOPS("flops", "Forward FLOPs per image (M)", Unit.MILLIONS, r -> r.model().flops()),
    TRAIN_IMG_S("train_img_s", "Training images/s", Unit.RATE, r -> r.throughput().trainImgS()),
    INFER_IMG_S("infer_img_s", "Inference images/s", Unit.RATE, r -> r.throughput().inferImgS());

    /** What a sweep's report shows when its file names no metrics. */
    public static final List<Metric> DEFAULTS = List.of(TEST_ACC, TRAIN_ACC, GAP_ACC, TRAIN_LOSS, TEST_LOSS, PARAMS, FLOPS);

    /** How a value is scaled and rounded for tables. */
    enum Unit {
        PERCENT(100, 2), LOSS(1, 4), MILLIONS(1e-6, 3), RATE(1, 1);

        final double scale;
        final int decimals;

        Unit(double scale, int decimals) {
            this.scale = scale;
            this.decimals = decimals;
        }
    }

    private final String key;
    private final String title;
    private final Unit unit;
    private final ToDoubleFunction<RunRecord> value;

    Metric(String key, String title, Unit unit, ToDoubleFunction<RunRecord> value) {
        this.key = key;
        this.title = title;
        this.unit = unit;
        this.value = value;
    }

    @JsonValue
    public String key() {
        return key;
    }

    public String title() {
        return title;
    }

    /** Throughput: measured, so it differs between two runs of the same config. */
    public boolean timing() {
        return unit == Unit.RATE;
    }

    /** Varies with the seed: parameters and FLOPs do not, throughput is measured. */
    public boolean dependsOnSeed() {
        return unit == Unit.PERCENT || unit == Unit.LOSS;
    }

    /** The raw value of a finished run (accuracies as fractions, counts as counts); NaN where the record lacks it. */
    public double of(RunRecord finished) {
        return value.applyAsDouble(finished);
    }

    /** {@code v} in table units, with a fixed number of decimals and no locale. */
    public String format(double v) {
        String s = String.format(Locale.ROOT, "%." + unit.decimals + "f", v * unit.scale);
        return s.matches("-0\\.?0*") ? s.substring(1) : s;
    }

    public static List<Metric> deterministic() {
        return Arrays.stream(values()).filter(m -> !m.timing()).toList();
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }

    @JsonCreator
    public static Metric of(String key) {
        return parse(key, null);
    }

    /** The metric named {@code key}, or a config error at {@code where} listing the known ones. */
    public static Metric parse(String key, String where) {
        List<String> known = deterministic().stream().map(Metric::key).toList();
        for (Metric m : values()) {
            if (m.key.equals(key)) {
                if (m.timing()) {
                    throw ConfigException.at(where, key, "throughput is measured, not deterministic, so it is always "
                            + "reported per device in the report's Throughput section; metrics can be " + String.join(", ", known));
                }
                return m;
            }
        }
        throw ConfigException.at(where, key, "unknown metric" + DidYouMean.suggest(key, known) + "; known: " + String.join(", ", known));
    }
}
