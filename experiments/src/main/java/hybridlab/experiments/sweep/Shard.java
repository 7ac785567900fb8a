package hybridlab.experiments.sweep;

import hybridlab.experiments.config.ConfigException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shard {@code index} of {@code count} (1-based, written {@code i/n}): the runs whose position
 * in the sweep's run order, counted from 0, leaves remainder {@code i - 1} when divided by
 * {@code n}. The shards of one sweep are disjoint and together hold every run, whichever
 * machine computes them.
 */
public record Shard(int index, int count) {
    public static final Shard ALL = new Shard(1, 1);
    /** {@code --shard auto}: the shard of this Slurm job array task. */
    public static final String AUTO = "auto";
    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,6})\\s*/\\s*(\\d{1,6})\\s*");
    private static final String ID = "SLURM_ARRAY_TASK_ID", COUNT = "SLURM_ARRAY_TASK_COUNT", MIN = "SLURM_ARRAY_TASK_MIN",
            MAX = "SLURM_ARRAY_TASK_MAX", STEP = "SLURM_ARRAY_TASK_STEP";

    /** {@code i/n}, or {@code auto} read from this process's environment (see {@link #ofSlurmArray}). */
    public static Shard parse(String text) {
        return parse(text, System.getenv());
    }

    public static Shard parse(String text, Map<String, String> env) {
        if (text.strip().equals(AUTO)) {
            return ofSlurmArray(env);
        }
        Matcher m = FORM.matcher(text);
        if (m.matches()) {
            int i = Integer.parseInt(m.group(1)), n = Integer.parseInt(m.group(2));
            if (n >= 1 && i >= 1 && i <= n) {
                return new Shard(i, n);
            }
        }
        throw ConfigException.at("--shard", null, "'" + text + "' is not i/n with 1 <= i <= n (e.g. 2/4: the second of four shards)"
                + " or auto (in a Slurm job array task)");
    }

    /**
     * The shard of a Slurm job array task: its place among the array's tasks, so that an array
     * of {@code n} tasks covers the sweep whether its indices start at 0 or 1 ({@code --array=0-3},
     * {@code 1-4}, {@code 0-6:2}). A requeued task keeps its index and so its shard.
     */
    public static Shard ofSlurmArray(Map<String, String> env) {
        if (env.get(ID) == null) {
            throw ConfigException.at("--shard", AUTO, ID + " is not set: this is no task of a Slurm job array (sbatch --array);"
                    + " outside one give the shard as i/n");
        }
        int id = slurmInt(env, ID), count = slurmInt(env, COUNT), min = slurmInt(env, MIN);
        int step = env.containsKey(STEP) ? slurmInt(env, STEP) : 1;
        Integer max = env.containsKey(MAX) ? slurmInt(env, MAX) : null;
        int offset = id - min;
        boolean range = count >= 1 && step >= 1 && offset >= 0 && offset % step == 0 && offset / step < count
                && (max == null || max == min + (count - 1) * step);
        if (!range) {
            throw ConfigException.at("--shard", AUTO, "task " + ID + "=" + id + " of an array with " + COUNT + "=" + count + ", " + MIN + "="
                    + min + (max == null ? "" : ", " + MAX + "=" + max) + ", " + STEP + "=" + step
                    + " is not in a range of indices min-max[:step]; submit the array as --array=1-N (as 'experiments slurm' does)");
        }
        return new Shard(offset / step + 1, count);
    }

    private static int slurmInt(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null) {
            throw ConfigException.at("--shard", AUTO, name + " is not set (Slurm sets it in every task of a job array)");
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw ConfigException.at("--shard", AUTO, name + "='" + v + "' is not an integer");
        }
    }

    public boolean owns(int runIndex) {
        return runIndex % count == index - 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
