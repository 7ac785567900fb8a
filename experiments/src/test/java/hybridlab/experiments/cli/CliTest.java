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

class CliTest {
    @TempDir
    Path dir;

    /** Runs the CLI in-process; returns exit code, stdout and stderr. */
    static Object[] run(String... args) {
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
}
