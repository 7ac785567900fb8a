package hybridlab.experiments.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where the channel axis of a 4-d NumPy image array is: found from the shape, last, or second. */
public enum ArrayLayout {
    AUTO, NHWC, NCHW;

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
