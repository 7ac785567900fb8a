package hybridlab.nn;

import hybridlab.kernels.Slice;
import java.util.Arrays;

/**
 * A learnable parameter or a persistent buffer (batch-norm running statistics), declared by a
 * {@link Module} and placed in a {@link ParamStore}.
 */
public final class Param {
    /** Trainable with weight decay, trainable without (norms, biases, tables, tokens), or state. */
    public enum Kind { DECAY, NO_DECAY, STATE }

    private final int[] shape;
    private final Init init;
    private final Kind kind;
    Slice data;
    Slice grad;
    String name;

    Param(int[] shape, Init init, Kind kind) {
        this.shape = shape.clone();
        this.init = init;
        this.kind = kind;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return (int) Tensor.numel(shape);
    }

    public Init init() {
        return init;
    }

    public Kind kind() {
        return kind;
    }

    public boolean trainable() {
        return kind != Kind.STATE;
    }

    /** Dotted path in the module tree, e.g. {@code blocks.3.attn.qkv.weight}. */
    public String name() {
        return name;
    }

    public Slice data() {
        if (data == null) {
            throw new IllegalStateException("parameter " + name + " has no storage yet (build a ParamStore)");
        }
        return data;
    }

    public Slice grad() {
        return grad;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
