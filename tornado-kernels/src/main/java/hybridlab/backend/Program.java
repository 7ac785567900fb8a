package hybridlab.backend;

import hybridlab.kernels.Arena;
import hybridlab.kernels.Step;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a backend compiles: an ordered list of kernel steps over sealed arenas.
 *
 * <p>{@code inputs} are arenas the host fills before every run (the batch, labels, per-step
 * hyper-parameters); {@code outputs} are arenas the host reads after every run (loss, logits).
 * Every other arena (parameters, optimizer state, activations) may stay on a device between
 * runs and is copied only on {@link Executable#download} / {@link Executable#upload}.
 */
public record Program(String name, List<Step> steps, Set<Arena> inputs, Set<Arena> outputs) {
    public Program {
        steps = List.copyOf(steps);
        inputs = Set.copyOf(inputs);
        outputs = Set.copyOf(outputs);
    }

    /** Every arena a step, input or output refers to, in first-use order. */
    public Set<Arena> arenas() {
        Set<Arena> all = new LinkedHashSet<>();
        all.addAll(inputs);
        for (Step s : steps) {
            Arenas.of(s, all);
        }
        all.addAll(outputs);
        return all;
    }
}
