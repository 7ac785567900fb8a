package hybridlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad sweep files fail before anything trains, with a message naming the file, the place and what is allowed. */
class ValidationTest {
    @TempDir
    Path dir;

    private String error(String yaml, String... sets) {
        FakeExecutor executor = new FakeExecutor();
        Path file = SweepFiles.write(dir, "bad.yaml", yaml);
        String m = assertThrows(ConfigException.class, () -> Sweep.prepare(file, List.of(sets), dir.resolve("out"), executor)).getMessage();
        assertEquals(List.of(), executor.trained, "nothing trains");
        assertTrue(m.startsWith(file.toString()) || m.startsWith("--"), "names the file or the flag: " + m);
        return m;
    }

    private static final String GRID_HEAD = "name: bad\n" + SweepFiles.TINY_BASE;

    @Test
    void unknownKeysSuggestTheClosestOne() {
        String m = error(GRID_HEAD + "axes: {fusoin: [pre, post]}\n");
        assertTrue(m.endsWith("bad.yaml: axes.fusoin: unknown key (did you mean 'fusion'?); 'experiments keys' lists them all"), m);
        m = error(GRID_HEAD + "seed: [0, 1]\n");
        assertTrue(m.contains("bad.yaml: seed: unknown sweep section (did you mean 'seeds'?)"), m);
        m = error(GRID_HEAD + "points: [{model: coatnet-nano-CCCC, epoch: 3}]\n");
        assertTrue(m.contains("bad.yaml: points[0].epoch: unknown key (did you mean 'epochs'?)"), m);
        m = error(GRID_HEAD + "report: {rows: [modle]}\n");
        assertTrue(m.contains("bad.yaml: report.rows: modle: unknown key (did you mean 'model'?)"), m);
        m = error(GRID_HEAD + "report: {metrics: [tst_acc]}\n");
        assertTrue(m.contains("bad.yaml: report.metrics: tst_acc: unknown metric (did you mean 'test_acc'?)"), m);
        m = error(GRID_HEAD, "lr_max=1");
        assertTrue(m.startsWith("--set: lr_max: unknown key"), m);
    }

    @Test
    void wrongTypesNameThePlaceAndTheAllowedValues() {
        assertTrue(error(GRID_HEAD + "axes: {fusion: [pre, middle]}\n")
                .endsWith("bad.yaml: axes.fusion: 'middle' is not one of pre, post, none"));
        assertTrue(error(GRID_HEAD + "axes: {epochs: [1, two]}\n").endsWith("bad.yaml: axes.epochs: 'two' is not an integer in [1, 100000]"));
        assertTrue(error(GRID_HEAD + "axes: {fusion: pre}\n").endsWith("bad.yaml: axes.fusion: must be a list, e.g. [pre, post]; got 'pre'"));
        assertTrue(error(GRID_HEAD + "points: {model: coatnet-nano-CCCC}\n").contains("bad.yaml: points: must be a list"));
        assertTrue(error(GRID_HEAD + "points: [coatnet-nano-CCCC]\n").contains("bad.yaml: points[0]: must be a map of keys to values"));
        assertTrue(error(GRID_HEAD + "seeds: [0, -1]\n").endsWith("bad.yaml: seeds: seed: '-1' is not an integer in [0, 16777216]"));
        assertTrue(error(GRID_HEAD + "axes: {train_fraction: [0.1, 1.5]}\n").contains("bad.yaml: axes.train_fraction: '1.5' is not a number in"));
        assertTrue(error(GRID_HEAD, "hflip=maybe").startsWith("--set: hflip: 'maybe' is not true or false"));
    }

    @Test
    void emptyListsAreErrors() {
        assertTrue(error(GRID_HEAD + "axes: {fusion: []}\n").endsWith("bad.yaml: axes.fusion: is empty; give at least one value, e.g. [pre, post]"));
        assertTrue(error(GRID_HEAD + "seeds: []\n").contains("bad.yaml: seeds: is empty"));
        assertTrue(error(GRID_HEAD + "points: []\n").contains("bad.yaml: points: is empty"));
    }

    @Test
    void unknownModelsAreReportedWhereTheyAreWritten() {
        String m = error(GRID_HEAD + "axes: {model: [coatnet-nano-CCCC, coatnet-nano-CCXT]}\n");
        assertTrue(m.contains("bad.yaml: axes.model: unknown model 'coatnet-nano-CCXT' (did you mean 'coatnet-nano-CCCT'?); known: "), m);
        m = error(GRID_HEAD + "points: [{model: vit-huge}]\n");
        assertTrue(m.contains("bad.yaml: points[0].model: unknown model 'vit-huge'"), m);
    }

    @Test
    void impossibleCombinationsNameTheRun() {
        String m = error(GRID_HEAD + "axes: {train_fraction: [1.0, 0.1]}\n");
        assertTrue(m.endsWith("bad.yaml: {train_fraction: 0.1}: batch: 64 is larger than the training set (30 images at train_fraction 0.1)"), m);
        m = error(GRID_HEAD + "points: [{val_fraction: 0.001}]\n");
        assertTrue(m.endsWith("bad.yaml: {val_fraction: 0.001}: val_fraction: 0.001 holds out no image of this training set "
                + "(too small a share of each class)"), m);
        m = error(GRID_HEAD + "points: [{model: coatnet-nano-CCCC, threads: 1}, {model: coatnet-nano-CCCC, threads: 2}]\n");
        assertTrue(m.contains("{model: coatnet-nano-CCCC, threads: 1} and {model: coatnet-nano-CCCC, threads: 2} are the same run"), m);
        m = error(GRID_HEAD + "points: [{seed: 3}]\n");
        assertTrue(m.endsWith("bad.yaml: points[0].seed: list seeds in the top-level 'seeds' section"), m);
        m = error(GRID_HEAD + "axes: {fusion: [pre, post]}\n", "fusion=pre");
        assertTrue(m.startsWith("--set: fusion: varies in "), m);
        m = error(GRID_HEAD + "axes: {fusion: [pre, post]}\nreport: {rows: [fusion], columns: [fusion]}\n");
        assertTrue(m.endsWith("bad.yaml: report.columns: 'fusion' is named twice in the report's rows and columns"), m);
        m = error(GRID_HEAD + "axes: {min_lr: [0.0, 0.5]}\n");
        assertTrue(m.endsWith("bad.yaml: {min_lr: 0.5}: min_lr: 0.5 is above lr 0.002 (the cosine schedule decays from lr to min_lr)"), m);
    }

    @Test
    void unavailableBackendIsABadInput() {
        String m = error(GRID_HEAD + "backends: [jvm, cuda]\n");
        assertTrue(m.endsWith("bad.yaml: backend: unknown backend 'cuda'; available: [jvm]"), m);
    }

    @Test
    void yamlSyntaxErrorsGiveLineAndColumn() {
        String m = error("name: bad\naxes:\n  fusion: [pre, post\n  model: [coatnet-nano-CCCC]\n");
        assertTrue(m.matches("(?s).*bad\\.yaml:\\d+:\\d+: YAML syntax error: .*"), m);
    }

    @Test
    void outputFolderMustBeWritable() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("a-file"), "not a folder");
        Path file = SweepFiles.write(dir, "bad.yaml", "name: bad\noutput: " + notAFolder.resolve("out") + "\n" + SweepFiles.TINY_BASE);
        FakeExecutor executor = new FakeExecutor();
        String m = assertThrows(ConfigException.class, () -> Sweep.prepare(file, List.of(), null, executor)).getMessage();
        assertEquals(file + ": output: " + notAFolder.resolve("out") + ": cannot be created: " + notAFolder + " is a file, not a folder", m);
        m = assertThrows(ConfigException.class, () -> Sweep.prepare(file, List.of(), notAFolder, executor)).getMessage();
        assertEquals("--output: " + notAFolder + ": exists and is not a folder", m);
        m = assertThrows(ConfigException.class, () -> Sweep.prepare(file, List.of(), Path.of("/proc/hybridlab-out"), executor))
                .getMessage();
        assertTrue(m.startsWith("--output: /proc/hybridlab-out: cannot be created in /proc ("), "a place even root cannot write: " + m);
        assertEquals(List.of(), executor.trained);
    }

    @Test
    void withoutAnOutputTheSweepGoesToRunsSlashItsName() {
        Sweep s = Sweep.prepare(SweepFiles.write(dir, "no-output.yaml", "name: my sweep\n" + SweepFiles.TINY_BASE), List.of(), null,
                new FakeExecutor());
        assertEquals(Path.of("runs", "my-sweep"), s.output());
    }

    @Test
    void missingOrCorruptDataNamesTheFile() throws Exception {
        Path data = Files.createDirectories(dir.resolve("fmnist"));
        Files.write(data.resolve("train-images-idx3-ubyte"), new byte[] {0, 0, 8, 3, 0, 0});
        String m = error("name: bad\nbase: {dataset: fashion-mnist, data_dir: " + data + "}\n");
        assertTrue(m.startsWith(dir.resolve("bad.yaml") + ": dataset: ") && m.contains(data.toString()), m);
    }
}
