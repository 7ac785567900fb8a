package hybridlab.experiments.sweep;

import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.config.RunKeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which runs of a sweep this invocation trains: a shard, narrowed to the runs whose config has
 * the given values ({@code --only seed=0 --only train_fraction=0.1}), e.g. to compute the most
 * informative part of a sweep first. The report always covers every recorded run.
 */
public record Selection(Shard shard, Map<String, Object> only) {
    public static final Selection ALL = new Selection(Shard.ALL, Map.of());

    /** Parses {@code key=value} filters; values are converted by their keys' types. */
    public static Selection of(Shard shard, List<String> filters) {
        Map<String, Object> only = new LinkedHashMap<>();
        for (String f : filters) {
            RunConfig.Setting s = RunConfig.Setting.parse(f, "--only");
            only.put(s.key(), RunKeys.spec(s.key(), "--only").convert(s.value(), "--only"));
        }
        return new Selection(shard, Map.copyOf(only));
    }

    public boolean owns(SweepRun run) {
        if (!shard.owns(run.index())) {
            return false;
        }
        for (Map.Entry<String, Object> e : only.entrySet()) {
            if (!Objects.equals(run.config().get(e.getKey()), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return (shard.equals(Shard.ALL) ? "all runs" : "shard " + shard) + (only.isEmpty() ? "" : " with " + only);
    }
}
