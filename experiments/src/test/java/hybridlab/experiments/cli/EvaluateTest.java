package hybridlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.config.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run saves its model; {@code evaluate} on the saved model gives the record's test loss and accuracy exactly. */
class EvaluateTest {
    @TempDir
    Path dir;

    @Test
    void evaluatingASavedModelReproducesItsRecord() throws Exception {
        Path runs = dir.resolve("runs");
        Object[] r = CliTest.run("train", "-q", "--set", "model=coatnet-nano-CCTT", "--set", "dataset=synthetic", "--set",
                "synthetic_train=320", "--set", "synthetic_test=130", "--set", "batch=32", "--set", "eval_batch=50", "--set", "epochs=1",
                "--set", "save=true", "--set", "val_fraction=0.2", "--threads", "2", "--out", runs.toString());
        assertEquals(0, r[0], (String) r[2]);
        String id = ((String) r[1]).lines().filter(l -> l.startsWith("record: ")).findFirst().orElseThrow()
                .replaceFirst("^record: .*/", "").replace(".json", "");
        Map<String, Object> record = Files.readJsonMap(runs.resolve(id + ".json"));
        Map<?, ?> fin = (Map<?, ?>) record.get("final");
        Path weights = runs.resolve(id + ".safetensors");
        assertTrue(java.nio.file.Files.exists(weights), "saved beside the record");

        r = CliTest.run("evaluate", weights.toString(), "--out", dir.resolve("eval").toString());
        assertEquals(0, r[0], (String) r[2]);
        Map<String, Object> e = Files.readJsonMap(dir.resolve("eval/evaluation.json"));
        assertEquals(fin.get("test_acc"), e.get("accuracy"), "the record's test accuracy, exactly");
        assertEquals(fin.get("test_loss"), e.get("loss"), "and its test loss");
        assertEquals(130, e.get("images"));
        List<?> confusion = (List<?>) e.get("confusion");
        long diagonal = 0, all = 0;
        for (int i = 0; i < confusion.size(); i++) {
            List<?> row = (List<?>) confusion.get(i);
            diagonal += ((Number) row.get(i)).longValue();
            all += row.stream().mapToLong(v -> ((Number) v).longValue()).sum();
        }
        assertEquals(130, all);
        assertEquals((double) e.get("accuracy"), diagonal / 130.0, 0.0, "the confusion matrix counts what the accuracy counts");
        for (String f : List.of("evaluation.md", "per_class.csv", "confusion.csv", "confusion.png")) {
            assertTrue(java.nio.file.Files.size(dir.resolve("eval").resolve(f)) > 0, f);
        }
        r = CliTest.run("evaluate", weights.toString(), "--split", "val", "--out", dir.resolve("eval-val").toString());
        assertEquals(0, r[0], (String) r[2]);
        assertEquals(60, Files.readJsonMap(dir.resolve("eval-val/evaluation.json")).get("images"), "a fifth of each class's 32, rounded: 6");
        assertTrue(CliTest.userError(CliTest.run("evaluate", dir.resolve("none.safetensors").toString())).contains("no such file"));
    }
}
