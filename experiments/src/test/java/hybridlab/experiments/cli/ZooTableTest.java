package hybridlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import hybridlab.experiments.ModuleFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ZooTableTest {
    /** The committed table is exactly what the command generates from the code. */
    @Test
    void committedModelZooIsUpToDate() throws Exception {
        Path committed = ModuleFiles.path("..", "results", "model-zoo.md");
        assertEquals(ZooCommand.table(), Files.readString(committed),
                "results/model-zoo.md is stale: run bin/experiments zoo --out results/model-zoo.md");
    }
}
