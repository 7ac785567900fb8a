package hybridlab.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Matched-loss comparison, paired differences, grouping, data size and validation selection, on records made up for them. */
class ComparisonsTest {
    @TempDir
    Path out;

    private final PrintStream warn = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    /** A sweep being put together: variants with their coordinates and the records of their seeds. */
    private final class Sweep {
        final List<Manifest.Variant> variants = new ArrayList<>();

        /** A variant over {@code seeds}; {@code make} gives each seed's record, or null for a run not recorded yet. */
        Sweep variant(Map<String, String> coords, Map<String, Object> keys, int seeds, java.util.function.BiFunction<RunConfig, Integer, RunRecord> make)
                throws Exception {
            List<String> ids = new ArrayList<>();
            for (int seed = 0; seed < seeds; seed++) {
                Map<String, Object> k = new LinkedHashMap<>(keys);
                k.put("seed", seed);
                RunConfig c = RunConfig.defaults().withAll(k, "test");
                ids.add(c.runId());
                RunRecord r = make.apply(c, seed);
                if (r != null) {
                    Files.writeJsonAtomic(Records.file(out.resolve("runs"), r.runId()), r);
                }
            }
            variants.add(new Manifest.Variant(coords, ids));
            return this;
        }

        SweepResults write(ReportSpec spec) throws Exception {
            new Manifest(Manifest.SCHEMA, "cmp", "cmp.yaml", List.of(), spec, variants).write(out);
            return Report.write(out, warn);
        }
    }

    private static Map<String, String> coords(String model, String fusion) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("fusion", fusion);
        return m;
    }

    private static Map<String, Object> keys(String model, String fusion) {
        Map<String, Object> m = new LinkedHashMap<>(Map.of("model", model, "epochs", 3));
        if (fusion != null) {
            m.put("fusion", fusion);
        }
        return m;
    }

    private static java.util.function.BiFunction<RunConfig, Integer, RunRecord> curves(String family, double[][]... bySeed) {
        return (c, seed) -> seed >= bySeed.length || bySeed[seed] == null ? null
                : FakeRecords.ofFamily(FakeRecords.withCurve(c, bySeed[seed][0], bySeed[seed][1]), c.model().name(), family);
    }

    private static double[][] curve(double[] loss, double[] acc) {
        return new double[][] {loss, acc};
    }

    /**
     * CoAtNet group: CCCT pre/post and CCTT pre are covered at loss 0.6; CCCC starts below it,
     * ViT-REL never reaches it; a CoaT variant is a group of its own.
     */
    private SweepResults matchedSweep() throws Exception {
        Sweep s = new Sweep();
        s.variant(coords("coatnet-nano-CCCT", "pre"), keys("coatnet-nano-CCCT", "pre"), 3, curves("coatnet",
                curve(new double[] {1.0, 0.6, 0.4}, new double[] {0.70, 0.80, 0.85}),
                curve(new double[] {1.1, 0.7, 0.5}, new double[] {0.60, 0.75, 0.80})));
        s.variant(coords("coatnet-nano-CCCT", "post"), keys("coatnet-nano-CCCT", "post"), 3, curves("coatnet",
                curve(new double[] {1.2, 0.9, 0.55}, new double[] {0.50, 0.60, 0.70}),
                curve(new double[] {1.3, 0.8, 0.6}, new double[] {0.55, 0.65, 0.72}),
                curve(new double[] {1.3, 0.8, 0.6}, new double[] {0.55, 0.65, 0.90})));
        s.variant(coords("coatnet-nano-CCTT", "pre"), keys("coatnet-nano-CCTT", "pre"), 3, curves("coatnet",
                curve(new double[] {1.0, 0.7, 0.58}, new double[] {0.60, 0.70, 0.80})));
        s.variant(coords("coatnet-nano-CCCC", null), keys("coatnet-nano-CCCC", null), 3, curves("coatnet",
                curve(new double[] {0.5, 0.3, 0.2}, new double[] {0.80, 0.85, 0.86})));
        s.variant(coords("vit-rel-nano", "pre"), keys("vit-rel-nano", "pre"), 3, curves("vit-rel",
                curve(new double[] {2.0, 1.5, 1.2}, new double[] {0.30, 0.50, 0.60})));
        s.variant(coords("coat-lite-nano", null), keys("coat-lite-nano", null), 3, curves("coat",
                curve(new double[] {1.0, 0.8, 0.7}, new double[] {0.60, 0.65, 0.70})));
        return s.write(new ReportSpec(List.of("model", "fusion"), List.of(), Metric.DEFAULTS));
    }

    @Test
    void matchedLossInterpolatesEachRunAtTheLowestLossTheComparedVariantsReach() throws Exception {
        SweepResults r = matchedSweep();
        Partition p = new Partition(r);
        assertEquals(List.of("CoAtNet and ViT-REL", "CoaT"), p.groups, "ViT-REL joins CoAtNet, CoaT is apart");
        List<MatchedLoss.Comparison> cs = MatchedLoss.of(p);
        assertEquals(1, cs.size(), "CoaT has one variant: nothing to compare");
        MatchedLoss.Comparison c = cs.get(0);
        assertEquals(0.6, c.level(), 0);
        assertEquals("coatnet-nano-CCCT, fusion=post", c.setBy());
        Map<String, MatchedLoss.Entry> e = new LinkedHashMap<>();
        c.entries().forEach(x -> e.put(x.label(), x));
        // CCCT pre: seed 0 is at 0.6 at epoch 2 (0.80); seed 1 halfway between 0.7 and 0.5 (0.75 + 0.5 * 0.05)
        assertEquals(expected(0, 0.80, 1, 0.775), round(e.get("coatnet-nano-CCCT, fusion=pre").bySeed()));
        // CCCT post: seed 0 at (0.9 - 0.6) / (0.9 - 0.55) of epochs 2-3; seeds 1, 2 reach 0.6 at epoch 3
        assertEquals(expected(0, 0.6 + 0.3 / 0.35 * 0.1, 1, 0.72, 2, 0.90), round(e.get("coatnet-nano-CCCT, fusion=post").bySeed()));
        assertEquals(List.of("2-3"), e.get("coatnet-nano-CCCT, fusion=post").segments());
        assertEquals(expected(0, 0.7 + 0.1 / 0.12 * 0.1), round(e.get("coatnet-nano-CCTT, fusion=pre").bySeed()));
        assertEquals(MatchedLoss.Miss.STARTS_BELOW, e.get("coatnet-nano-CCCC").miss());
        assertEquals(MatchedLoss.Miss.NEVER_REACHES, e.get("vit-rel-nano, fusion=pre").miss());

        String md = java.nio.file.Files.readString(Report.dir(out).resolve("report.md"));
        assertTrue(md.contains("### CoAtNet and ViT-REL\n\nMatched training loss **0.6000** (the lowest that coatnet-nano-CCCT, fusion=post reaches)."), md);
        Stats pre = Stats.of(new double[] {0.80, 0.775});
        assertTrue(md.contains("| coatnet-nano-CCCT, fusion=pre | 2 | 78.75 ± 1.77 | [" + Metric.TEST_ACC.format(pre.low95()) + ", "
                + Metric.TEST_ACC.format(pre.high95()) + "] | 1-2, 2-3 | 82.50 |"), md);
        assertTrue(md.contains("Not compared: coatnet-nano-CCCC is below it from its first epoch (first epoch 0.5000); "
                + "vit-rel-nano, fusion=pre never reaches it (lowest 1.2000)."), md);
        assertTrue(md.contains("**training loss as trained**"), "the text says which loss: " + md);
        String tex = java.nio.file.Files.readString(Report.dir(out).resolve("tables.tex"));
        assertTrue(tex.contains("\\caption{Test accuracy (\\%) of CoAtNet and ViT-REL at training loss 0.6000 (training loss as trained"), tex);
        assertFalse(tex.contains("textbackslash"), tex);
        assertTrue(tex.contains("$\\Delta$ test acc (pre - post)"), tex);
        assertTrue(tex.contains("coatnet-nano-CCCT, fusion=pre & 2 & 78.75 $\\pm$ 1.77 &"), tex);
        String csv = java.nio.file.Files.readString(Report.dir(out).resolve("matched_loss.csv"));
        assertTrue(csv.contains("\nCoAtNet and ViT-REL,vit-rel-nano,pre,0.6,never_reaches,1.2,2,"), csv);
    }

    @Test
    void levelIsTheLowestLossEveryVariantReachesWhenOneLevelCoversAll() {
        List<RunRecord.Epoch> a = epochs(new double[] {1.0, 0.5, 0.3}, new double[] {0.5, 0.7, 0.8});
        assertEquals(0.7 + (0.5 - 0.4) / (0.5 - 0.3) * 0.1, MatchedLoss.crossing(a, 0.4).testAcc(), 1e-12);
        assertEquals("2-3", MatchedLoss.crossing(a, 0.4).segment());
        assertEquals(0.5, MatchedLoss.crossing(a, 1.0).testAcc(), 0, "at the first epoch's own loss");
        // a curve that rises again is read where it first reaches the level
        List<RunRecord.Epoch> b = epochs(new double[] {1.0, 0.6, 0.8, 0.4}, new double[] {0.5, 0.6, 0.55, 0.7});
        assertEquals(0.5 + 0.5 * 0.1, MatchedLoss.crossing(b, 0.8).testAcc(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> MatchedLoss.crossing(a, 0.2));
        assertThrows(IllegalArgumentException.class, () -> MatchedLoss.crossing(a, 1.1));
    }

    private static List<RunRecord.Epoch> epochs(double[] loss, double[] acc) {
        List<RunRecord.Epoch> out = new ArrayList<>();
        for (int i = 0; i < loss.length; i++) {
            out.add(new RunRecord.Epoch(i + 1, loss[i], 0.5, 0.5, acc[i], 1e-3, 1.0));
        }
        return out;
    }

    /** The per-seed values, rounded to 12 decimals so that hand-computed expectations compare exactly. */
    private static Map<Integer, Double> round(Map<Integer, Double> m) {
        Map<Integer, Double> out = new java.util.TreeMap<>();
        m.forEach((k, v) -> out.put(k, Math.round(v * 1e12) / 1e12));
        return out;
    }

    private static Map<Integer, Double> expected(Object... seedValue) {
        Map<Integer, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < seedValue.length; i += 2) {
            out.put((Integer) seedValue[i], (Double) seedValue[i + 1]);
        }
        return round(out);
    }

    @Test
    void pairedDifferencesAreMatchedBySeed() throws Exception {
        SweepResults r = matchedSweep();
        Partition p = new Partition(r);
        assertEquals(Map.of("fusion", List.of("pre", "post")), PairedDifferences.twoValued(p), "model has four values: no pairs");
        List<PairedDifferences.Pair> pairs = PairedDifferences.of(p, MatchedLoss.of(p));
        assertEquals(1, pairs.size(), "only CCCT has both fusions");
        PairedDifferences.Pair pair = pairs.get(0);
        assertEquals(List.of(0, 1), pair.seeds(), "seed 2 has no pre run");
        double[] d = pair.diffs().get(Metric.TEST_ACC);
        assertEquals(0.85 - 0.70, d[0], 1e-12);
        assertEquals(0.80 - 0.72, d[1], 1e-12);
        Stats s = pair.stats(Metric.TEST_ACC);
        assertEquals((0.15 + 0.08) / 2, s.mean(), 1e-12);
        assertEquals(12.7062047361747 * (0.15 - 0.08) / Math.sqrt(2) / Math.sqrt(2), s.halfWidth95(), 1e-9);
        assertEquals(0.80 - (0.6 + 0.3 / 0.35 * 0.1), pair.matched().get(0), 1e-12);
        assertEquals(0.775 - 0.72, pair.matched().get(1), 1e-12);
        String md = java.nio.file.Files.readString(Report.dir(out).resolve("report.md"));
        assertTrue(md.contains("### `fusion`: pre - post"), md);
        assertTrue(md.contains("| coatnet-nano-CCCT | 2 | +11.50 | [" + DisplayTables.points(s.low95()) + ", " + DisplayTables.points(s.high95())
                + "] | 0: +15.00; 1: +8.00 | +8.46 | "), md);
        String csv = java.nio.file.Files.readString(Report.dir(out).resolve("paired.csv"));
        assertTrue(csv.contains("\nfusion,pre,post,coatnet-nano-CCCT,test_acc,0;1,0.15;0.08,0.115,"), csv);
    }

    @Test
    void groupsFollowTheSpec() throws Exception {
        SweepResults r = matchedSweep();
        ReportSpec byModel = new ReportSpec(List.of("model", "fusion"), List.of(), Metric.DEFAULTS, Grouping.parse("model", "cmp.yaml: report.groups"));
        Partition p = new Partition(new SweepResults(new Manifest(1, "cmp", "cmp.yaml", List.of(), byModel, r.manifest().variants()),
                r.variants(), 0, r.commits()));
        assertEquals(List.of("model=coatnet-nano-CCCT", "model=coatnet-nano-CCTT", "model=coatnet-nano-CCCC", "model=vit-rel-nano",
                "model=coat-lite-nano"), p.groups);
        Grouping named = Grouping.parse(Map.of("layouts", List.of("coatnet-nano-CCCC", "coatnet-nano-CCCT")), "cmp.yaml: report.groups");
        ReportSpec spec = new ReportSpec(List.of("model", "fusion"), List.of(), Metric.DEFAULTS, named);
        p = new Partition(new SweepResults(new Manifest(1, "cmp", "cmp.yaml", List.of(), spec, r.manifest().variants()), r.variants(), 0,
                r.commits()));
        assertEquals(List.of("layouts", "other"), p.groups);
        assertEquals(3, p.variants("layouts").size());

        // the grouping travels in sweep.json; a manifest written before the field groups by family
        new Manifest(1, "cmp", "cmp.yaml", List.of(), spec, r.manifest().variants()).write(out);
        assertEquals(named, Manifest.read(out).report().groups());
        String old = java.nio.file.Files.readString(out.resolve(Manifest.FILE)).replaceAll("(?s),\\s*\"groups\" : \\{[^}]*\\}", "");
        assertFalse(old.contains("groups"), old);
        java.nio.file.Files.writeString(out.resolve(Manifest.FILE), old);
        assertEquals(Grouping.DEFAULT, Manifest.read(out).report().groups());

        String unknown = assertThrows(ConfigException.class, () -> Grouping.parse("sed", "cmp.yaml: report.groups")).getMessage();
        assertTrue(unknown.startsWith("cmp.yaml: report.groups: sed: unknown key (did you mean 'seed'?)"), unknown);
        assertTrue(assertThrows(ConfigException.class, () -> Grouping.parse("seed", "cmp.yaml: report.groups")).getMessage()
                .contains("seed cannot group variants"));
        String twice = assertThrows(ConfigException.class, () -> Grouping.parse(Map.of("a", List.of("m"), "b", List.of("m")),
                "cmp.yaml: report.groups")).getMessage();
        assertTrue(twice.contains("model 'm' is already in group"), twice);
        assertTrue(assertThrows(ConfigException.class, () -> Grouping.parse(List.of(1), "cmp.yaml: report.groups")).getMessage()
                .startsWith("cmp.yaml: report.groups: must be 'family', a run key"));
    }

    @Test
    void dataSizeCurvesStateTheCrossover() throws Exception {
        Sweep s = new Sweep();
        double[] fractions = {0.01, 0.1, 1.0};
        int[] images = {600, 6000, 60000};
        Map<String, double[]> acc = new LinkedHashMap<>();
        acc.put("coatnet-nano-CCCC", new double[] {0.70, 0.80, 0.85});
        acc.put("coatnet-nano-CTTT", new double[] {0.60, 0.78, 0.88});
        for (Map.Entry<String, double[]> m : acc.entrySet()) {
            for (int i = 0; i < 3; i++) {
                int ii = i;
                Map<String, String> c = new LinkedHashMap<>();
                c.put("model", m.getKey());
                c.put("train_fraction", String.valueOf(fractions[i]));
                s.variant(c, Map.of("model", m.getKey(), "train_fraction", fractions[i], "epochs", 2), 1,
                        (cfg, seed) -> FakeRecords.ofFamily(FakeRecords.withTrainImages(FakeRecords.finished(cfg), images[ii], m.getValue()[ii]),
                                m.getKey(), "coatnet"));
            }
        }
        // recorded at one size only: a row of the table, no curve of the figure
        Map<String, String> single = new LinkedHashMap<>(Map.of("model", "vit-rel-nano", "train_fraction", "0.1"));
        s.variant(single, Map.of("model", "vit-rel-nano", "train_fraction", 0.1, "epochs", 2), 1,
                (cfg, seed) -> FakeRecords.ofFamily(FakeRecords.withTrainImages(FakeRecords.finished(cfg), 6000, 0.75), "vit-rel-nano", "coatnet"));
        SweepResults r = s.write(new ReportSpec(List.of("model"), List.of("train_fraction"), Metric.DEFAULTS));
        Partition p = new Partition(r);
        assertTrue(DataSize.applies(p));
        List<DataSize.Crossover> x = DataSize.crossovers(DataSize.lines(p));
        assertEquals(1, x.size());
        assertEquals("coatnet-nano-CTTT", x.get(0).above().label());
        assertEquals(6000 * Math.pow(10, 0.4), x.get(0).images(), 1e-6, "log-linear: 0.02 / (0.02 + 0.03) of the decade");
        String md = java.nio.file.Files.readString(Report.dir(out).resolve("report.md"));
        assertTrue(md.contains("* coatnet-nano-CTTT overtakes coatnet-nano-CCCC between 6,000 and 60,000 training images (at about 15,071, "
                + "interpolated on the log scale)."), md);
        assertTrue(md.contains("| variant | 600 (train_fraction=0.01) | 6,000 (train_fraction=0.1) | 60,000 (train_fraction=1.0) |"), md);
        assertTrue(md.contains("| coatnet-nano-CCCC | 70.00 † | 80.00 † | 85.00 |"), md);
        assertTrue(md.contains("| vit-rel-nano |  | 75.00 |  |"), md);
        assertTrue(java.nio.file.Files.isRegularFile(Report.dir(out).resolve("data_size.pdf")));
        String svg = java.nio.file.Files.readString(Report.dir(out).resolve("data_size.svg"));
        assertTrue(svg.contains(">coatnet-nano-CTTT<"), "a curve's legend entry");
        assertFalse(svg.contains("vit-rel-nano"), "one size is no curve");
        String csv = java.nio.file.Files.readString(Report.dir(out).resolve("data_size.csv"));
        assertTrue(csv.startsWith("group,model,train_fraction,train_images,test_acc_mean,"), csv);
        assertTrue(csv.contains("\nCoAtNet and ViT-REL,coatnet-nano-CTTT,1.0,60000,0.88,0,1,,\n"), csv);
    }

    @Test
    void validationSelectionIsShownWhenRecordsHaveItAndSaidMissingWhenNot() throws Exception {
        SweepResults plain = matchedSweep();
        String md = java.nio.file.Files.readString(Report.dir(out).resolve("report.md"));
        assertTrue(md.contains("No record of this sweep has a validation split"), md);
        assertTrue(DisplayTables.validation(plain).rows().isEmpty());

        Sweep s = new Sweep();
        s.variant(coords("coatnet-nano-CCCT", "pre"), keys("coatnet-nano-CCCT", "pre"), 2,
                (c, seed) -> FakeRecords.withValidation(FakeRecords.finished(c), 0.9, 2 + seed, seed == 0 ? 0.84 : 0.86));
        s.write(new ReportSpec(List.of("model", "fusion"), List.of(), Metric.DEFAULTS));
        md = java.nio.file.Files.readString(Report.dir(out).resolve("report.md"));
        Stats sel = Stats.of(new double[] {0.84, 0.86});
        assertTrue(md.contains("| coatnet-nano-CCCT | pre | 2/2 | 90.00 | 2, 3 | 85.00 ± 1.41 | [" + Metric.TEST_ACC.format(sel.low95()) + ", "
                + Metric.TEST_ACC.format(sel.high95()) + "] |"), md);
    }

    @Test
    void recordsWithoutValidationKeepTheirFormat() throws Exception {
        RunRecord.Epoch e = new RunRecord.Epoch(1, 0.5, 0.8, 0.4, 0.85, 1e-3, 2.0);
        String json = Files.JSON.writeValueAsString(e);
        assertFalse(json.contains("val_"), json);
        RunRecord.Epoch back = Files.JSON.readValue("{\"epoch\":1,\"train_loss\":0.5,\"train_acc\":0.8,\"test_loss\":0.4,\"test_acc\":0.85,"
                + "\"lr\":0.001,\"grad_norm\":2.0}", RunRecord.Epoch.class);
        assertEquals(e, back);
        assertNull(back.valAcc());
        RunRecord.Epoch withVal = new RunRecord.Epoch(1, 0.5, 0.8, 0.4, 0.85, 1e-3, 2.0, 0.45, 0.83);
        assertEquals(withVal, Files.JSON.readValue(Files.JSON.writeValueAsString(withVal), RunRecord.Epoch.class));
        RunRecord.Final f = new RunRecord.Final(0.3, 0.9, 0.4, 0.85, 0.05, -0.1, 0.86, 0.85, 600, 100, 0.88, 3, 0.84, 60);
        assertTrue(Files.JSON.writeValueAsString(f).contains("\"test_acc_at_best_val\""));
        assertEquals(f, Files.JSON.readValue(Files.JSON.writeValueAsString(f), RunRecord.Final.class));
        assertTrue(Double.isNaN(Metric.TEST_ACC_AT_BEST_VAL.of(FakeRecords.finished(RunConfig.defaults()))));
    }
}
