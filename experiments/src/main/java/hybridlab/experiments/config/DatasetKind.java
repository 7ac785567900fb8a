package hybridlab.experiments.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a run's images come from. */
public enum DatasetKind {
    FASHION_MNIST("fashion-mnist"), SYNTHETIC("synthetic");

    private final String key;

    DatasetKind(String key) {
        this.key = key;
    }

    @JsonValue
    @Override
    public String toString() {
        return key;
    }
}
