package hybridlab.experiments.report.figure;

import hybridlab.experiments.report.figure.Canvas.Align;
import hybridlab.experiments.report.figure.Canvas.Pen;
import hybridlab.experiments.report.figure.Panel.Bar;
import hybridlab.experiments.report.figure.Panel.Bars;
import hybridlab.experiments.report.figure.Panel.Guide;
import hybridlab.experiments.report.figure.Panel.Lines;
import hybridlab.experiments.report.figure.Panel.Point;
import hybridlab.experiments.report.figure.Panel.Series;
import hybridlab.experiments.report.figure.Panel.Style;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A figure for a paper: a grid of panels (a column per group of variants, titled on top; a row
 * per facet, labelled on the right), a legend under each column that adds height rather than
 * taking it from the plots, and a note at the bottom. One column is a single paper column
 * (3.3 in) wide, more are a full page width (7 in). Fonts are 5 to 7 pt at that size.
 *
 * @param rowLabels one per row ("" for none)
 * @param note      what the marks mean (error bars, n), wrapped to the figure's width
 */
public record Figure(String name, List<Column> columns, List<String> rowLabels, String note) {

    /** A column of panels, one per row (null where that row has nothing of this column). */
    public record Column(String title, List<Panel> cells, List<Entry> legend) {
        public Column {
            cells = java.util.Collections.unmodifiableList(new ArrayList<>(cells));
            legend = List.copyOf(legend);
        }
    }

    public record Entry(String label, Style style) {
    }

    public Figure {
        columns = List.copyOf(columns);
        rowLabels = List.copyOf(rowLabels);
        for (Column c : columns) {
            if (c.cells().size() != rowLabels.size()) {
                throw new IllegalArgumentException(name + ": column '" + c.title() + "' has " + c.cells().size() + " cells for "
                        + rowLabels.size() + " rows");
            }
        }
    }

    public static final double SINGLE_COLUMN = 3.3 * 72, FULL_WIDTH = 7 * 72;
    public static final int PNG_DPI = 200;

    static final double TITLE = 7, AXIS_TITLE = 6.5, TICK = 6, LEGEND = 6, NOTE = 6, SMALL = 5;
    static final double MARGIN = 4, PLOT_HEIGHT = 100, TICK_LENGTH = 2, MARKER = 3.4, LINE = 1.0, THIN = 0.5;
    static final double MAX_BAR_LABEL = 140;

    public double width() {
        return columns.size() <= 1 ? SINGLE_COLUMN : FULL_WIDTH;
    }

    public boolean isEmpty() {
        return columns.isEmpty() || rowLabels.isEmpty();
    }

    /** The figure as PNG, SVG and PDF bytes, in that order. */
    public List<byte[]> encode(Typeface face) throws IOException {
        Layout l = new Layout(face);
        List<byte[]> out = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            Canvas c = switch (f) {
                case 0 -> new PngCanvas(width(), l.height, PNG_DPI, face);
                case 1 -> new SvgCanvas(width(), l.height);
                default -> new PdfCanvas(width(), l.height, face, name);
            };
            l.draw(c);
            out.add(c.finish());
        }
        return out;
    }

    /** The figure's height in points: the plots, the legends under them and the note. */
    double height(Typeface face) {
        return new Layout(face).height;
    }

    void draw(Canvas c, Typeface face) {
        new Layout(face).draw(c);
    }

    /** Every position of the figure, measured with the font's own advance widths. */
    private final class Layout {
        final Typeface face;
        final double columnWidth, rowLabelWidth, legendHeight, noteTop, height;
        final double[] rowTop, bottomMargin;
        final List<String> noteLines;
        /** Each row's label in the lines it is drawn in, side by side, each at most a plot high. */
        final List<List<String>> rowLabelLines;

        Layout(Typeface face) {
            this.face = face;
            rowLabelLines = rowLabels.stream().map(s -> splitAtCommas(s, PLOT_HEIGHT, TITLE)).toList();
            int labelLines = rowLabelLines.stream().mapToInt(List::size).max().orElse(0);
            rowLabelWidth = labelLines == 0 ? 0 : labelLines * (TITLE + 2) + 2;
            columnWidth = (width() - 2 * MARGIN - rowLabelWidth) / columns.size();
            int rows = rowLabels.size();
            rowTop = new double[rows + 1];
            bottomMargin = new double[rows];
            double y = MARGIN + TITLE + 4;
            for (int r = 0; r < rows; r++) {
                for (Column c : columns) {
                    Panel p = c.cells().get(r);
                    if (p != null) {
                        bottomMargin[r] = Math.max(bottomMargin[r], bottom(p));
                    }
                }
                rowTop[r] = y;
                y += PLOT_HEIGHT + bottomMargin[r] + 6;
            }
            rowTop[rows] = y;
            double legend = 0;
            for (Column c : columns) {
                legend = Math.max(legend, legendRows(c) * (LEGEND + 2.5));
            }
            legendHeight = legend == 0 ? 0 : legend + 4;
            noteTop = y + legendHeight;
            noteLines = wrap(note, width() - 2 * MARGIN, NOTE);
            height = Math.ceil(noteTop + noteLines.size() * (NOTE + 2) + MARGIN);
        }

        void draw(Canvas c) {
            for (int col = 0; col < columns.size(); col++) {
                Column column = columns.get(col);
                double x0 = MARGIN + col * columnWidth;
                c.text(column.title(), x0 + columnWidth / 2, MARGIN + TITLE, TITLE, Align.MIDDLE, false, Rgb.BLACK);
                for (int r = 0; r < rowLabels.size(); r++) {
                    Panel p = column.cells().get(r);
                    if (p != null) {
                        panel(c, p, x0, rowTop[r], columnWidth, bottomMargin[r]);
                    }
                }
                legend(c, column, x0, rowTop[rowLabels.size()]);
            }
            for (int r = 0; r < rowLabels.size(); r++) {
                List<String> lines = rowLabelLines.get(r);
                for (int i = 0; i < lines.size(); i++) {
                    double x = width() - MARGIN - rowLabelWidth + TITLE + i * (TITLE + 2);
                    c.text(lines.get(i), x, rowTop[r] + PLOT_HEIGHT / 2, TITLE, Align.MIDDLE, true, Rgb.BLACK);
                }
            }
            for (int i = 0; i < noteLines.size(); i++) {
                c.text(noteLines.get(i), MARGIN, noteTop + NOTE + i * (NOTE + 2), NOTE, Align.START, false, Rgb.DARK_GREY);
            }
        }

        /** Room under a panel's plot: tick labels and the axis title, or the bar labels. */
        double bottom(Panel p) {
            return switch (p) {
                case Lines l -> TICK_LENGTH + TICK + 4 + AXIS_TITLE + 2;
                case Bars b -> barsVertical(b) ? Math.min(MAX_BAR_LABEL, maxLabel(b)) + 6 : TICK + 6;
            };
        }

        double maxLabel(Bars b) {
            return b.bars().stream().mapToDouble(x -> face.width(x.label(), TICK)).max().orElse(0);
        }

        /** Vertical bar labels when the widest one does not fit in its bar's slot (the plot is about 40 pt narrower than its column). */
        boolean barsVertical(Bars b) {
            return maxLabel(b) > (columnWidth - 40) / Math.max(1, b.bars().size()) - 2;
        }

        int legendRows(Column c) {
            if (c.legend().isEmpty()) {
                return 0;
            }
            return (c.legend().size() + legendColumns(c) - 1) / legendColumns(c);
        }

        int legendColumns(Column c) {
            double w = c.legend().stream().mapToDouble(e -> entryWidth(e)).max().orElse(1);
            return (int) Math.max(1, Math.floor((columnWidth - 8) / (w + 8)));
        }

        double entryWidth(Entry e) {
            return 14 + 3 + face.width(e.label(), LEGEND);
        }

        void legend(Canvas c, Column column, double x0, double top) {
            int cols = legendColumns(column), rows = legendRows(column);
            double w = column.legend().stream().mapToDouble(this::entryWidth).max().orElse(0) + 8;
            double left = x0 + (columnWidth - Math.min(cols, column.legend().size()) * w + 8) / 2;
            for (int i = 0; i < column.legend().size(); i++) {
                Entry e = column.legend().get(i);
                double x = left + (i / rows) * w, y = top + 4 + (i % rows) * (LEGEND + 2.5);
                double mid = y + LEGEND / 2;
                c.line(x, mid, x + 14, mid, new Pen(LINE, e.style().color(), e.style().dash()));
                c.marker(e.style().marker(), x + 7, mid, MARKER, e.style().color());
                c.text(e.label(), x + 17, mid + face.capHeight(LEGEND) / 2, LEGEND, Align.START, false, Rgb.BLACK);
            }
        }

        void panel(Canvas c, Panel p, double x0, double top, double w, double bottom) {
            switch (p) {
                case Lines l -> lines(c, l, x0, top, w);
                case Bars b -> bars(c, b, x0, top, w, bottom);
            }
        }

        /** Left edge of the plot: room for the y tick labels and the y axis title. */
        double plotLeft(double x0, Axis y) {
            double ticks = y.labels().stream().mapToDouble(s -> face.width(s, TICK)).max().orElse(0);
            return x0 + AXIS_TITLE + 3 + ticks + 2 + TICK_LENGTH;
        }

        void yAxis(Canvas c, Axis y, String title, double x0, double left, double right, double top) {
            double bottom = top + PLOT_HEIGHT;
            for (int i = 0; i < y.ticks().size(); i++) {
                double py = y.position(y.ticks().get(i), bottom, top);
                c.line(left, py, right, py, Pen.solid(0.4, Rgb.GRID));
                c.line(left - TICK_LENGTH, py, left, py, Pen.solid(THIN, Rgb.BLACK));
                c.text(y.labels().get(i), left - TICK_LENGTH - 1.5, py + face.capHeight(TICK) / 2, TICK, Align.END, false, Rgb.BLACK);
            }
            c.text(title, x0 + AXIS_TITLE, top + PLOT_HEIGHT / 2, AXIS_TITLE, Align.MIDDLE, true, Rgb.BLACK);
        }

        void lines(Canvas c, Lines l, double x0, double top, double w) {
            double xlo = Double.POSITIVE_INFINITY, xhi = Double.NEGATIVE_INFINITY, ylo = xlo, yhi = xhi;
            for (Series s : l.series()) {
                for (Point p : s.points()) {
                    double e = Double.isNaN(p.error()) ? 0 : p.error();
                    xlo = Math.min(xlo, p.x());
                    xhi = Math.max(xhi, p.x());
                    ylo = Math.min(ylo, l.yRange().clip(p.y() - e));
                    yhi = Math.max(yhi, l.yRange().clip(p.y() + e));
                }
            }
            for (Guide g : l.guides()) {
                xlo = Math.min(xlo, g.x());
                xhi = Math.max(xhi, g.x());
            }
            Axis x = l.logX() ? Axis.log(xlo, xhi) : Axis.linear(xlo, xhi), y = Axis.linear(ylo, yhi);
            double left = plotLeft(x0, y), right = x0 + w - 8, bottom = top + PLOT_HEIGHT;
            for (int i = 0; i < x.ticks().size(); i++) {
                double px = x.position(x.ticks().get(i), left, right);
                c.line(px, top, px, bottom, Pen.solid(0.4, Rgb.GRID));
            }
            yAxis(c, y, l.yTitle(), x0, left, right, top);
            for (int i = 0; i < x.ticks().size(); i++) {
                // no tick mark: the grid line marks the place, and a mark above a decimal point reads as a colon
                double px = x.position(x.ticks().get(i), left, right);
                c.text(x.labels().get(i), px, bottom + TICK_LENGTH + 2 + face.capHeight(TICK), TICK, Align.MIDDLE, false, Rgb.BLACK);
            }
            c.text(l.xTitle(), (left + right) / 2, bottom + TICK_LENGTH + TICK + 4 + AXIS_TITLE - 1, AXIS_TITLE, Align.MIDDLE, false, Rgb.BLACK);
            for (Guide g : l.guides()) {
                double px = x.position(g.x(), left, right);
                c.line(px, top, px, bottom, new Pen(0.6, Rgb.DARK_GREY, Canvas.Dash.DASHED));
                boolean flip = px + face.width(g.label(), SMALL) + 2 > right;
                c.text(g.label(), flip ? px - 1.5 : px + 1.5, top + SMALL + 1, SMALL, flip ? Align.END : Align.START, false, Rgb.DARK_GREY);
            }
            for (Series s : l.series()) {
                int n = s.points().size();
                double[] px = new double[n], py = new double[n];
                for (int i = 0; i < n; i++) {
                    px[i] = x.position(s.points().get(i).x(), left, right);
                    py[i] = y.position(s.points().get(i).y(), bottom, top);
                }
                if (n > 1) {
                    c.polyline(px, py, new Pen(LINE, s.style().color(), s.style().dash()));
                }
                for (int i = 0; i < n; i++) {
                    Point p = s.points().get(i);
                    if (!Double.isNaN(p.error())) {
                        errorBar(c, px[i], y.position(l.yRange().clip(p.y() - p.error()), bottom, top),
                                y.position(l.yRange().clip(p.y() + p.error()), bottom, top), s.style().color());
                    }
                }
                for (int i = 0; i < n; i++) {
                    c.marker(s.style().marker(), px[i], py[i], MARKER, s.style().color());
                }
            }
            frame(c, left, right, top, bottom);
        }

        void bars(Canvas c, Bars b, double x0, double top, double w, double bottomRoom) {
            double lo = 0, hi = 0;
            for (Bar bar : b.bars()) {
                for (double[] v : new double[][] {{bar.value(), bar.error()}, {bar.second(), bar.secondError()}}) {
                    if (!Double.isNaN(v[0])) {
                        double e = Double.isNaN(v[1]) ? 0 : v[1];
                        lo = Math.min(lo, b.yRange().clip(v[0] - e));
                        hi = Math.max(hi, b.yRange().clip(v[0] + e));
                    }
                }
            }
            Axis y = Axis.linear(lo, hi);
            double left = plotLeft(x0, y), right = x0 + w - 8, bottom = top + PLOT_HEIGHT;
            yAxis(c, y, b.yTitle(), x0, left, right, top);
            double slot = (right - left) / b.bars().size();
            boolean vertical = barsVertical(b);
            double zero = y.position(0, bottom, top);
            for (int i = 0; i < b.bars().size(); i++) {
                Bar bar = b.bars().get(i);
                double cx = left + (i + 0.5) * slot;
                boolean pair = !Double.isNaN(bar.second());
                double bw = Math.min(pair ? slot * 0.4 : slot * 0.7, 16);
                bar(c, y, b.yRange(), bar.value(), bar.error(), pair ? cx - bw / 2 : cx, bw, bar.color(), null, bottom, top, zero);
                if (pair) {
                    bar(c, y, b.yRange(), bar.second(), bar.secondError(), cx + bw / 2, bw, bar.color().tint(0.6), Pen.solid(0.5, bar.color()),
                            bottom, top, zero);
                }
                String label = fit(bar.label(), MAX_BAR_LABEL);
                if (vertical) {
                    c.text(label, cx + face.capHeight(TICK) / 2, bottom + 4, TICK, Align.END, true, Rgb.BLACK);
                } else {
                    c.text(label, cx, bottom + 4 + face.capHeight(TICK), TICK, Align.MIDDLE, false, Rgb.BLACK);
                }
            }
            if (lo < 0) {
                c.line(left, zero, right, zero, Pen.solid(THIN, Rgb.BLACK));
            }
            frame(c, left, right, top, bottom);
        }

        void bar(Canvas c, Axis y, Panel.Range range, double value, double error, double cx, double bw, Rgb fill, Pen outline, double bottom,
                 double top, double zero) {
            if (Double.isNaN(value)) {
                return;
            }
            double py = y.position(value, bottom, top);
            c.rect(cx - bw / 2, Math.min(py, zero), bw, Math.abs(zero - py), fill, outline);
            if (!Double.isNaN(error)) {
                errorBar(c, cx, y.position(range.clip(value - error), bottom, top), y.position(range.clip(value + error), bottom, top), Rgb.BLACK);
            }
        }

        void errorBar(Canvas c, double x, double y1, double y2, Rgb color) {
            Pen pen = Pen.solid(0.6, color);
            c.line(x, y1, x, y2, pen);
            c.line(x - 1.5, y1, x + 1.5, y1, pen);
            c.line(x - 1.5, y2, x + 1.5, y2, pen);
        }

        void frame(Canvas c, double left, double right, double top, double bottom) {
            Pen pen = Pen.solid(THIN, Rgb.BLACK);
            c.line(left, top, left, bottom, pen);
            c.line(left, bottom, right, bottom, pen);
        }

        /** {@code s} cut to {@code max} points with an ellipsis. */
        String fit(String s, double max) {
            if (face.width(s, TICK) <= max) {
                return s;
            }
            String t = s;
            while (t.length() > 1 && face.width(t + "…", TICK) > max) {
                t = t.substring(0, t.length() - 1);
            }
            return t + "…";
        }

        /**
         * A label ("key=value, key=value, device (cpu, cores)") in lines of at most {@code w}, broken
         * only at the commas between its parts, never inside brackets; none for an empty label.
         */
        List<String> splitAtCommas(String text, double w, double size) {
            List<String> parts = new ArrayList<>();
            int depth = 0, start = 0;
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                if (ch == '(' || ch == '[' || ch == '{') {
                    depth++;
                } else if (ch == ')' || ch == ']' || ch == '}') {
                    depth--;
                } else if (ch == ',' && depth == 0 && i + 1 < text.length() && text.charAt(i + 1) == ' ') {
                    parts.add(text.substring(start, i + 1));
                    start = i + 2;
                }
            }
            parts.add(text.substring(start));
            List<String> lines = new ArrayList<>();
            String line = "";
            for (String part : parts) {
                String next = line.isEmpty() ? part : line + " " + part;
                if (!line.isEmpty() && face.width(next, size) > w) {
                    lines.add(line);
                    line = part;
                } else {
                    line = next;
                }
            }
            if (!line.isEmpty()) {
                lines.add(line);
            }
            return lines;
        }

        List<String> wrap(String text, double w, double size) {
            List<String> lines = new ArrayList<>();
            if (text == null || text.isEmpty()) {
                return lines;
            }
            StringBuilder line = new StringBuilder();
            for (String word : text.split(" ")) {
                String next = line.isEmpty() ? word : line + " " + word;
                if (!line.isEmpty() && face.width(next, size) > w) {
                    lines.add(line.toString());
                    line = new StringBuilder(word);
                } else {
                    line = new StringBuilder(next);
                }
            }
            lines.add(line.toString());
            return lines;
        }
    }
}
