package hybridlab.experiments.sweep;

import java.util.List;

/** What one {@code run} invocation did: runs trained, skipped (already recorded), diverged, and one line per run that failed. */
public record Outcome(int trained, int skipped, int diverged, List<String> failed) {
}
