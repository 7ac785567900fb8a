package hybridlab.experiments.sweep;

import hybridlab.experiments.config.ConfigException;
import java.util.function.Supplier;

/**
 * Puts a location in front of config errors raised without one, so a message from a run key's
 * check reads {@code quick.yaml: axes.fusion: 'middle' is not one of pre, post, none}.
 */
final class Located {
    private Located() {
    }

    /** Runs {@code check}; a config error it throws gets {@code location} (e.g. {@code "quick.yaml: axes."}) in front. */
    static <T> T at(String location, Supplier<T> check) {
        try {
            return check.get();
        } catch (ConfigException e) {
            throw new ConfigException(location + e.getMessage());
        }
    }
}
