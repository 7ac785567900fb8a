package hybridlab.experiments.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.sweep.Shard;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --shard auto}: a Slurm array task's shard from the variables Slurm sets in it. */
class ShardAutoTest {
    /** The variables of task {@code id} of {@code --array=min-max:step}. */
    private static Map<String, String> task(int id, int min, int max, int step) {
        Map<String, String> env = new HashMap<>(Map.of("SLURM_ARRAY_TASK_ID", "" + id, "SLURM_ARRAY_TASK_MIN", "" + min,
                "SLURM_ARRAY_TASK_MAX", "" + max, "SLURM_ARRAY_TASK_COUNT", "" + ((max - min) / step + 1)));
        if (step != 1) {
            env.put("SLURM_ARRAY_TASK_STEP", "" + step);
        }
        return env;
    }

    @Test
    void theTasksOfAnArrayAreItsShardsWhereverItsIndicesStart() {
        for (int[] range : new int[][] {{1, 4, 1}, {0, 3, 1}, {10, 13, 1}, {0, 6, 2}}) {
            List<Shard> shards = new ArrayList<>();
            for (int id = range[0]; id <= range[1]; id += range[2]) {
                shards.add(Shard.parse("auto", task(id, range[0], range[1], range[2])));
            }
            assertEquals(List.of(new Shard(1, 4), new Shard(2, 4), new Shard(3, 4), new Shard(4, 4)), shards, "--array=" + range[0] + "-"
                    + range[1] + ":" + range[2]);
        }
    }

    @Test
    void outsideAnArrayOrInAListOfIndicesAutoIsAnErrorThatSaysWhy() {
        ConfigException e = assertThrows(ConfigException.class, () -> Shard.parse("auto", Map.of()));
        assertTrue(e.getMessage().startsWith("--shard: auto: SLURM_ARRAY_TASK_ID is not set: this is no task of a Slurm job array"), e.getMessage());
        // --array=1,2,7: three tasks, but no range
        Map<String, String> list = Map.of("SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_MAX", "7",
                "SLURM_ARRAY_TASK_COUNT", "3", "SLURM_ARRAY_TASK_STEP", "1");
        e = assertThrows(ConfigException.class, () -> Shard.parse("auto", list));
        assertTrue(e.getMessage().contains("is not in a range of indices min-max[:step]"), e.getMessage());
        Map<String, String> garbled = new HashMap<>(task(2, 1, 3, 1));
        garbled.put("SLURM_ARRAY_TASK_COUNT", "three");
        e = assertThrows(ConfigException.class, () -> Shard.parse("auto", garbled));
        assertEquals("--shard: auto: SLURM_ARRAY_TASK_COUNT='three' is not an integer", e.getMessage());
        Map<String, String> noCount = new HashMap<>(task(2, 1, 3, 1));
        noCount.remove("SLURM_ARRAY_TASK_COUNT");
        e = assertThrows(ConfigException.class, () -> Shard.parse("auto", noCount));
        assertTrue(e.getMessage().startsWith("--shard: auto: SLURM_ARRAY_TASK_COUNT is not set"), e.getMessage());
        assertEquals(new Shard(2, 3), Shard.parse(" 2/3 ", Map.of()), "i/n ignores the environment");
    }
}
