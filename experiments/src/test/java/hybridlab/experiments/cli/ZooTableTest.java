package hybridlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ZooTableTest {
    /** The committed table is exactly what the command generates from the code. */
    @Test
    void committedModelZooIsUpToDate() throws Exception {
        // surefire's basedir: the module folder, also when the tornado profile runs tests elsewhere
        Path committed = Path.of(System.getProperty("basedir", "."), "..", "results", "model-zoo.md");
        assertEquals(ZooCommand.table(), Files.readString(committed),
                "results/model-zoo.md is stale: run bin/experiments zoo --out results/model-zoo.md");
    }
}
