package hybridlab.experiments.sweep;

import hybridlab.experiments.config.RunConfig;

/** One training run: a variant with one seed, at position {@code index} of the sweep's run order. */
public record SweepRun(int index, Variant variant, int seed, RunConfig config) {
    public String runId() {
        return config.runId();
    }
}
