package hybridlab.experiments.report;

import hybridlab.experiments.train.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The report's tables for machines (CSV): raw units, full precision, one line per variant or epoch. */
final class DataTables {
    private DataTables() {
    }

    /**
     * Per variant: run counts, then per reproducible metric its mean, sample std, n (finished runs
     * that have it) and 95% interval of the mean (Student t; empty below two runs).
     */
    static Table metrics(SweepResults r) {
        List<String> keys = r.spec().keys();
        List<String> header = new ArrayList<>(keys);
        header.addAll(List.of("planned", "finished", "diverged", "missing"));
        for (Metric m : Metric.deterministic()) {
            header.addAll(List.of(m.key() + "_mean", m.key() + "_std", m.key() + "_n", m.key() + "_ci95_low", m.key() + "_ci95_high"));
        }
        List<List<String>> rows = new ArrayList<>();
        for (VariantResult v : r.variants()) {
            List<String> row = values(v.coordinates(keys));
            row.addAll(List.of(String.valueOf(v.planned()), String.valueOf(v.finished().size()),
                    String.valueOf(v.diverged().size()), String.valueOf(v.missing().size())));
            for (Metric m : Metric.deterministic()) {
                row.addAll(stats(v.stats(m)));
            }
            rows.add(row);
        }
        return new Table("metrics", "metrics", header, keys.size(), rows);
    }

    /** Per run and epoch: training loss/accuracy as trained, test loss/accuracy, learning rate. */
    static Table epochs(SweepResults r) {
        List<String> keys = r.spec().keys();
        List<String> header = new ArrayList<>(keys);
        header.addAll(List.of("seed", "run_id", "status", "epoch", "train_loss", "train_acc", "test_loss", "test_acc", "lr", "val_loss",
                "val_acc"));
        List<List<String>> rows = new ArrayList<>();
        for (VariantResult v : r.variants()) {
            List<RunRecord> runs = new ArrayList<>(v.finished());
            runs.addAll(v.diverged());
            for (RunRecord rec : runs) {
                for (RunRecord.Epoch e : rec.epochs()) {
                    List<String> row = values(v.coordinates(keys));
                    row.addAll(List.of(String.valueOf(rec.seed()), rec.runId(), rec.status(), String.valueOf(e.epoch()),
                            Csv.number(e.trainLoss()), Csv.number(e.trainAcc()), Csv.number(e.testLoss()),
                            Csv.number(e.testAcc()), Csv.number(e.lr()), optional(e.valLoss()), optional(e.valAcc())));
                    rows.add(row);
                }
            }
        }
        return new Table("epochs", "epochs", header, keys.size() + 3, rows);
    }

    /** Per group, facet and variant: the matched training loss and the test accuracy there, or why there is none. */
    static Table matchedLoss(Partition p, List<MatchedLoss.Comparison> comparisons) {
        List<String> keys = p.results.spec().keys();
        List<String> header = new ArrayList<>(List.of("group"));
        header.addAll(keys);
        header.addAll(List.of("matched_train_loss", "status", "lowest_train_loss", "first_epoch_train_loss", "seeds", "test_acc_per_seed"));
        header.addAll(List.of("test_acc_mean", "test_acc_std", "test_acc_n", "test_acc_ci95_low", "test_acc_ci95_high"));
        List<List<String>> rows = new ArrayList<>();
        for (MatchedLoss.Comparison c : comparisons) {
            for (MatchedLoss.Entry e : c.entries()) {
                List<String> row = new ArrayList<>(List.of(c.group()));
                row.addAll(values(e.variant().coordinates(keys)));
                row.addAll(List.of(Csv.number(c.level()), e.compared() ? "compared" : e.miss().name().toLowerCase(java.util.Locale.ROOT),
                        Csv.number(e.lowest()), Csv.number(e.first()), join(e.bySeed().keySet().stream().map(String::valueOf).toList()),
                        join(e.bySeed().values().stream().map(Csv::number).toList())));
                row.addAll(stats(e.stats()));
                rows.add(row);
            }
        }
        return new Table("matched_loss", "matched_loss", header, keys.size() + 1, rows);
    }

    /** Per pair and metric: the seeds, the per-seed differences (first - second), their mean, std and 95% interval. */
    static Table paired(Partition p, List<PairedDifferences.Pair> pairs) {
        List<String> header = List.of("key", "first", "second", "variant", "metric", "seeds", "differences", "mean", "std", "n", "ci95_low",
                "ci95_high");
        List<List<String>> rows = new ArrayList<>();
        for (PairedDifferences.Pair pair : pairs) {
            for (java.util.Map.Entry<Metric, double[]> d : pair.diffs().entrySet()) {
                rows.add(row(pair, d.getKey().key(), pair.seeds(), d.getValue()));
            }
            if (!pair.matched().isEmpty()) {
                rows.add(row(pair, "test_acc_at_matched_loss", List.copyOf(pair.matched().keySet()),
                        pair.matched().values().stream().mapToDouble(Double::doubleValue).toArray()));
            }
        }
        return new Table("paired", "paired", header, 5, rows);
    }

    private static List<String> row(PairedDifferences.Pair pair, String metric, List<Integer> seeds, double[] diffs) {
        List<String> row = new ArrayList<>(List.of(pair.key(), pair.first(), pair.second(), pair.label(), metric,
                join(seeds.stream().map(String::valueOf).toList()), join(java.util.Arrays.stream(diffs).mapToObj(Csv::number).toList())));
        row.addAll(stats(Stats.of(diffs)));
        return row;
    }

    /** Per data-size line and training fraction: images and test accuracy over the seeds. */
    static Table dataSize(Partition p, List<DataSize.Line> lines) {
        List<String> facetKeys = DataSize.facetKeys(p);
        List<String> header = new ArrayList<>(List.of("group"));
        header.addAll(p.seriesKeys);
        header.addAll(facetKeys);
        header.addAll(List.of(Partition.FRACTION, "train_images", "test_acc_mean", "test_acc_std", "test_acc_n", "test_acc_ci95_low",
                "test_acc_ci95_high"));
        List<List<String>> rows = new ArrayList<>();
        for (DataSize.Line l : lines) {
            for (DataSize.Point pt : l.points()) {
                List<String> row = new ArrayList<>(List.of(l.group()));
                row.addAll(values(l.series()));
                row.addAll(values(l.facet()));
                row.addAll(List.of(pt.fraction(), Csv.number(pt.images())));
                row.addAll(stats(pt.testAcc()));
                rows.add(row);
            }
        }
        return new Table("data_size", "data_size", header, 1 + p.seriesKeys.size() + facetKeys.size() + 1, rows);
    }

    /** mean, std, n, low and high of the 95% interval. */
    private static List<String> stats(Stats s) {
        return List.of(Csv.number(s.mean()), Csv.number(s.std()), String.valueOf(s.n()), Csv.number(s.low95()), Csv.number(s.high95()));
    }

    private static String optional(Double v) {
        return v == null ? "" : Csv.number(v);
    }

    private static String join(List<String> parts) {
        return String.join(";", parts);
    }

    /** Per variant and device: images/s for training and inference. */
    static Table throughput(SweepResults r) {
        List<String> keys = r.spec().keys();
        List<String> header = new ArrayList<>(keys);
        header.addAll(List.of("backend", "device", "cpu", "runs"));
        for (Metric m : List.of(Metric.TRAIN_IMG_S, Metric.INFER_IMG_S)) {
            header.add(m.key() + "_mean");
            header.add(m.key() + "_std");
        }
        List<List<String>> rows = new ArrayList<>();
        for (VariantResult v : r.variants()) {
            for (Map.Entry<String, List<RunRecord>> d : DisplayTables.byDevice(v.finished()).entrySet()) {
                RunRecord.Env env = d.getValue().get(0).env();
                List<String> row = values(v.coordinates(keys));
                row.addAll(List.of(env.backend(), env.device(), env.cpu(), String.valueOf(d.getValue().size())));
                for (Metric m : List.of(Metric.TRAIN_IMG_S, Metric.INFER_IMG_S)) {
                    Stats s = Stats.of(d.getValue().stream().mapToDouble(m::of).toArray());
                    row.add(Csv.number(s.mean()));
                    row.add(Csv.number(s.std()));
                }
                rows.add(row);
            }
        }
        return new Table("throughput", "throughput", header, keys.size() + 4, rows);
    }

    private static List<String> values(List<String> coordinates) {
        List<String> out = new ArrayList<>();
        coordinates.forEach(c -> out.add(c == null ? "" : c));
        return out;
    }
}
