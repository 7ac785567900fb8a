package hybridlab.experiments.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** How an image of a folder becomes a square of the set size: its central square scaled, or all of it (aspect not kept). */
public enum ImageFit {
    CENTER_CROP("center-crop"), RESIZE("resize");

    private final String key;

    ImageFit(String key) {
        this.key = key;
    }

    @JsonValue
    @Override
    public String toString() {
        return key;
    }
}
