package hybridlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.Main;
import hybridlab.experiments.config.Files;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class CliTest {
    @TempDir
    Path dir;

    /** Runs the CLI in-process; returns exit code, stdout and stderr. */
    public static Object[] run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new Object[] {code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void infoJsonReportsParamsFlopsAndLayers() throws Exception {
        Object[] r = run("info", "coatnet-nano-CCCC", "--json");
        assertEquals(0, r[0], (String) r[2]);
        Map<?, ?> m = Files.JSON.readValue((String) r[1], Map.class);
        assertEquals(594746, ((Number) m.get("params")).intValue());
        assertEquals(2 * 13_349_888L, ((Number) m.get("flops")).longValue());
        assertEquals(List.of(1, 32, 32), m.get("input_shape"));
        assertEquals(9, ((List<?>) m.get("layers")).size(), "stem, 7 blocks, head");
    }

    @Test
    void badInputExitsWithCodeTwoAndNoStackTrace() {
        Object[] r = run("train", "--set", "epoch=2", "--out", dir.toString());
        assertEquals(Main.BAD_INPUT, r[0]);
        String err = (String) r[2];
        assertTrue(err.startsWith("error: --set: epoch: unknown key (did you mean 'epochs'?)"), err);
        assertTrue(!err.contains("\tat "), "no stack trace: " + err);
        r = run("info", "coatnet-nano-CCTT", "--set", "layout=CCXT");
        assertEquals(Main.BAD_INPUT, r[0]);
        assertTrue(((String) r[2]).contains("layout"), (String) r[2]);
        r = run("train", "--set", "dataset=synthetic", "--set", "device=gpu0", "--out", dir.toString());
        assertEquals(Main.BAD_INPUT, r[0]);
        assertTrue(((String) r[2]).startsWith("error: config: device: 'gpu0' is not a device of backend 'jvm'; devices: jvm"),
                (String) r[2]);
    }

    @Test
    void missingDataNamesTheFileAndHowToProvideIt() {
        Object[] r = run("train", "--data-dir", dir.resolve("nowhere").toString(), "--out", dir.toString());
        assertEquals(Main.BAD_INPUT, r[0]);
        String err = (String) r[2];
        assertTrue(err.contains(dir.resolve("nowhere").toString()) && err.contains("dataset-fashion-mnist"), err);
    }

    @Test
    void trainWritesOneRecord() throws Exception {
        Path out = dir.resolve("runs");
        Object[] r = run("train", "-q", "--set", "dataset=synthetic", "--set", "synthetic_train=256", "--set",
                "synthetic_test=64", "--set", "batch=64", "--set", "epochs=1", "--set", "model=coatnet-nano-CCCC",
                "--threads", "2", "--out", out.toString());
        assertEquals(0, r[0], (String) r[2]);
        List<Path> files;
        try (var s = java.nio.file.Files.list(out)) {
            files = s.toList();
        }
        assertEquals(1, files.size());
        Map<String, Object> rec = Files.readJsonMap(files.get(0));
        assertEquals("finished", rec.get("status"));
        assertEquals(files.get(0).getFileName().toString(), rec.get("run_id") + ".json");
        Map<?, ?> fin = (Map<?, ?>) rec.get("final");
        for (String k : List.of("train_loss", "train_acc", "test_loss", "test_acc", "gap_acc", "gap_loss")) {
            assertTrue(fin.get(k) instanceof Number, k);
        }
    }

    /** A user error: exit code 2, one "error: " line naming what is wrong, no stack trace. */
    static String userError(Object[] r) {
        String err = (String) r[2];
        assertEquals(Main.BAD_INPUT, r[0], err);
        assertTrue(err.startsWith("error: ") && !err.contains("\tat ") && !err.contains("Exception"), err);
        return err;
    }

    static final String[] TINY = {"--set", "dataset=synthetic", "--set", "synthetic_train=64", "--set", "synthetic_test=32",
        "--set", "batch=32", "--set", "epochs=1"};

    static String[] train(String... more) {
        String[] args = new String[1 + TINY.length + more.length];
        args[0] = "train";
        System.arraycopy(TINY, 0, args, 1, TINY.length);
        System.arraycopy(more, 0, args, 1 + TINY.length, more.length);
        return args;
    }

    @Test
    void trainChecksWhereItsRecordGoesBeforeItTrains() throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("a-file"), "x");
        String err = userError(run(train("--out", file.toString())));
        assertEquals("error: --out: " + file + ": exists and is not a folder\n", err);
        err = userError(run(train("--out", file.resolve("sub").toString())));
        assertTrue(err.contains("cannot be created: " + file + " is a file, not a folder"), err);
        err = userError(run(train("--out", "/proc/hybridlab-records")));
        assertTrue(err.startsWith("error: --out: /proc/hybridlab-records: cannot be created in /proc ("), err);
        assertTrue(!((String) run(train("--out", file.toString()))[2]).contains("epoch"), "nothing trained");
    }

    @Test
    void aModelThatDoesNotTakeTheDatasetsImagesIsRefusedBeforeTraining() {
        String err = userError(run(train("--set", "model=coatnet-0", "--out", dir.toString())));
        assertEquals("error: config: model: coatnet-0 takes 3x224x224 images of 1000 classes, but synthetic/train has 1x32x32 images "
                + "of 10 classes; choose a model for this data (experiments info --list)\n", err);
    }

    @Test
    void aBatchLargerThanTheDataIsRefused() {
        String err = userError(run(train("--set", "batch=65", "--out", dir.toString())));
        assertEquals("error: config: batch: 65 is larger than the training set (64 images at train_fraction 1)\n", err);
    }

    @Test
    void aValidationShareThatHoldsOutNothingIsRefused() {
        String err = userError(run(train("--set", "val_fraction=0.01", "--out", dir.toString())));
        assertEquals("error: config: val_fraction: 0.01 holds out no image of this training set (too small a share of each class)\n", err);
    }

    @Test
    void benchJmhZooAndReportRefuseBadInputWithoutATrace() throws Exception {
        assertEquals("error: --steps: 0 is not an integer >= 1\n", userError(run("bench", "--model", "coatnet-nano-CCCC", "--steps", "0")));
        assertTrue(userError(run("jmh", "Gemm(")).startsWith("error: REGEX: 'Gemm(' is not a regular expression"));
        assertTrue(userError(run("jmh", "NoSuchBenchmark")).startsWith("error: REGEX: 'NoSuchBenchmark' matches no benchmark"));
        assertTrue(userError(run("zoo", "--out", "/proc/hybridlab-zoo.md")).startsWith("error: --out: /proc: cannot be written ("));
        assertTrue(userError(run("zoo", "--out", dir.toString())).startsWith("error: --out: " + dir + ": is a folder, not a file"));
        Path sweep = dir.resolve("sweep");
        java.nio.file.Files.createDirectories(sweep);
        java.nio.file.Files.writeString(sweep.resolve("sweep.json"), "{\"schema\": 1, \"name\": \"s\", \"report\": "
                + "{\"rows\": [], \"columns\": [], \"metrics\": []}, \"variants\": []}");
        java.nio.file.Files.writeString(sweep.resolve("report"), "a file where the report folder goes");
        assertTrue(userError(run("report", sweep.toString())).startsWith("error: report: " + sweep.resolve("report")
                + ": exists and is not a folder"));
    }

    @Test
    void anInternalErrorIsOneLineAndAFileWithTheWholeStory() throws Exception {
        String text = Main.internalError(new IllegalStateException("boom"), new String[] {"train", "--set", "x=1"});
        List<String> lines = text.lines().toList();
        assertEquals(2, lines.size(), text);
        assertEquals("internal error: java.lang.IllegalStateException: boom", lines.get(0));
        Path report = Path.of(lines.get(1).replaceFirst("^the full report is in (\\S+) .*$", "$1"));
        String story = java.nio.file.Files.readString(report);
        assertTrue(story.startsWith("experiments train --set x=1\n") && story.contains("\tat hybridlab.experiments.cli.CliTest"), story);
        java.nio.file.Files.delete(report);
    }

    @Test
    void keysAndTrainHelpListEveryRunKey() {
        Object[] r = run("keys");
        assertEquals(0, r[0]);
        assertTrue(((String) r[1]).contains("crpe_windows") && ((String) r[1]).contains("default 0.002"), (String) r[1]);
        r = run("train", "--help");
        assertTrue(((String) r[1]).contains("Run keys:") && ((String) r[1]).contains("train_fraction"), (String) r[1]);
    }
}
