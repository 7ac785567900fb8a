package hybridlab.experiments.report.figure;

import java.io.IOException;

/**
 * Where a figure is drawn, in points (1/72 inch) from the top-left corner, y downwards. Text is
 * kept as text in every vector format; its anchor is the baseline point named by {@code align}.
 */
public interface Canvas {
    enum Align { START, MIDDLE, END }

    enum Dash {
        SOLID(new float[0]), DASHED(new float[] {3.5f, 2f}), DOTTED(new float[] {1f, 1.5f});

        final float[] pattern;

        Dash(float[] pattern) {
            this.pattern = pattern;
        }
    }

    enum Marker { CIRCLE, SQUARE, TRIANGLE, DIAMOND }

    record Pen(double width, Rgb color, Dash dash) {
        public static Pen solid(double width, Rgb color) {
            return new Pen(width, color, Dash.SOLID);
        }
    }

    void polyline(double[] x, double[] y, Pen pen);

    default void line(double x1, double y1, double x2, double y2, Pen pen) {
        polyline(new double[] {x1, x2}, new double[] {y1, y2}, pen);
    }

    /** A filled rectangle, outlined by {@code outline} unless it is null. */
    void rect(double x, double y, double w, double h, Rgb fill, Pen outline);

    /** A filled marker of width {@code size} centred on (x, y), with a thin white rim to separate overlapping points. */
    void marker(Marker m, double x, double y, double size, Rgb fill);

    /** Text at the baseline point (x, y); {@code vertical} turns it 90 degrees to read upwards. */
    void text(String s, double x, double y, double size, Align align, boolean vertical, Rgb color);

    /** The finished file's bytes. */
    byte[] finish() throws IOException;

    /** The corner points of marker {@code m} (a circle is drawn by each format's own primitive). */
    static double[][] polygon(Marker m, double x, double y, double size) {
        double h = size / 2;
        return switch (m) {
            case SQUARE -> new double[][] {{x - h * 0.9, y - h * 0.9}, {x + h * 0.9, y - h * 0.9}, {x + h * 0.9, y + h * 0.9}, {x - h * 0.9, y + h * 0.9}};
            case TRIANGLE -> new double[][] {{x, y - h * 1.1}, {x + h * 1.05, y + h * 0.75}, {x - h * 1.05, y + h * 0.75}};
            case DIAMOND -> new double[][] {{x, y - h * 1.15}, {x + h, y}, {x, y + h * 1.15}, {x - h, y}};
            case CIRCLE -> throw new IllegalArgumentException("a circle has no corners");
        };
    }
}
