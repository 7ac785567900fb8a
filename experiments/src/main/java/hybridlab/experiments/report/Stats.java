package hybridlab.experiments.report;

import java.util.Arrays;

/**
 * Mean, sample standard deviation (n - 1; 0 for a single value) and the 95% confidence interval
 * of the mean (Student t with n - 1 degrees of freedom; none for a single value) of {@code n}
 * values. Missing values (NaN, e.g. a field older records lack) are left out of n.
 */
public record Stats(int n, double mean, double std) {
    public static Stats of(double[] values) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).toArray();
        int n = v.length;
        if (n == 0) {
            return new Stats(0, Double.NaN, Double.NaN);
        }
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        double mean = sum / n, ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return new Stats(n, mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0);
    }

    /** Half the width of the 95% interval, t(0.975, n - 1) * std / sqrt(n); NaN below two values. */
    public double halfWidth95() {
        return n < 2 ? Double.NaN : StudentT.quantile(0.975, n - 1) * std / Math.sqrt(n);
    }

    public double low95() {
        return mean - halfWidth95();
    }

    public double high95() {
        return mean + halfWidth95();
    }
}
