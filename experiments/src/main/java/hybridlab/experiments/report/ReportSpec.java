package hybridlab.experiments.report;

import java.util.ArrayList;
import java.util.List;

/**
 * What the report's tables show: the run keys that label table rows, the keys whose values
 * become columns (one column per value), and the metrics (one table each).
 */
public record ReportSpec(List<String> rows, List<String> columns, List<Metric> metrics) {
    public ReportSpec {
        rows = List.copyOf(rows);
        columns = List.copyOf(columns);
        metrics = List.copyOf(metrics);
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
        return new ReportSpec(r, columns, metrics);
    }
}
