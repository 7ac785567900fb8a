package hybridlab.backend;

import hybridlab.kernels.Arena;
import hybridlab.kernels.MatView;
import hybridlab.kernels.Slice;
import hybridlab.kernels.Step;
import java.lang.reflect.RecordComponent;
import java.util.Set;

/** Finds the arenas a step touches by walking its record components (slices and views). */
public final class Arenas {
    private Arenas() {
    }

    public static void of(Step step, Set<Arena> into) {
        for (RecordComponent c : step.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(step);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (v instanceof Slice s) {
                into.add(s.arena());
            } else if (v instanceof MatView m) {
                into.add(m.slice().arena());
            }
        }
    }
}
