package hybridlab.experiments.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.Files;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.train.RunRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    @TempDir
    Path out;

    private final ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    private final PrintStream warn = new PrintStream(warnings, true, StandardCharsets.UTF_8);

    /** Two fusions (one with a CRPE window map set) x two train fractions x {@code seeds} seeds, with fake records.*/
    private List<RunConfig> sweep(int seeds) throws Exception {
        List<RunConfig> configs = new ArrayList<>();
        List<Manifest.Variant> variants = new ArrayList<>();
        for (String fusion : List.of("pre", "post")) {
            for (double fraction : List.of(0.1, 1.0)) {
                List<String> ids = new ArrayList<>();
                for (int seed = 0; seed < seeds; seed++) {
                    RunConfig c = RunConfig.defaults().withAll(Map.of("model", "coatnet-nano-CCTT", "fusion", fusion, "train_fraction",
                            fraction, "seed", seed, "epochs", 3), "test");
                    configs.add(c);
                    ids.add(c.runId());
                }
                Map<String, String> coords = new LinkedHashMap<>();
                coords.put("fusion", fusion);
                coords.put("crpe", fusion.equals("pre") ? "{3: 1, 5: 2, 7: 1}" : null);
                coords.put("train_fraction", fraction == 1.0 ? "1" : "0.1");
                variants.add(new Manifest.Variant(coords, ids));
            }
        }
        new Manifest(Manifest.SCHEMA, "windows", "windows.yaml", List.of("epochs=2"),
                new ReportSpec(List.of("fusion", "crpe"), List.of("train_fraction"), Metric.DEFAULTS), variants).write(out);
        return configs;
    }

    private void record(RunRecord r) throws Exception {
        Files.writeJsonAtomic(Records.file(out.resolve("runs"), r.runId()), r);
    }

    static Map<String, byte[]> files(Path dir) throws Exception {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = java.nio.file.Files.list(dir)) {
            for (Path p : s.toList()) {
                m.put(p.getFileName().toString(), java.nio.file.Files.readAllBytes(p));
            }
        }
        return m;
    }

    @Test
    void rebuildingFromTheSameRecordsGivesByteIdenticalFiles() throws Exception {
        for (RunConfig c : sweep(3)) {
            record(FakeRecords.finished(c));
        }
        Report.write(out, warn);
        Map<String, byte[]> first = files(Report.dir(out));
        assertEquals(List.of("data_size.csv", "data_size.pdf", "data_size.png", "data_size.svg", "epochs.csv", "gap.pdf", "gap.png",
                "gap.svg", "loss_vs_accuracy.pdf", "loss_vs_accuracy.png", "loss_vs_accuracy.svg", "matched_loss.csv", "metrics.csv",
                "paired.csv", "report.md", "tables.tex", "throughput.csv", "throughput.pdf", "throughput.png", "throughput.svg"),
                new ArrayList<>(first.keySet()));
        java.nio.file.Files.walk(Report.dir(out)).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        Report.write(out, warn);
        Map<String, byte[]> second = files(Report.dir(out));
        first.forEach((name, bytes) -> assertArrayEquals(bytes, second.get(name), name));
        assertEquals("", warnings.toString(StandardCharsets.UTF_8));
    }

    @Test
    void cellsAreMeanAndSampleStdOverSeeds() throws Exception {
        List<RunConfig> configs = sweep(3);
        double[] acc = new double[3];
        for (int i = 0; i < 3; i++) {
            RunRecord r = FakeRecords.finished(configs.get(i));
            acc[i] = r.result().testAcc();
            record(r);
        }
        for (RunConfig c : configs.subList(3, configs.size())) {
            record(FakeRecords.finished(c));
        }
        SweepResults r = Report.write(out, warn);
        Stats s = r.variants().get(0).stats(Metric.TEST_ACC);
        double mean = (acc[0] + acc[1] + acc[2]) / 3;
        double var = ((acc[0] - mean) * (acc[0] - mean) + (acc[1] - mean) * (acc[1] - mean) + (acc[2] - mean) * (acc[2] - mean)) / 2;
        assertEquals(mean, s.mean(), 1e-12);
        assertEquals(Math.sqrt(var), s.std(), 1e-12);
        String md = java.nio.file.Files.readString(Report.dir(out).resolve("report.md"));
        double half = 4.302652729749464 * Math.sqrt(var) / Math.sqrt(3); // t(0.975, 2 degrees of freedom)
        assertEquals(mean - half, s.low95(), 1e-9);
        assertEquals(mean + half, s.high95(), 1e-9);
        String cell = Metric.TEST_ACC.format(mean) + " ± " + Metric.TEST_ACC.format(Math.sqrt(var)) + " ["
                + Metric.TEST_ACC.format(mean - half) + ", " + Metric.TEST_ACC.format(mean + half) + "]";
        assertTrue(md.contains("| fusion | crpe | train_fraction=0.1 | train_fraction=1 |\n| :-- | :-- | --: | --: |\n| pre | {3: 1, 5: 2, 7: 1} | "
                + cell + " | "), md);
        assertTrue(md.contains("| post | – | "), "unset coordinate: " + md);
        String csv = java.nio.file.Files.readString(Report.dir(out).resolve("metrics.csv"));
        assertTrue(csv.startsWith("fusion,crpe,train_fraction,planned,finished,diverged,missing,test_acc_mean,test_acc_std,"), csv);
        assertTrue(csv.contains("\npre,\"{3: 1, 5: 2, 7: 1}\",0.1,3,3,0,0," + Csv.number(mean) + "," + Csv.number(Math.sqrt(var)) + ",3,"
                + Csv.number(mean - half) + "," + Csv.number(mean + half) + ","), "quoted map, n and interval: " + csv);
        assertTrue(csv.startsWith("fusion,crpe,train_fraction,planned,finished,diverged,missing,test_acc_mean,test_acc_std,test_acc_n,"
                + "test_acc_ci95_low,test_acc_ci95_high,"), csv);
        String tex = java.nio.file.Files.readString(Report.dir(out).resolve("tables.tex"));
        assertTrue(tex.contains("pre & \\{3: 1, 5: 2, 7: 1\\} & " + cell.replace("±", "$\\pm$")), tex);
        assertTrue(tex.contains("fusion & crpe & train\\_fraction=0.1 & train\\_fraction=1 \\\\"), tex);
    }

    @Test
    void partialSweepSaysWhatItCoversAndMarksIncompleteCells() throws Exception {
        List<RunConfig> configs = sweep(3);
        record(FakeRecords.finished(configs.get(0)));
        record(FakeRecords.diverged(configs.get(1)));
        record(FakeRecords.finished(configs.get(3)));
        SweepResults r = Report.write(out, warn);
        assertEquals(List.of(12, 2, 1, 9), List.of(r.planned(), r.finished(), r.diverged(), r.missing()));
        String md = java.nio.file.Files.readString(Report.dir(out).resolve("report.md"));
        assertTrue(md.contains("From `windows.yaml`: 12 runs planned (4 variants x 3 seeds); 2 finished, 1 diverged, 9 missing."), md);
        assertTrue(md.contains("> **Partial sweep**: the tables cover only the 3 of 12 runs recorded so far."), md);
        assertTrue(md.contains("Every run with `epochs=2` set on the command line (`--set`), over the file's values."), md);
        assertTrue(md.contains(" (1/3) |"), md);
        assertTrue(md.contains("| missing |"), md);
        assertTrue(md.contains("| pre | {3: 1, 5: 2, 7: 1} | 0.1 | 1 | " + configs.get(1).runId() + " | 1 | 3 | NaN |"), md);
    }

    @Test
    void unusableRecordsAreLeftOutWithAWarning() throws Exception {
        List<RunConfig> configs = sweep(1);
        record(FakeRecords.finished(configs.get(0)));
        java.nio.file.Files.writeString(Records.file(out.resolve("runs"), configs.get(1).runId()), "{\"schema\": 1, \"run_i");
        java.nio.file.Files.writeString(out.resolve("runs/stray.json"), "{}");
        SweepResults r = Report.write(out, warn);
        assertEquals(1, r.finished());
        String w = warnings.toString(StandardCharsets.UTF_8);
        assertTrue(w.contains(configs.get(1).runId() + ".json: unreadable run record (truncated by a crash?)"), w);
        assertTrue(w.contains("stray.json: the record's run_id is missing, not 'stray'"), w);
    }

    @Test
    void aFolderWithoutAManifestIsABadInput() {
        String m = assertThrows(ConfigException.class, () -> Report.write(out, warn)).getMessage();
        assertEquals(out + ": not a sweep output folder (no sweep.json; 'experiments run SWEEP.yaml' writes it)", m);
    }

    @Test
    void numbersAreFormattedWithoutLocaleOrNegativeZero() {
        assertEquals("85.13", Metric.TEST_ACC.format(0.85125));
        assertEquals("0.00", Metric.GAP_ACC.format(-0.00001));
        assertEquals("0.595", Metric.PARAMS.format(594746));
        assertEquals("0.1", Csv.number(0.1));
        assertEquals("594746", Csv.number(594746));
        assertEquals("", Csv.number(Double.NaN));
    }
}
