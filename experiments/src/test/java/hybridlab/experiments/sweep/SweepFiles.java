package hybridlab.experiments.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Sweep files for tests: tiny synthetic runs, written into a test's folder. */
final class SweepFiles {
    private SweepFiles() {
    }

    /** Base keys of a run that trains in seconds. */
    static final String TINY_BASE = "base: {model: coatnet-nano-CCTT, dataset: synthetic, synthetic_train: 256, synthetic_test: 128, batch: 64, eval_batch: 128, "
            + "epochs: 2, threads: 1}\n";

    /** 2 models x 2 fusions x 2 seeds = 8 runs. */
    static final String GRID = "name: grid\n" + TINY_BASE
            + "axes:\n  model: [coatnet-nano-CCCT, coatnet-nano-CCTT]\n  fusion: [pre, post]\nseeds: [0, 1]\n"
            + "report: {rows: [model], columns: [fusion]}\n";

    static Path write(Path dir, String name, String yaml) {
        try {
            Path f = dir.resolve(name);
            Files.writeString(f, yaml);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Expands and validates {@code yaml} with a fake executor; output goes to {@code dir/out}. */
    static Sweep prepare(Path dir, String yaml, String... sets) {
        return Sweep.prepare(write(dir, "sweep.yaml", yaml), List.of(sets), dir.resolve("out"), new FakeExecutor());
    }
}
