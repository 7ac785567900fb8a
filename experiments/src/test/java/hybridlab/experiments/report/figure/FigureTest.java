package hybridlab.experiments.report.figure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.report.figure.Canvas.Dash;
import hybridlab.experiments.report.figure.Canvas.Marker;
import hybridlab.experiments.report.figure.Panel.Bar;
import hybridlab.experiments.report.figure.Panel.Point;
import hybridlab.experiments.report.figure.Panel.Series;
import hybridlab.experiments.report.figure.Panel.Style;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

class FigureTest {
    /** Records what a figure draws. */
    static final class Recorder implements Canvas {
        record Text(String s, double x, double y, Align align, boolean vertical) {
        }

        final List<double[]> rects = new ArrayList<>(), lines = new ArrayList<>();
        final List<Text> texts = new ArrayList<>();

        @Override
        public void polyline(double[] x, double[] y, Pen pen) {
            if (x.length == 2) {
                lines.add(new double[] {x[0], y[0], x[1], y[1]});
            }
        }

        @Override
        public void rect(double x, double y, double w, double h, Rgb fill, Pen outline) {
            rects.add(new double[] {x, y, w, h});
        }

        @Override
        public void marker(Marker m, double x, double y, double size, Rgb fill) {
        }

        @Override
        public void text(String s, double x, double y, double size, Align align, boolean vertical, Rgb color) {
            texts.add(new Text(s, x, y, align, vertical));
        }

        @Override
        public byte[] finish() {
            return new byte[0];
        }
    }

    static final Style BLUE = new Style(Rgb.PALETTE.get(0), Marker.CIRCLE, Dash.SOLID);

    static Figure bars(List<Bar> bars) {
        return new Figure("bars", List.of(new Figure.Column("group", List.of(new Panel.Bars("gap", bars, Panel.Range.ANY)), List.of())), List.of(""), "note");
    }

    static Figure lines(int legendEntries, int columns) {
        List<Figure.Column> cols = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            List<Figure.Entry> legend = new ArrayList<>();
            for (int i = 0; i < legendEntries; i++) {
                legend.add(new Figure.Entry("variant " + i + " with a long label, fusion=pre", BLUE));
            }
            Series s = new Series("variant 0", BLUE, List.of(new Point(600, 70, 2), new Point(6000, 80, Double.NaN), new Point(60000, 85, 1)));
            cols.add(new Figure.Column("group " + c, List.of(new Panel.Lines("training images", "test accuracy (%)", true, List.of(s),
                    List.of(new Panel.Guide(6000, "matched")), Panel.Range.PERCENT)), legend));
        }
        return new Figure("lines", cols, List.of("train_fraction=0.1"), "Error bars: 95% CI.");
    }

    @Test
    void labelsSitUnderTheirBarsAndOnlyMeansOverSeveralSeedsHaveErrorBars() throws Exception {
        Typeface face = Typeface.find();
        List<Bar> bars = List.of(Bar.of("coatnet-nano-CCCC", Rgb.PALETTE.get(0), 6.5, Double.NaN),
                Bar.of("coatnet-nano-CCTT, fusion=pre", Rgb.PALETTE.get(1), 3.0, 0.8), Bar.of("vit-rel-nano", Rgb.PALETTE.get(2), -0.5, 0.4));
        Recorder rec = new Recorder();
        bars(bars).draw(rec, face);
        List<double[]> drawn = rec.rects.stream().filter(r -> r[2] < 20).toList();
        assertEquals(3, drawn.size());
        for (int i = 0; i < 3; i++) {
            double centre = drawn.get(i)[0] + drawn.get(i)[2] / 2;
            String label = bars.get(i).label();
            Recorder.Text t = rec.texts.stream().filter(x -> x.s().equals(label)).findFirst().orElseThrow();
            double x = t.vertical() ? t.x() - face.capHeight(Figure.TICK) / 2 : t.x();
            assertEquals(centre, x, 1e-9, label + " is under its bar");
            assertTrue(t.y() > drawn.get(i)[1] + drawn.get(i)[3] || bars.get(i).value() < 0, label + " is below the bar");
            long errorLines = rec.lines.stream().filter(l -> l[0] == centre && l[2] == centre).count();
            assertEquals(Double.isNaN(bars.get(i).error()) ? 0 : 1, errorLines, label + ": error bar only where there is an interval");
        }
    }

    @Test
    void theLegendAddsHeightInsteadOfSquashingThePlot() throws Exception {
        Typeface face = Typeface.find();
        Recorder few = new Recorder(), many = new Recorder();
        lines(2, 3).draw(few, face);
        lines(24, 3).draw(many, face);
        assertEquals(plotHeights(few), plotHeights(many));
        assertEquals(Figure.PLOT_HEIGHT, plotHeights(few).get(0), 1e-9);
        assertTrue(lines(24, 3).height(face) > lines(2, 3).height(face) + 22 * Figure.LEGEND);
    }

    @Test
    void aLongRowLabelBreaksAtItsCommasIntoLinesNoTallerThanThePlot() throws Exception {
        Typeface face = Typeface.find();
        String device = "jvm:2 (Intel(R) Xeon(R) Processor, 2 cores)";
        String label = "train_fraction=0.1, " + device;
        assertTrue(face.width(label, Figure.TITLE) > Figure.PLOT_HEIGHT, "the case needs a label longer than a plot is high");
        Figure f = new Figure("rows", lines(2, 2).columns(), List.of(label), "note");
        Recorder rec = new Recorder();
        f.draw(rec, face);
        List<Recorder.Text> rowLines = rec.texts.stream().filter(t -> t.vertical() && label.contains(t.s())).toList();
        // broken only between its parts: the device's own comma stays inside its line
        assertEquals(List.of("train_fraction=0.1,", device), rowLines.stream().map(Recorder.Text::s).toList());
        assertTrue(rowLines.get(1).x() > rowLines.get(0).x(), "lines side by side");
        assertTrue(rowLines.get(1).x() < f.width() - Figure.MARGIN + 1e-9, "inside the figure");
        assertTrue(face.width(rowLines.get(0).s(), Figure.TITLE) <= Figure.PLOT_HEIGHT);

        Recorder single = new Recorder();
        lines(2, 2).draw(single, face);
        assertEquals(1, single.texts.stream().filter(t -> t.vertical() && t.s().equals("train_fraction=0.1")).count());
    }

    /** The lengths of the vertical axis lines (the frame's left side). */
    private static List<Double> plotHeights(Recorder r) {
        return r.lines.stream().filter(l -> l[0] == l[2] && l[3] - l[1] > 50).map(l -> l[3] - l[1]).distinct().toList();
    }

    @Test
    void vectorFormatsKeepTextAsTextAtPaperSizeAndEveryFormatIsReproducible() throws Exception {
        Typeface face = Typeface.find();
        List<byte[]> first = lines(3, 1).encode(face), again = lines(3, 1).encode(face);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(first.get(i), again.get(i), "format " + i);
        }
        String svg = new String(first.get(1), StandardCharsets.UTF_8);
        assertTrue(svg.contains("width=\"3.3in\""), "one column of panels is a single paper column");
        assertTrue(svg.contains(">variant 1 with a long label, fusion=pre</text>"), svg);
        assertTrue(svg.contains("font-family=\"'DejaVu Sans'"), svg);
        assertTrue(new String(lines(3, 2).encode(face).get(1), StandardCharsets.UTF_8).contains("width=\"7in\""));
        try (PDDocument pdf = Loader.loadPDF(first.get(2))) {
            assertEquals(3.3 * 72, pdf.getPage(0).getMediaBox().getWidth(), 1e-3);
            String text = new PDFTextStripper().getText(pdf);
            assertTrue(text.contains("variant 2 with a long label, fusion=pre"), text);
            assertTrue(text.replaceAll("\\s", "").contains("testaccuracy(%)"), "vertical text is text too: " + text);
            assertEquals(null, pdf.getDocumentInformation().getCreationDate());
        }
        ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        reader.setInput(new MemoryCacheImageInputStream(new ByteArrayInputStream(first.get(0))));
        assertEquals(Math.ceil(3.3 * Figure.PNG_DPI), reader.getWidth(0), 1.0);
        IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
        IIOMetadataNode phys = (IIOMetadataNode) root.getElementsByTagName("pHYs").item(0);
        assertEquals(String.valueOf(Math.round(Figure.PNG_DPI / 0.0254)), phys.getAttribute("pixelsPerUnitXAxis"));
        assertEquals(0, root.getElementsByTagName("tIME").getLength(), "no time in the PNG");
    }

    @Test
    void accuracyIntervalsAreCutAtTheAxisEnds() throws Exception {
        Series wide = new Series("two seeds", BLUE, List.of(new Point(600, 80, 60), new Point(6000, 90, Double.NaN)));
        Figure f = new Figure("clip", List.of(new Figure.Column("g", List.of(new Panel.Lines("images", "accuracy", true, List.of(wide),
                List.of(), Panel.Range.PERCENT)), List.of())), List.of(""), "");
        Recorder rec = new Recorder();
        f.draw(rec, Typeface.find());
        double top = rec.lines.stream().filter(l -> l[0] == l[2] && Math.abs(l[3] - l[1] - Figure.PLOT_HEIGHT) < 1e-9).mapToDouble(l -> l[1])
                .min().orElseThrow();
        double bottom = top + Figure.PLOT_HEIGHT;
        // the error bar: a vertical line at the point, with caps; it ends inside the plot (100% sits below the axis top)
        double[] bar = rec.lines.stream().filter(l -> l[0] == l[2] && Math.abs(l[3] - l[1]) > 10 && Math.abs(l[3] - l[1]) < Figure.PLOT_HEIGHT - 1)
                .findFirst().orElseThrow();
        assertTrue(Math.min(bar[1], bar[3]) > top && Math.max(bar[1], bar[3]) < bottom, java.util.Arrays.toString(bar));
        List<Double> ticks = rec.texts.stream().filter(t -> t.s().matches("-?[0-9]+") && t.align() == Canvas.Align.END)
                .map(t -> Double.parseDouble(t.s())).toList();
        assertEquals(100.0, ticks.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), "the axis stops at 100%: " + ticks);
        assertTrue(ticks.stream().allMatch(t -> t >= 0), "and starts at 0 or above: " + ticks);
    }

    @Test
    void theFontIsMeasuredFromItsFile() throws Exception {
        Typeface face = Typeface.find();
        assertEquals(0.729, face.capHeight(1), 0.005, "DejaVu Sans: H is 1493 of 2048 units high");
        assertEquals(face.width("ab", 6) + face.width("c", 6), face.width("abc", 6), 1e-12);
        assertTrue(face.width("coatnet-nano-CCCC", 6) > 40 && face.width("coatnet-nano-CCCC", 6) < 70);
        assertTrue(face.width("±–Δ†", 6) > 0, "the signs the report writes have glyphs");
    }

    @Test
    void axesTickAtRoundNumbers() {
        Axis a = Axis.linear(0, 6.7);
        assertEquals(0, a.min());
        assertEquals(List.of("0", "2", "4", "6"), a.labels());
        assertTrue(a.max() > 6.7);
        assertEquals(List.of("0.80", "0.82", "0.84", "0.86"), Axis.linear(0.795, 0.861).labels());
        Axis b = Axis.linear(-0.05, 6.7);
        assertTrue(b.min() < -0.05 && b.min() > -1, "little room below a small negative value: " + b.min());
        Axis log = Axis.log(600, 60000);
        assertEquals(List.of("500", "1k", "2k", "5k", "10k", "20k", "50k"), log.labels());
        assertEquals(0.5, log.position(Math.sqrt(log.min() * log.max()), 0, 1), 1e-12);
    }
}
