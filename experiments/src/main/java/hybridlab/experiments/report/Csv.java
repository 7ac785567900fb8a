package hybridlab.experiments.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/** RFC 4180 CSV: a header line, then one line per row; fields with commas or quotes are quoted. */
final class Csv {
    private Csv() {
    }

    static String table(Table t) {
        StringBuilder sb = new StringBuilder(line(t.header()));
        for (List<String> r : t.rows()) {
            sb.append(line(r));
        }
        return sb.toString();
    }

    /** A raw value with 8 significant digits and no exponent; empty when there is none. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return new BigDecimal(v).round(new MathContext(8)).stripTrailingZeros().toPlainString();
    }

    private static String line(List<String> cells) {
        return String.join(",", cells.stream().map(Csv::field).toList()) + "\n";
    }

    private static String field(String s) {
        if (s == null) {
            return "";
        }
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
