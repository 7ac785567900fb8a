package hybridlab.experiments.report;

import hybridlab.experiments.train.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The report's tables for reading (Markdown, LaTeX): values rounded, mean ± std over seeds. */
final class DisplayTables {
    private DisplayTables() {
    }

    /**
     * One metric, paper style: a row per value of the row keys, a column per value of the
     * column keys (one column when there are none).
     */
    static Table metric(SweepResults r, Metric m) {
        ReportSpec spec = r.spec();
        Set<List<String>> rowValues = new LinkedHashSet<>(), colValues = new LinkedHashSet<>();
        for (VariantResult v : r.variants()) {
            rowValues.add(v.coordinates(spec.rows()));
            colValues.add(v.coordinates(spec.columns()));
        }
        List<String> header = new ArrayList<>(spec.rows());
        for (List<String> c : colValues) {
            header.add(spec.columns().isEmpty() ? m.key() : Labels.of(spec.columns(), c));
        }
        List<List<String>> rows = new ArrayList<>();
        for (List<String> rv : rowValues) {
            List<String> row = labels(rv);
            for (List<String> cv : colValues) {
                row.add(r.variants().stream()
                        .filter(v -> v.coordinates(spec.rows()).equals(rv) && v.coordinates(spec.columns()).equals(cv))
                        .findFirst().map(v -> interval(v, m)).orElse(""));
            }
            rows.add(row);
        }
        return new Table(m.key(), m.title(), header, spec.rows().size(), rows);
    }

    /** Every variant on one row with all the sweep's metrics and how many of its runs finished. */
    static Table summary(SweepResults r) {
        ReportSpec spec = r.spec();
        List<String> header = new ArrayList<>(spec.keys());
        header.add("runs");
        spec.metrics().forEach(m -> header.add(m.key()));
        List<List<String>> rows = new ArrayList<>();
        for (VariantResult v : r.variants()) {
            List<String> row = labels(v.coordinates(spec.keys()));
            row.add(runs(v));
            spec.metrics().forEach(m -> row.add(cell(v, m)));
            rows.add(row);
        }
        return new Table("summary", "All metrics", header, spec.keys().size(), rows);
    }

    /** Training and inference images/s per variant and device (measured, so not reproducible). */
    static Table throughput(SweepResults r) {
        ReportSpec spec = r.spec();
        List<String> header = new ArrayList<>(spec.keys());
        header.addAll(List.of("device", "runs", Metric.TRAIN_IMG_S.key(), Metric.INFER_IMG_S.key()));
        List<List<String>> rows = new ArrayList<>();
        for (VariantResult v : r.variants()) {
            for (Map.Entry<String, List<RunRecord>> d : byDevice(v.finished()).entrySet()) {
                List<String> row = labels(v.coordinates(spec.keys()));
                row.add(d.getKey());
                row.add(String.valueOf(d.getValue().size()));
                row.add(meanStd(d.getValue(), Metric.TRAIN_IMG_S));
                row.add(meanStd(d.getValue(), Metric.INFER_IMG_S));
                rows.add(row);
            }
        }
        return new Table("throughput", "Throughput per device (images/s, mean ± std over seeds)", header, spec.keys().size() + 1, rows);
    }

    /** Runs stopped for divergence: where and at which loss. */
    static Table diverged(SweepResults r) {
        ReportSpec spec = r.spec();
        List<String> header = new ArrayList<>(spec.keys());
        header.addAll(List.of("seed", "run", "epoch", "step", "loss"));
        List<List<String>> rows = new ArrayList<>();
        for (VariantResult v : r.variants()) {
            for (RunRecord d : v.diverged()) {
                List<String> row = labels(v.coordinates(spec.keys()));
                row.addAll(List.of(String.valueOf(d.seed()), d.runId(), String.valueOf(d.divergence().epoch() + 1),
                        String.valueOf(d.divergence().step()), String.format(Locale.ROOT, "%.4g", d.divergence().loss())));
                rows.add(row);
            }
        }
        return new Table("diverged", "Diverged runs", header, spec.keys().size() + 2, rows);
    }

    /** Records grouped by the device they ran on, in name order. */
    static Map<String, List<RunRecord>> byDevice(List<RunRecord> records) {
        Map<String, List<RunRecord>> out = new TreeMap<>();
        for (RunRecord rec : records) {
            out.computeIfAbsent(device(rec), k -> new ArrayList<>()).add(rec);
        }
        return out;
    }

    static String device(RunRecord r) {
        return r.env().device() + " (" + r.env().cpu() + ")";
    }

    /** {@code mean ± std}, the seeds used when fewer than planned, or why there is no number. */
    static String cell(VariantResult v, Metric m) {
        if (v.finished().isEmpty()) {
            return v.diverged().isEmpty() ? "missing" : "diverged";
        }
        Stats s = v.stats(m);
        if (s.n() == 0) {
            return Labels.UNSET;
        }
        String text = m.format(s.mean()) + (s.n() > 1 ? " ± " + m.format(s.std()) : "");
        return s.n() < v.planned() ? text + " (" + s.n() + "/" + v.planned() + ")" : text;
    }

    /** {@link #cell} with the 95% interval of the mean after it, {@code [low, high]}, where there are two seeds or more. */
    static String interval(VariantResult v, Metric m) {
        Stats s = v.stats(m);
        if (v.finished().isEmpty() || s.n() < 2 || !m.dependsOnSeed()) {
            return cell(v, m);
        }
        String text = m.format(s.mean()) + " ± " + m.format(s.std()) + " " + ci(s, m::format);
        return s.n() < v.planned() ? text + " (" + s.n() + "/" + v.planned() + ")" : text;
    }

    /** {@code [low, high]}, or {@code –} below two values. */
    static String ci(Stats s, java.util.function.DoubleFunction<String> format) {
        return s.n() < 2 ? Labels.UNSET : "[" + format.apply(s.low95()) + ", " + format.apply(s.high95()) + "]";
    }

    /** Accuracy differences in points with a sign: {@code +0.25}, {@code -1.10}. */
    static String points(double v) {
        String s = String.format(Locale.ROOT, "%+.2f", 100 * v);
        return s.matches("[-+]0\\.00") ? "0.00" : s;
    }

    /** Test accuracy at the matched training loss, per compared variant; the variants without a value are listed apart. */
    static Table matchedLoss(MatchedLoss.Comparison c) {
        List<String> header = List.of("variant", "n", "test acc at matched loss (%)", "95% CI", "epochs", "final test acc (%)");
        List<List<String>> rows = new ArrayList<>();
        for (MatchedLoss.Entry e : c.compared()) {
            Stats s = e.stats(), fin = e.variant().stats(Metric.TEST_ACC);
            rows.add(List.of(e.label(), String.valueOf(s.n()), Metric.TEST_ACC.format(s.mean()) + (s.n() > 1 ? " ± " + Metric.TEST_ACC.format(s.std()) : ""),
                    ci(s, Metric.TEST_ACC::format), String.join(", ", e.segments()), Metric.TEST_ACC.format(fin.mean())));
        }
        String name = "matched_" + (c.group() + "_" + String.join("_", c.facet().stream().map(Labels::value).toList()))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        return new Table(name, "Test accuracy at training loss " + MatchedLoss.loss(c.level()) + ": " + c.group(), header, 1, rows);
    }

    /** Per pair of one key: seeds, the mean test-accuracy difference with its interval and per seed, and the same at matched loss. */
    static Table paired(String key, String first, String second, List<PairedDifferences.Pair> pairs) {
        String d = first + " - " + second;
        List<String> header = List.of("variant", "n", "Δ test acc (" + d + ")", "95% CI", "per seed", "Δ at matched loss", "95% CI");
        List<List<String>> rows = new ArrayList<>();
        for (PairedDifferences.Pair p : pairs) {
            Stats s = p.stats(Metric.TEST_ACC), ml = p.matchedStats();
            List<String> perSeed = new ArrayList<>();
            double[] diffs = p.diffs().get(Metric.TEST_ACC);
            for (int i = 0; i < diffs.length; i++) {
                perSeed.add(p.seeds().get(i) + ": " + points(diffs[i]));
            }
            rows.add(List.of(p.label(), String.valueOf(s.n()), points(s.mean()), ci(s, DisplayTables::points), String.join("; ", perSeed),
                    ml.n() == 0 ? Labels.UNSET : points(ml.mean()) + (ml.n() < s.n() ? " (n=" + ml.n() + ")" : ""),
                    ci(ml, DisplayTables::points)));
        }
        return new Table("paired_" + key, "Paired differences in test accuracy (points): " + key + " " + d, header, 1, rows);
    }

    /** Test accuracy per line and training-set size; † marks the best line at each size. */
    static Table dataSize(List<DataSize.Line> lines, String group) {
        List<DataSize.Line> ls = lines.stream().filter(l -> l.group().equals(group)).toList();
        List<String> fractions = new ArrayList<>();
        java.util.Map<String, Double> images = new java.util.LinkedHashMap<>();
        ls.stream().flatMap(l -> l.points().stream()).sorted(java.util.Comparator.comparingDouble(DataSize.Point::images)).forEach(pt -> {
            if (!fractions.contains(pt.fraction())) {
                fractions.add(pt.fraction());
                images.put(pt.fraction(), pt.images());
            }
        });
        List<String> header = new ArrayList<>(List.of("variant"));
        fractions.forEach(f -> header.add(DataSize.images(images.get(f)) + " (" + Partition.FRACTION + "=" + f + ")"));
        List<List<String>> rows = new ArrayList<>();
        for (DataSize.Line l : ls) {
            List<String> row = new ArrayList<>(List.of(l.label() + (l.facet().isEmpty() || l.facet().stream().allMatch(java.util.Objects::isNull)
                    ? "" : ", " + String.join(", ", l.facet().stream().map(Labels::value).toList()))));
            for (String f : fractions) {
                DataSize.Point pt = l.points().stream().filter(x -> x.fraction().equals(f)).findFirst().orElse(null);
                if (pt == null) {
                    row.add("");
                    continue;
                }
                boolean best = ls.stream().filter(o -> o.facet().equals(l.facet())).flatMap(o -> o.points().stream())
                        .filter(x -> x.fraction().equals(f)).allMatch(x -> x.testAcc().mean() <= pt.testAcc().mean());
                Stats s = pt.testAcc();
                row.add(Metric.TEST_ACC.format(s.mean()) + (s.n() > 1 ? " ± " + Metric.TEST_ACC.format(s.std()) : "") + (best ? " †" : ""));
            }
            rows.add(row);
        }
        String name = "data_size_" + group.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        return new Table(name, "Test accuracy (%) against training-set size: " + group, header, 1, rows);
    }

    /** Model selection on the validation split, for the variants whose records have one. */
    static Table validation(SweepResults r) {
        ReportSpec spec = r.spec();
        List<String> header = new ArrayList<>(spec.keys());
        header.addAll(List.of("runs with validation", "best val acc (%)", "best val epoch", "test acc at best val (%)", "95% CI", "final test acc (%)"));
        List<List<String>> rows = new ArrayList<>();
        for (VariantResult v : r.variants()) {
            List<RunRecord> withVal = v.finished().stream().filter(x -> x.result().bestValEpoch() != null).toList();
            if (withVal.isEmpty()) {
                continue;
            }
            Stats sel = Stats.of(withVal.stream().mapToDouble(Metric.TEST_ACC_AT_BEST_VAL::of).toArray());
            Stats val = Stats.of(withVal.stream().mapToDouble(Metric.BEST_VAL_ACC::of).toArray());
            List<String> row = labels(v.coordinates(spec.keys()));
            row.add(withVal.size() + "/" + v.finished().size());
            row.add(Metric.BEST_VAL_ACC.format(val.mean()));
            row.add(String.join(", ", withVal.stream().map(x -> String.valueOf(x.result().bestValEpoch())).toList()));
            row.add(Metric.TEST_ACC.format(sel.mean()) + (sel.n() > 1 ? " ± " + Metric.TEST_ACC.format(sel.std()) : ""));
            row.add(ci(sel, Metric.TEST_ACC::format));
            row.add(Metric.TEST_ACC.format(Stats.of(withVal.stream().mapToDouble(Metric.TEST_ACC::of).toArray()).mean()));
            rows.add(row);
        }
        return new Table("validation", "Model selection on the validation split", header, spec.keys().size(), rows);
    }

    static String runs(VariantResult v) {
        String text = v.finished().size() + "/" + v.planned();
        return v.diverged().isEmpty() ? text : text + " (" + v.diverged().size() + " diverged)";
    }

    private static String meanStd(List<RunRecord> records, Metric m) {
        Stats s = Stats.of(records.stream().mapToDouble(m::of).toArray());
        return m.format(s.mean()) + (s.n() > 1 ? " ± " + m.format(s.std()) : "");
    }

    private static List<String> labels(List<String> values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(Labels.value(v)));
        return out;
    }
}
