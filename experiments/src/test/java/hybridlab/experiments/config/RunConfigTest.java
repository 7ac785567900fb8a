package hybridlab.experiments.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.train.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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

    static RunConfig set(String... sets) {
        return RunConfig.defaults().withSets(List.of(sets));
    }

    @Test
    void unknownKeySuggestsTheClosestOne() {
        String m = error(() -> set("lerning_rate=1"));
        assertTrue(m.startsWith("--set: lerning_rate: unknown key"), m);
        m = error(() -> set("epoch=3"));
        assertTrue(m.contains("did you mean 'epochs'?"), m);
    }

    @Test
    void wrongTypesNameTheKeyAndWhatIsAllowed() {
        assertEquals("--set: epochs: 'two' is not an integer in [1, 100000]", error(() -> set("epochs=two")));
        assertEquals("--set: epochs: '2.5' is not an integer in [1, 100000]", error(() -> set("epochs=2.5")));
        assertEquals(2, set("epochs=2.0").schedule().epochs());
        assertTrue(error(() -> set("train_fraction=1.5")).contains("train_fraction"));
        assertTrue(error(() -> set("train_fraction=0")).contains("train_fraction"));
        assertEquals("--set: fusion: 'middle' is not one of pre, post, none", error(() -> set("fusion=middle")));
        assertEquals("--set: hflip: 'maybe' is not true or false", error(() -> set("hflip=maybe")));
        assertEquals("--set: hflip: '1' is not true or false", error(() -> set("hflip=1")));
        assertEquals("--set: fusion: '1' is not one of pre, post, none", error(() -> set("fusion=1")), "no enum by ordinal");
        assertTrue(error(() -> set("prm_dilations=[1, x]")).startsWith("--set: prm_dilations: '[1, x]' is not a list of integers"));
        assertTrue(error(() -> set("model=[a, b]")).startsWith("--set: model: '[a, b]' is not a string"));
    }

    @Test
    void setValuesAreReadAsYaml() {
        RunConfig c = set("crpe_windows={3: 1, 5: 2, 7: 1}", "prm_dilations=[1, 2]", "cpe=off", "fusion=POST", "lr=2e-3",
                "layout=cctt", "dataset=Synthetic");
        assertEquals(Map.of(3, 1, 5, 2, 7, 1), c.model().crpeWindows().headsPerWindow());
        assertEquals(List.of(3, 5, 7), List.copyOf(c.model().crpeWindows().headsPerWindow().keySet()), "in the order written");
        assertEquals(List.of(1, 2), c.model().prmDilations());
        assertEquals(Boolean.FALSE, c.model().cpe());
        assertEquals(Fusion.POST, c.model().fusion());
        assertEquals(0.002, c.optim().lr());
        assertEquals(Layout.CCTT, c.model().layout());
        assertEquals(DatasetKind.SYNTHETIC, c.data().dataset());
        assertEquals(CrpeWindows.OFF, set("crpe_windows=off").model().crpeWindows());
        assertNull(set("fusion=post", "fusion=~").model().fusion(), "~ (null) unsets an optional knob");
        assertEquals("--set: epochs: needs a value: an integer in [1, 100000]", error(() -> set("epochs=")));
    }

    @Test
    void notANumberAndInfinityAreNumbersThatTheRangesRefuse() throws Exception {
        assertEquals("--set: lr: 'NaN' is not a number in [0.00000001, 10000]", error(() -> set("lr=.nan")));
        assertEquals("--set: clip_norm: 'Infinity' is not a number in [0, 1000000000]", error(() -> set("clip_norm=.inf")));
        Path f = Files.writeString(dir.resolve("run.yaml"), "lr: .nan\n");
        assertEquals(f + ": lr: 'NaN' is not a number in [0.00000001, 10000]",
                error(() -> RunConfig.defaults().withAll(Yaml.readMap(f), f.toString())));
    }

    @Test
    void yamlFileValuesAreTypedAndErrorsNameTheFile() throws Exception {
        Path f = dir.resolve("run.yaml");
        Files.writeString(f, "model: coatnet-nano-CCTT\nepochs: 3\nlr: 1.0e-3\nfusion: post\n");
        RunConfig c = RunConfig.defaults().withAll(Yaml.readMap(f), f.toString());
        assertEquals(3, c.schedule().epochs());
        assertEquals(1e-3, c.optim().lr());
        assertEquals(Fusion.POST, c.model().fusion());
        Files.writeString(f, "epochs: [1, 2]\n");
        String m = error(() -> RunConfig.defaults().withAll(Yaml.readMap(f), f.toString()));
        assertTrue(m.startsWith(f + ": epochs:"), m);
    }

    @Test
    void yamlSyntaxErrorsCarryLineAndColumn() throws Exception {
        Path f = dir.resolve("broken.yaml");
        Files.writeString(f, "model: x\nepochs: [1, 2\nlr: 3\n");
        String m = error(() -> Yaml.readMap(f));
        assertTrue(m.matches("(?s)" + java.util.regex.Pattern.quote(f.toString()) + ":\\d+:\\d+: YAML syntax error.*"), m);
    }

    @Test
    void duplicateKeysAreRefusedWithTheirLine() throws Exception {
        Path f = Files.writeString(dir.resolve("dup.yaml"), "epochs: 1\nlr: 0.1\nepochs: 2\n");
        String m = error(() -> Yaml.readMap(f));
        assertTrue(m.startsWith(f + ":3:1: duplicate key: found duplicate key epochs"), m);
        Path nested = Files.writeString(dir.resolve("nested.yaml"), "crpe_windows: {3: 1, 3: 2}\n");
        assertTrue(error(() -> Yaml.readMap(nested)).contains("duplicate key 3"));
    }

    @Test
    void aliasesAreExpandedAndTheirSizeIsBounded() throws Exception {
        Path f = Files.writeString(dir.resolve("alias.yaml"), "model: &m coatnet-nano-CCTT\nprm_dilations: &d [1, 2]\n");
        Map<String, Object> m = Yaml.readMap(f);
        assertEquals("coatnet-nano-CCTT", m.get("model"));
        Path g = Files.writeString(dir.resolve("alias2.yaml"), "lr: &rate 0.001\nmin_lr: *rate\n");
        assertEquals(0.001, RunConfig.defaults().withAll(Yaml.readMap(g), g.toString()).schedule().minLr(), "*rate is its value");
        // a billion laughs: each level doubles the one before; expanded it is far beyond the bound
        StringBuilder laughs = new StringBuilder("a0: &a0 [x, x]\n");
        for (int i = 1; i < 30; i++) {
            laughs.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
        }
        Path bomb = Files.writeString(dir.resolve("bomb.yaml"), laughs);
        String msg = error(() -> Yaml.readMap(bomb));
        assertTrue(msg.startsWith(bomb + ": more than 50 aliases"), msg);
        // 36 aliases, each level 4 times the one before: 4^9 values, past the bound on values
        StringBuilder wide = new StringBuilder("b0: &b0 [x, x, x, x]\n");
        for (int i = 1; i < 10; i++) {
            String a = "*b" + (i - 1);
            wide.append("b").append(i).append(": &b").append(i).append(" [").append(String.join(", ", a, a, a, a)).append("]\n");
        }
        Path wideBomb = Files.writeString(dir.resolve("wide.yaml"), wide);
        msg = error(() -> Yaml.readMap(wideBomb));
        assertEquals(wideBomb + ": more than 100000 values once its aliases (*name) are expanded", msg);
        Path recursive = Files.writeString(dir.resolve("recursive.yaml"), "prm_dilations: &d [1, *d]\n");
        msg = error(() -> Yaml.readMap(recursive));
        assertTrue(msg.startsWith(recursive + ": "), msg);
        assertTrue(msg.contains("recursive"), msg);
    }

    @Test
    void unknownModelAndImpossibleKnobsFailBeforeTraining() {
        String m = error(() -> Models.resolve(RunConfig.defaults().with("model", "coatnet-nano-CCTX", "t"), "t"));
        assertTrue(m.contains("model: unknown model 'coatnet-nano-CCTX' (did you mean"), m);
        m = error(() -> Models.resolve(set("model=coat-lite-nano", "crpe_windows={4: 4}"), "t"));
        assertEquals("t: crpe_windows: window 4 must be a positive odd size (model coat-lite-nano)", m);
        m = error(() -> Models.resolve(set("model=coat-lite-nano", "fusion=post"), "t"));
        assertTrue(m.startsWith("t: fusion: does not apply to coat models"), m);
    }

    @Test
    void theRunIdCoversWhatChangesTheComputationOnly() {
        RunConfig base = RunConfig.defaults();
        assertEquals("model=coatnet-nano-CCCC\nseed=0\n", base.identity().text(), "defaults add nothing, so a new key at its default "
                + "leaves every id as it is");
        // keys at their default, execution-only keys, and keys of another dataset do not count
        for (String same : List.of("epochs=2", "lr=0.002", "threads=1", "data_dir=/somewhere", "synthetic_train=99",
                "fusion=pre", "fusion=post", "layout=CCCC", "drop_path=0.0")) {
            assertEquals(base.runId(), set(same).runId(), same);
        }
        // a knob at the preset's value, or one the model cannot use, changes nothing either
        RunConfig cctt = set("model=coatnet-nano-CCTT");
        assertEquals(cctt.runId(), cctt.with("fusion", "pre", "t").runId(), "the preset's fusion is pre");
        assertEquals(set("model=coatnet-nano-CCTT", "layout=CCCC", "fusion=post").runId(),
                set("model=coatnet-nano-CCTT", "layout=CCCC").runId(), "no attention stage, so no fusion");
        assertEquals(set("model=coat-lite-nano", "crpe_windows={3: 1, 5: 2, 7: 1}").runId(), set("model=coat-lite-nano").runId());
        // what does change the computation does change the id
        for (String other : List.of("epochs=3", "seed=1", "lr=0.001", "eval_batch=250", "hflip=true")) {
            assertNotEquals(base.runId(), set(other).runId(), other);
        }
        assertNotEquals(cctt.runId(), cctt.with("fusion", "post", "t").runId());
        assertNotEquals(set("model=coat-lite-nano", "crpe_windows={3: 1, 5: 2, 7: 1}").runId(),
                set("model=coat-lite-nano", "crpe_windows={7: 1, 5: 2, 3: 1}").runId(), "head groups in another order");
        RunConfig synthetic = set("dataset=synthetic");
        assertNotEquals(synthetic.runId(), synthetic.with("synthetic_train", 99, "t").runId());
        assertTrue(base.runId().startsWith("coatnet-nano-CCCC-s0-"), base.runId());
        assertEquals("model=coatnet-nano-CCTT\nseed=0\nfusion=post\nepochs=3\n".lines().sorted().toList(),
                set("model=coatnet-nano-CCTT", "fusion=post", "epochs=3", "threads=2").identity().text().lines().sorted().toList());
    }

    @Test
    void recordsOfTheFirstSchemaReadBackWithTheirSentinels() {
        Map<String, Object> old = new LinkedHashMap<>(Map.of("model", "coat-lite-nano", "drop_path", -1.0, "parallel_depth", -1,
                "crpe_windows", Map.of("3", 4), "cpe", false, "device", "", "data_dir", "", "train_fraction", 0.1));
        RunConfig c = RunConfig.fromRecord(old, "record");
        assertNull(c.model().dropPath());
        assertNull(c.model().parallelDepth());
        assertEquals(Map.of(3, 4), c.model().crpeWindows().headsPerWindow());
        assertEquals(set("model=coat-lite-nano", "crpe_windows={3: 4}", "cpe=false", "train_fraction=0.1").runId(), c.runId());
        Map<String, Object> unknown = new LinkedHashMap<>(Map.of("model", "coat-lite-nano", "colour", "red"));
        assertTrue(error(() -> RunConfig.fromRecord(unknown, "record")).startsWith("record: colour: unknown key"));
    }

    @Test
    void everyKeyIsListedWithItsDefaultAndWhatItAccepts() {
        String table = RunKeys.table();
        for (KeySpec k : RunKeys.all()) {
            assertTrue(table.contains("  " + k.name() + " "), k.name());
        }
        assertTrue(table.contains("epochs           integer       default 2"), table);
        assertTrue(table.contains("accepts one of pre, post, none"), table);
        assertTrue(table.contains("only for dataset synthetic"), table);
        assertEquals(RunKeys.all().size(), RunKeys.all().stream().map(KeySpec::name).distinct().count());
    }
}
