package hybridlab.nn;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A node of the model tree: named parameters and named children, registered in construction
 * order. Full parameter names follow PyTorch's {@code state_dict} convention (own parameters
 * first, then children), so weights can be exchanged through safetensors.
 */
public abstract class Module {
    private final Map<String, Param> params = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();

    protected final Param param(String name, Init init, boolean decay, int... shape) {
        return register(name, new Param(shape, init, decay ? Param.Kind.DECAY : Param.Kind.NO_DECAY));
    }

    /** A persistent non-trainable buffer, such as a running mean. */
    protected final Param state(String name, float value, int... shape) {
        return state(name, new Init.Constant(value), shape);
    }

    /** A persistent non-trainable buffer with its own initialiser (e.g. a fixed position encoding). */
    protected final Param state(String name, Init init, int... shape) {
        return register(name, new Param(shape, init, Param.Kind.STATE));
    }

    private Param register(String name, Param p) {
        if (params.putIfAbsent(name, p) != null || children.containsKey(name)) {
            throw new IllegalArgumentException("duplicate member '" + name + "' in " + getClass().getSimpleName());
        }
        return p;
    }

    protected final <M extends Module> M child(String name, M module) {
        if (children.putIfAbsent(name, module) != null || params.containsKey(name)) {
            throw new IllegalArgumentException("duplicate member '" + name + "' in " + getClass().getSimpleName());
        }
        return module;
    }

    /** Visits every parameter once (a shared module under its first name), depth first. */
    public final void visitParams(BiConsumer<String, Param> visitor) {
        visit("", visitor, new IdentityHashMap<>());
    }

    private void visit(String prefix, BiConsumer<String, Param> visitor, IdentityHashMap<Object, Boolean> seen) {
        if (seen.put(this, Boolean.TRUE) != null) {
            return;
        }
        for (Map.Entry<String, Param> e : params.entrySet()) {
            if (seen.put(e.getValue(), Boolean.TRUE) == null) {
                visitor.accept(prefix + e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().visit(prefix + e.getKey() + ".", visitor, seen);
        }
    }

    /** Number of trainable scalars in this module and its children. */
    public final long parameterCount() {
        long[] n = {0};
        visitParams((name, p) -> {
            if (p.trainable()) {
                n[0] += p.size();
            }
        });
        return n[0];
    }
}
