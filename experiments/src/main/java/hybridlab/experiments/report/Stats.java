package hybridlab.experiments.report;

/** Mean and sample standard deviation (n - 1; 0 for a single value) of {@code n} values. */
public record Stats(int n, double mean, double std) {
    public static Stats of(double[] values) {
        int n = values.length;
        if (n == 0) {
            return new Stats(0, Double.NaN, Double.NaN);
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / n, ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return new Stats(n, mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0);
    }
}
