package hybridlab.experiments.report;

import java.util.ArrayList;
import java.util.List;

/** GitHub-flavoured Markdown tables. */
final class Markdown {
    private Markdown() {
    }

    static String table(Table t) {
        StringBuilder sb = new StringBuilder();
        sb.append(row(t.header()));
        List<String> rule = new ArrayList<>();
        for (int c = 0; c < t.header().size(); c++) {
            rule.add(c < t.labelColumns() ? ":--" : "--:");
        }
        sb.append(row(rule));
        for (List<String> r : t.rows()) {
            sb.append(row(r));
        }
        return sb.toString();
    }

    private static String row(List<String> cells) {
        return "| " + String.join(" | ", cells.stream().map(Markdown::escape).toList()) + " |\n";
    }

    private static String escape(String s) {
        return s.replace("|", "\\|");
    }
}
