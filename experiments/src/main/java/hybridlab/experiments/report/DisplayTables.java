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
                        .findFirst().map(v -> cell(v, m)).orElse(""));
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
        String text = m.format(s.mean()) + (s.n() > 1 ? " ± " + m.format(s.std()) : "");
        return s.n() < v.planned() ? text + " (" + s.n() + "/" + v.planned() + ")" : text;
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
