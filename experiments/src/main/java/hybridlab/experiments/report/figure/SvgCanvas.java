package hybridlab.experiments.report.figure;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * SVG with text as {@code <text>} elements in the figure's font (selectable, searchable), sized
 * in inches so that it opens at the figure's paper size. Coordinates are printed with two decimals.
 */
final class SvgCanvas implements Canvas {
    private final StringBuilder sb = new StringBuilder();

    SvgCanvas(double width, double height) {
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(n(width / 72)).append("in\" height=\"")
                .append(n(height / 72)).append("in\" viewBox=\"0 0 ").append(n(width)).append(' ').append(n(height)).append("\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n")
                .append("<g font-family=\"'").append(Typeface.FAMILY).append("', Verdana, sans-serif\">\n");
    }

    @Override
    public void polyline(double[] x, double[] y, Pen pen) {
        sb.append("<polyline fill=\"none\" points=\"");
        for (int i = 0; i < x.length; i++) {
            sb.append(i == 0 ? "" : " ").append(n(x[i])).append(',').append(n(y[i]));
        }
        sb.append('"').append(stroke(pen)).append("/>\n");
    }

    @Override
    public void rect(double x, double y, double w, double h, Rgb fill, Pen outline) {
        sb.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w)).append("\" height=\"")
                .append(n(h)).append("\" fill=\"").append(fill.hex()).append('"').append(outline == null ? "" : stroke(outline)).append("/>\n");
    }

    @Override
    public void marker(Marker m, double x, double y, double size, Rgb fill) {
        String rim = "\" fill=\"" + fill.hex() + "\" stroke=\"#ffffff\" stroke-width=\"0.4\"/>\n";
        if (m == Marker.CIRCLE) {
            sb.append("<circle cx=\"").append(n(x)).append("\" cy=\"").append(n(y)).append("\" r=\"").append(n(size / 2)).append(rim);
            return;
        }
        sb.append("<polygon points=\"");
        double[][] pts = Canvas.polygon(m, x, y, size);
        for (int i = 0; i < pts.length; i++) {
            sb.append(i == 0 ? "" : " ").append(n(pts[i][0])).append(',').append(n(pts[i][1]));
        }
        sb.append(rim);
    }

    @Override
    public void text(String s, double x, double y, double size, Align align, boolean vertical, Rgb color) {
        String anchor = switch (align) {
            case START -> "start";
            case MIDDLE -> "middle";
            case END -> "end";
        };
        sb.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" font-size=\"").append(n(size))
                .append("\" text-anchor=\"").append(anchor).append('"');
        if (!color.equals(Rgb.BLACK)) {
            sb.append(" fill=\"").append(color.hex()).append('"');
        }
        if (vertical) {
            sb.append(" transform=\"rotate(-90 ").append(n(x)).append(' ').append(n(y)).append(")\"");
        }
        sb.append('>').append(escape(s)).append("</text>\n");
    }

    @Override
    public byte[] finish() {
        return (sb + "</g>\n</svg>\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String stroke(Pen p) {
        StringBuilder s = new StringBuilder(" stroke=\"").append(p.color().hex()).append("\" stroke-width=\"").append(n(p.width())).append('"');
        if (p.dash() != Dash.SOLID) {
            s.append(" stroke-dasharray=\"");
            for (int i = 0; i < p.dash().pattern.length; i++) {
                s.append(i == 0 ? "" : ",").append(n(p.dash().pattern[i]));
            }
            s.append('"');
        }
        return s.append(" stroke-linejoin=\"round\"").toString();
    }

    /** Two decimals, no trailing zeros, no exponent, no locale. */
    static String n(double v) {
        String s = BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
