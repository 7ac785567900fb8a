package hybridlab.experiments.report;

import hybridlab.experiments.train.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The report's tables for machines (CSV): raw units, full precision, one line per variant or epoch. */
final class DataTables {
    private DataTables() {
    }

    /** Per variant: run counts, then mean and std of every reproducible metric. */
    static Table metrics(SweepResults r) {
        List<String> keys = r.spec().keys();
        List<String> header = new ArrayList<>(keys);
        header.addAll(List.of("planned", "finished", "diverged", "missing"));
        for (Metric m : Metric.deterministic()) {
            header.add(m.key() + "_mean");
            header.add(m.key() + "_std");
        }
        List<List<String>> rows = new ArrayList<>();
        for (VariantResult v : r.variants()) {
            List<String> row = values(v.coordinates(keys));
            row.addAll(List.of(String.valueOf(v.planned()), String.valueOf(v.finished().size()),
                    String.valueOf(v.diverged().size()), String.valueOf(v.missing().size())));
            for (Metric m : Metric.deterministic()) {
                Stats s = v.stats(m);
                row.add(Csv.number(s.mean()));
                row.add(Csv.number(s.std()));
            }
            rows.add(row);
        }
        return new Table("metrics", "metrics", header, keys.size(), rows);
    }

    /** Per run and epoch: training loss/accuracy as trained, test loss/accuracy, learning rate. */
    static Table epochs(SweepResults r) {
        List<String> keys = r.spec().keys();
        List<String> header = new ArrayList<>(keys);
        header.addAll(List.of("seed", "run_id", "status", "epoch", "train_loss", "train_acc", "test_loss", "test_acc", "lr"));
        List<List<String>> rows = new ArrayList<>();
        for (VariantResult v : r.variants()) {
            List<RunRecord> runs = new ArrayList<>(v.finished());
            runs.addAll(v.diverged());
            for (RunRecord rec : runs) {
                for (RunRecord.Epoch e : rec.epochs()) {
                    List<String> row = values(v.coordinates(keys));
                    row.addAll(List.of(String.valueOf(rec.seed()), rec.runId(), rec.status(), String.valueOf(e.epoch()),
                            Csv.number(e.trainLoss()), Csv.number(e.trainAcc()), Csv.number(e.testLoss()),
                            Csv.number(e.testAcc()), Csv.number(e.lr())));
                    rows.add(row);
                }
            }
        }
        return new Table("epochs", "epochs", header, keys.size() + 3, rows);
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
