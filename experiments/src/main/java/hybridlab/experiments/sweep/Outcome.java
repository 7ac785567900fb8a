package hybridlab.experiments.sweep;

import java.util.List;

/**
 * What one {@code run} invocation did: runs trained, skipped (already recorded), recorded by
 * another process sharing the output folder while this one waited, diverged, and one line per
 * run that failed.
 */
public record Outcome(int trained, int skipped, int elsewhere, int diverged, List<String> failed) {
}
