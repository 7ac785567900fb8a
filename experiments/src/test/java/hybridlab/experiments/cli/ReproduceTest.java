package hybridlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.Main;
import hybridlab.experiments.config.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reproduce} retrains a folder's runs: identical records pass; a record that differs fails, naming the run and field. */
class ReproduceTest {
    @TempDir
    Path dir;

    @Test
    void identicalRunsPassAndADifferenceIsNamed() throws Exception {
        Path sweep = java.nio.file.Files.writeString(dir.resolve("s.yaml"), "name: s\nbase: {model: coatnet-nano-CCCC, dataset: synthetic, "
                + "synthetic_train: 128, synthetic_test: 64, batch: 32, epochs: 1, threads: 2}\naxes: {lr: [0.002, 0.001]}\nseeds: [0, 1]\n");
        Path out = dir.resolve("out");
        assertEquals(0, CliTest.run("run", sweep.toString(), "--output", out.toString(), "-q")[0]);
        Object[] r = CliTest.run("reproduce", out.toString(), "--sample", "2", "--threads", "1", "-q");
        assertEquals(0, r[0], (String) r[1] + r[2]);
        assertTrue(((String) r[1]).endsWith("2 of 2 runs reproduced bit for bit (a sample of 4, seed 0)\n"), (String) r[1]);

        List<Path> records;
        try (Stream<Path> s = java.nio.file.Files.list(out.resolve("runs"))) {
            records = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        Map<String, Object> edited = Files.readJsonMap(records.get(0));
        @SuppressWarnings("unchecked")
        Map<String, Object> fin = (Map<String, Object>) edited.get("final");
        fin.put("test_acc", (Double) fin.get("test_acc") + 1e-12);
        Files.writeJsonAtomic(records.get(0), edited);
        r = CliTest.run("reproduce", out.toString(), "-q");
        assertEquals(Main.RUN_FAILED, r[0], (String) r[1] + r[2]);
        String id = records.get(0).getFileName().toString().replace(".json", "");
        assertTrue(((String) r[1]).contains("] " + id + "\n  DIFFERS: final.test_acc: "), (String) r[1]);
        assertTrue(((String) r[1]).endsWith("3 of 4 runs reproduced bit for bit\n"), (String) r[1]);
        assertTrue(CliTest.userError(CliTest.run("reproduce", dir.toString())).contains("not a sweep output folder"));
    }
}
