package hybridlab.experiments.report.figure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A value axis: its range, linear or logarithmic, and the ticks it labels. */
public record Axis(double min, double max, boolean log, List<Double> ticks, List<String> labels) {

    /**
     * A linear axis over [lo, hi] with 4% of room at each end that is not 0 (bars start at 0),
     * ticks at the multiples of 1, 2 or 5 times a power of ten inside it, three to seven of them.
     */
    public static Axis linear(double lo, double hi) {
        if (!(hi > lo)) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.05;
            lo -= pad;
            hi += pad;
        }
        double room = (hi - lo) * 0.04;
        double min = lo == 0 ? 0 : lo - room, max = hi == 0 ? 0 : hi + room;
        double raw = (max - min) / 4, mag = Math.pow(10, Math.floor(Math.log10(raw))), m = raw / mag;
        double step = (m < 1.5 ? 1 : m < 3 ? 2 : m < 7 ? 5 : 10) * mag;
        long first = (long) Math.ceil(min / step - 1e-9), last = (long) Math.floor(max / step + 1e-9);
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        List<Double> ticks = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (long k = first; k <= last; k++) {
            ticks.add(k * step);
            labels.add(number(k * step, decimals));
        }
        return new Axis(min, max, false, List.copyOf(ticks), List.copyOf(labels));
    }

    /** A log axis over [lo, hi] (both > 0) with a little room at both ends; ticks at 1, 2 and 5 per decade when there are few decades. */
    public static Axis log(double lo, double hi) {
        if (!(lo > 0)) {
            throw new IllegalArgumentException("a log axis needs positive values, not " + lo);
        }
        double min = lo / 1.3, max = Math.max(hi, lo) * 1.3;
        int d0 = (int) Math.floor(Math.log10(min)), d1 = (int) Math.ceil(Math.log10(max));
        int[] mantissas = d1 - d0 <= 3 ? new int[] {1, 2, 5} : new int[] {1};
        List<Double> ticks = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int d = d0; d <= d1; d++) {
            for (int m : mantissas) {
                double v = m * Math.pow(10, d);
                if (v >= min && v <= max) {
                    ticks.add(v);
                    labels.add(compact(v));
                }
            }
        }
        return new Axis(min, max, true, List.copyOf(ticks), List.copyOf(labels));
    }

    /** Where {@code v} falls between the screen positions {@code from} (at min) and {@code to} (at max). */
    public double position(double v, double from, double to) {
        double t = log ? (Math.log(v) - Math.log(min)) / (Math.log(max) - Math.log(min)) : (v - min) / (max - min);
        return from + t * (to - from);
    }

    /** 600, 1k, 20k, 1.5M: counts the way a plot labels them. */
    static String compact(double v) {
        if (v >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (v >= 1e3) {
            return trim(v / 1e3) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        return s.replaceFirst("\\.?0+$", "");
    }

    private static String number(double v, int decimals) {
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        return s.matches("-0\\.?0*") ? s.substring(1) : s;
    }
}
