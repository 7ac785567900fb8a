package hybridlab.experiments.report.figure;

import hybridlab.experiments.report.figure.Canvas.Dash;
import hybridlab.experiments.report.figure.Canvas.Marker;
import java.util.List;

/** One plot of a figure's grid: lines over a value axis, or labelled bars. */
public sealed interface Panel permits Panel.Lines, Panel.Bars {

    /** How one series is drawn; the same variant has the same style in every figure of a report. */
    record Style(Rgb color, Marker marker, Dash dash) {
    }

    /** A point with an error bar of half-height {@code error} (NaN: none). */
    record Point(double x, double y, double error) {
    }

    record Series(String label, Style style, List<Point> points) {
        public Series {
            points = List.copyOf(points);
        }
    }

    /** A vertical reference line at {@code x}, labelled at the top of the plot. */
    record Guide(double x, String label) {
    }

    /** The values a y axis can show (accuracy: 0 to 100%); error bars that reach past it are cut at its edge. */
    record Range(double min, double max) {
        public static final Range ANY = new Range(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY), PERCENT = new Range(0, 100),
                NON_NEGATIVE = new Range(0, Double.POSITIVE_INFINITY);

        double clip(double v) {
            return Math.max(min, Math.min(max, v));
        }
    }

    record Lines(String xTitle, String yTitle, boolean logX, List<Series> series, List<Guide> guides, Range yRange) implements Panel {
        public Lines {
            series = List.copyOf(series);
            guides = List.copyOf(guides);
        }
    }

    /**
     * A bar with its label drawn under it; {@code error} is the half-height of its error bar (NaN:
     * none). A bar may carry a second, lighter one beside it ({@code second}, NaN: none).
     */
    record Bar(String label, Rgb color, double value, double error, double second, double secondError) {
        public static Bar of(String label, Rgb color, double value, double error) {
            return new Bar(label, color, value, error, Double.NaN, Double.NaN);
        }
    }

    record Bars(String yTitle, List<Bar> bars, Range yRange) implements Panel {
        public Bars {
            bars = List.copyOf(bars);
        }
    }
}
