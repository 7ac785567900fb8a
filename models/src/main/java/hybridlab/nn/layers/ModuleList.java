package hybridlab.nn.layers;

import hybridlab.nn.Module;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Children named 0, 1, 2, ... like PyTorch's {@code nn.ModuleList} / {@code nn.Sequential}. */
public final class ModuleList<M extends Module> extends Module {
    private final List<M> items = new ArrayList<>();

    public M add(M m) {
        items.add(child(String.valueOf(items.size()), m));
        return m;
    }

    /** Registers {@code m} under an explicit index (Sequential slots without parameters are skipped). */
    public M put(int index, M m) {
        items.add(child(String.valueOf(index), m));
        return m;
    }

    public List<M> items() {
        return Collections.unmodifiableList(items);
    }

    public M get(int i) {
        return items.get(i);
    }

    public int size() {
        return items.size();
    }
}
