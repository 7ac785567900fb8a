package hybridlab.experiments.sweep;

import hybridlab.experiments.config.ConfigException;
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
    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,6})\\s*/\\s*(\\d{1,6})\\s*");

    public static Shard parse(String text) {
        Matcher m = FORM.matcher(text);
        if (m.matches()) {
            int i = Integer.parseInt(m.group(1)), n = Integer.parseInt(m.group(2));
            if (n >= 1 && i >= 1 && i <= n) {
                return new Shard(i, n);
            }
        }
        throw ConfigException.at("--shard", null, "'" + text + "' is not i/n with 1 <= i <= n (e.g. 2/4: the second of four shards)");
    }

    public boolean owns(int runIndex) {
        return runIndex % count == index - 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
