package hybridlab.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void studentTQuantilesMatchTheTables() {
        // t(0.975, df) to 12 digits, from the exact distribution
        assertEquals(12.7062047361747, StudentT.quantile(0.975, 1), 1e-8);
        assertEquals(4.30265272974946, StudentT.quantile(0.975, 2), 1e-8);
        assertEquals(3.18244630528371, StudentT.quantile(0.975, 3), 1e-8);
        assertEquals(2.77644510519779, StudentT.quantile(0.975, 4), 1e-8);
        assertEquals(2.26215716279820, StudentT.quantile(0.975, 9), 1e-8);
        assertEquals(2.04227245630124, StudentT.quantile(0.975, 30), 1e-8);
        assertEquals(-StudentT.quantile(0.975, 5), StudentT.quantile(0.025, 5), 1e-9);
    }

    @Test
    void intervalOfThreeSeedsByHand() {
        Stats s = Stats.of(new double[] {0.80, 0.82, 0.87});
        double mean = (0.80 + 0.82 + 0.87) / 3;
        double sd = Math.sqrt(((0.80 - mean) * (0.80 - mean) + (0.82 - mean) * (0.82 - mean) + (0.87 - mean) * (0.87 - mean)) / 2);
        assertEquals(3, s.n());
        assertEquals(mean, s.mean(), 1e-15);
        assertEquals(sd, s.std(), 1e-15);
        assertEquals(4.30265272974946 * sd / Math.sqrt(3), s.halfWidth95(), 1e-9);
        assertEquals(mean - s.halfWidth95(), s.low95(), 0);
        assertEquals(mean + s.halfWidth95(), s.high95(), 0);
    }

    @Test
    void oneValueHasNoIntervalAndMissingValuesAreNotCounted() {
        Stats one = Stats.of(new double[] {0.8});
        assertEquals(0, one.std());
        assertTrue(Double.isNaN(one.halfWidth95()) && Double.isNaN(one.low95()));
        Stats partial = Stats.of(new double[] {0.8, Double.NaN, 0.9});
        assertEquals(2, partial.n());
        assertEquals(0.85, partial.mean(), 1e-15);
        assertEquals(12.7062047361747 * Math.sqrt(0.005) / Math.sqrt(2), partial.halfWidth95(), 1e-9);
        assertEquals(0, Stats.of(new double[] {Double.NaN}).n());
    }
}
