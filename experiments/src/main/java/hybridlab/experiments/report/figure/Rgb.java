package hybridlab.experiments.report.figure;

import java.util.List;
import java.util.Locale;

/** An sRGB colour, 8 bits per channel. */
public record Rgb(int r, int g, int b) {
    public static final Rgb BLACK = new Rgb(0, 0, 0), WHITE = new Rgb(255, 255, 255), GRID = new Rgb(221, 221, 221),
            DARK_GREY = new Rgb(90, 90, 90);

    /**
     * The series colours (matplotlib's "tab10"): distinct in print and for the common colour
     * vision deficiencies when paired with the markers that change every ten series.
     */
    public static final List<Rgb> PALETTE = List.of(of(0x1f77b4), of(0xff7f0e), of(0x2ca02c), of(0xd62728), of(0x9467bd),
            of(0x8c564b), of(0xe377c2), of(0x7f7f7f), of(0xbcbd22), of(0x17becf));

    public static Rgb of(int rgb) {
        return new Rgb(rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff);
    }

    /** This colour moved a fraction {@code t} of the way to white. */
    public Rgb tint(double t) {
        return new Rgb(mix(r, t), mix(g, t), mix(b, t));
    }

    public String hex() {
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    private static int mix(int c, double t) {
        return (int) Math.round(c + (255 - c) * t);
    }
}
