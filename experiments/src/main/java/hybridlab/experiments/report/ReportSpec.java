package hybridlab.experiments.report;

import java.util.ArrayList;
import java.util.List;

/**
 * What the report's tables show: the run keys that label table rows, the keys whose values
 * become columns (one column per value), the metrics (one table each), and how the figures and
 * comparisons group the variants ({@link Grouping#DEFAULT} when the sweep file names none, and
 * in manifests written before the field).
 */
public record ReportSpec(List<String> rows, List<String> columns, List<Metric> metrics, Grouping groups) {
    public ReportSpec {
        rows = List.copyOf(rows);
        columns = List.copyOf(columns);
        metrics = List.copyOf(metrics);
        groups = groups == null ? Grouping.DEFAULT : groups;
    }

    /** The default grouping: one group per model family. */
    public ReportSpec(List<String> rows, List<String> columns, List<Metric> metrics) {
        this(rows, columns, metrics, Grouping.DEFAULT);
    }

    /** Row and column keys: the coordinates that tell the sweep's variants apart. */
    public List<String> keys() {
        List<String> all = new ArrayList<>(rows);
        all.addAll(columns);
        return all;
    }

    /** This spec with every key of {@code varying} that it does not name appended to the rows. */
    public ReportSpec coveringAll(List<String> varying) {
        List<String> r = new ArrayList<>(rows);
        for (String k : varying) {
            if (!rows.contains(k) && !columns.contains(k)) {
                r.add(k);
            }
        }
        return new ReportSpec(r, columns, metrics, groups);
    }
}
