package hybridlab.experiments.report;

import java.util.List;

/** LaTeX {@code table} environments with booktabs rules (the document needs the booktabs package). */
final class Latex {
    private Latex() {
    }

    static String table(Table t, String caption) {
        StringBuilder sb = new StringBuilder();
        sb.append("% ").append(t.name()).append('\n');
        sb.append("\\begin{table}[t]\n\\centering\n\\caption{").append(escape(caption)).append("}\n");
        sb.append("\\label{tab:").append(t.name().replace('_', '-')).append("}\n");
        sb.append("\\begin{tabular}{").append("l".repeat(t.labelColumns()))
                .append("r".repeat(t.header().size() - t.labelColumns())).append("}\n\\toprule\n");
        sb.append(row(t.header())).append("\\midrule\n");
        for (List<String> r : t.rows()) {
            sb.append(row(r));
        }
        sb.append("\\bottomrule\n\\end{tabular}\n\\end{table}\n");
        return sb.toString();
    }

    private static String row(List<String> cells) {
        return String.join(" & ", cells.stream().map(Latex::escape).toList()) + " \\\\\n";
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> sb.append("\\textbackslash{}");
                case '&', '%', '$', '#', '_', '{', '}' -> sb.append('\\').append(c);
                case '~' -> sb.append("\\textasciitilde{}");
                case '^' -> sb.append("\\textasciicircum{}");
                case '±' -> sb.append("$\\pm$");
                case '–' -> sb.append("--");
                case '†' -> sb.append("$^\\dagger$");
                case 'Δ' -> sb.append("$\\Delta$");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
