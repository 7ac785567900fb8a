package hybridlab.nn.optim;

/**
 * Learning rate with linear warm-up from 0 over {@code warmupSteps}, then a cosine decay to
 * {@code minLr} at {@code totalSteps}.
 */
public record CosineSchedule(float peakLr, long warmupSteps, long totalSteps, float minLr) {
    public CosineSchedule {
        if (!(peakLr > 0) || warmupSteps < 0 || totalSteps < 1 || warmupSteps > totalSteps || minLr < 0
                || minLr > peakLr) {
            throw new IllegalArgumentException("bad schedule: peak lr " + peakLr + ", min lr " + minLr + ", warm-up "
                    + warmupSteps + " of " + totalSteps + " steps");
        }
    }

    /** Rate for 0-based step {@code step}. */
    public float at(long step) {
        if (step < warmupSteps) {
            return peakLr * (step + 1) / warmupSteps;
        }
        long span = Math.max(1, totalSteps - warmupSteps);
        double t = Math.min(1.0, (double) (step - warmupSteps) / span);
        return (float) (minLr + 0.5 * (peakLr - minLr) * (1 + Math.cos(Math.PI * t)));
    }
}
