package hybridlab.experiments.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How often a run saves its whole training state: every {@code count} epochs or steps, or every
 * {@code time} of wall-clock time. Written {@code 1} or {@code 2 epochs}, {@code 500 steps},
 * {@code 30s}, {@code 10m} / {@code 10 min}, {@code 1h}.
 */
public record CheckpointEvery(Unit unit, long count) {
    public enum Unit { EPOCHS, STEPS, SECONDS }

    private static final Pattern FORM = Pattern.compile(
            "(\\d{1,9})\\s*(|epochs?|steps?|s|sec|seconds?|m|min|minutes?|h|hours?)");

    public CheckpointEvery {
        if (count < 1) {
            throw new IllegalArgumentException("not positive");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static CheckpointEvery of(Object raw) {
        if (raw instanceof Integer || raw instanceof Long) {
            return new CheckpointEvery(Unit.EPOCHS, ((Number) raw).longValue());
        }
        Matcher m = FORM.matcher(String.valueOf(raw).trim().toLowerCase(Locale.ROOT));
        if (!(raw instanceof String) || !m.matches()) {
            throw new IllegalArgumentException("not an interval");
        }
        long n = Long.parseLong(m.group(1));
        String u = m.group(2);
        if (u.isEmpty() || u.startsWith("e")) {
            return new CheckpointEvery(Unit.EPOCHS, n);
        }
        if (u.startsWith("st")) {
            return new CheckpointEvery(Unit.STEPS, n);
        }
        long seconds = u.startsWith("h") ? 3600 : u.startsWith("m") ? 60 : 1;
        return new CheckpointEvery(Unit.SECONDS, n * seconds);
    }

    /** Whether a checkpoint is due after {@code steps} steps of the run, {@code epochEnded} telling if the last ended an epoch. */
    public boolean due(long steps, int epochsDone, boolean epochEnded, Duration sinceLast) {
        return switch (unit) {
            case EPOCHS -> epochEnded && epochsDone % count == 0;
            case STEPS -> steps % count == 0;
            case SECONDS -> sinceLast.toSeconds() >= count;
        };
    }

    @JsonValue
    @Override
    public String toString() {
        return switch (unit) {
            case EPOCHS -> count + (count == 1 ? " epoch" : " epochs");
            case STEPS -> count + " steps";
            case SECONDS -> count % 3600 == 0 ? count / 3600 + "h" : count % 60 == 0 ? count / 60 + "m" : count + "s";
        };
    }
}
