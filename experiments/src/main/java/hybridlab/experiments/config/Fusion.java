package hybridlab.experiments.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where CoAtNet's relative-position bias enters the attention: before or after the softmax, or not at all. */
public enum Fusion {
    PRE, POST, NONE;

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
