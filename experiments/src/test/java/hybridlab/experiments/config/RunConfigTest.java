package hybridlab.experiments.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.train.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunConfigTest {
    @TempDir
    Path dir;

    static String error(Runnable r) {
        return assertThrows(ConfigException.class, r::run).getMessage();
    }

    @Test
    void unknownKeySuggestsTheClosestOne() {
        String m = error(() -> RunConfig.defaults().withOverrides(List.of("lerning_rate=1")));
        assertTrue(m.startsWith("--set: lerning_rate: unknown key"), m);
        m = error(() -> RunConfig.defaults().withOverrides(List.of("epoch=3")));
        assertTrue(m.contains("did you mean 'epochs'?"), m);
    }

    @Test
    void wrongTypesNameTheKeyAndWhatIsAllowed() {
        assertEquals("--set: epochs: 'two' is not an integer in [1, 100000]",
                error(() -> RunConfig.defaults().withOverrides(List.of("epochs=two"))));
        assertTrue(error(() -> RunConfig.defaults().withOverrides(List.of("train_fraction=1.5"))).contains("train_fraction"));
        assertTrue(error(() -> RunConfig.defaults().withOverrides(List.of("train_fraction=0"))).contains("train_fraction"));
        assertTrue(error(() -> RunConfig.defaults().withOverrides(List.of("fusion=middle"))).contains("one of pre, post, none"));
        assertTrue(error(() -> RunConfig.defaults().withOverrides(List.of("hflip=maybe"))).contains("true or false"));
    }

    @Test
    void yamlFileValuesAreTypedAndErrorsNameTheFile() throws Exception {
        Path f = dir.resolve("run.yaml");
        Files.writeString(f, "model: coatnet-nano-CCTT\nepochs: 3\nlr: 1.0e-3\nfusion: post\n");
        RunConfig c = RunConfig.defaults().withAll(Files.exists(f) ? hybridlab.experiments.config.Files.readYamlMap(f) : Map.of(), f.toString());
        assertEquals(3, c.epochs());
        assertEquals(1e-3f, c.lr());
        assertEquals("post", c.fusion());
        Files.writeString(f, "epochs: [1, 2]\n");
        String m = error(() -> RunConfig.defaults().withAll(hybridlab.experiments.config.Files.readYamlMap(f), f.toString()));
        assertTrue(m.startsWith(f + ": epochs:"), m);
    }

    @Test
    void yamlSyntaxErrorsCarryLineAndColumn() throws Exception {
        Path f = dir.resolve("broken.yaml");
        Files.writeString(f, "model: x\nepochs: [1, 2\nlr: 3\n");
        String m = error(() -> hybridlab.experiments.config.Files.readYamlMap(f));
        assertTrue(m.matches("(?s)" + java.util.regex.Pattern.quote(f.toString()) + ":\\d+:\\d+: YAML syntax error.*"), m);
    }

    @Test
    void unknownModelAndImpossibleKnobsFailBeforeTraining() {
        String m = error(() -> Models.resolve(RunConfig.defaults().with("model", "coatnet-nano-CCTX", "t"), "t"));
        assertTrue(m.contains("model: unknown model 'coatnet-nano-CCTX' (did you mean"), m);
    }

    @Test
    void runIdDependsOnIdentityNotExecution() {
        RunConfig a = RunConfig.defaults(), b = a.with("threads", 1, "t"), c = a.with("seed", 1, "t");
        assertEquals(a.runId(), b.runId());
        assertNotEquals(a.runId(), c.runId());
        assertTrue(a.runId().startsWith("coatnet-nano-CCCC-s0-"), a.runId());
    }
}
