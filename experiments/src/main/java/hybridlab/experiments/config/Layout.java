package hybridlab.experiments.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** A CoAtNet stage layout: the block type (C: MBConv, T: transformer) of stages S1..S4. */
public enum Layout {
    CCCC, CCCT, CCTT, CTTT;

    @JsonValue
    @Override
    public String toString() {
        return name();
    }
}
