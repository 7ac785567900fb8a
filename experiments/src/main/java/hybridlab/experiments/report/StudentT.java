package hybridlab.experiments.report;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.random.RandomGenerator;

/** Quantiles of Student's t distribution, for confidence intervals over a few seeds. */
final class StudentT {
    private StudentT() {
    }

    /** The {@code p} quantile with {@code df} degrees of freedom (df >= 1). */
    static double quantile(double p, int df) {
        if (df < 1) {
            throw new IllegalArgumentException("Student t needs at least 1 degree of freedom, not " + df);
        }
        // no random generator: only the quantile function is used
        return new TDistribution((RandomGenerator) null, df, TDistribution.DEFAULT_INVERSE_ABSOLUTE_ACCURACY).inverseCumulativeProbability(p);
    }
}
