package hybridlab.experiments.sweep;

import hybridlab.experiments.config.RunConfig;
import java.util.List;
import java.util.Map;

/**
 * One point of the sweep before seeds: a run config (with the first seed), the keys that the
 * point, the grid and the backend entry set ({@code origin}, for messages), its coordinates
 * (display values of the report's row and column keys) and the ids of its runs, one per seed.
 */
public record Variant(int index, RunConfig config, String origin, Map<String, String> coordinates, List<String> runIds) {
}
