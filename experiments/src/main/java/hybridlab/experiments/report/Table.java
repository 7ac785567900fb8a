package hybridlab.experiments.report;

import java.util.List;

/**
 * A table as plain text cells, before any format's escaping. The first {@code labelColumns}
 * columns name the row (left-aligned); the others hold numbers (right-aligned).
 */
public record Table(String name, String title, List<String> header, int labelColumns, List<List<String>> rows) {
    public Table {
        header = List.copyOf(header);
        rows = rows.stream().map(List::copyOf).toList();
        for (List<String> r : rows) {
            if (r.size() != header.size()) {
                throw new IllegalArgumentException("table " + name + ": row " + r + " has " + r.size() + " cells for " + header.size() + " columns");
            }
        }
    }
}
