package hybridlab.experiments.report.figure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;

/**
 * The one font of every figure, DejaVu Sans (Debian's {@code fonts-dejavu-core}), read from its
 * file so that the PNG is drawn, the PDF embeds, and the layout measures the same glyphs on every
 * machine. Text widths come from the font's own advance widths, not from the rasterizer.
 */
public final class Typeface {
    /** Where Debian, Fedora and Arch install it. */
    static final List<Path> PLACES = List.of(Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
            Path.of("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf"), Path.of("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
            Path.of("/usr/share/fonts/TTF/DejaVuSans.ttf"));

    public static final String FAMILY = "DejaVu Sans";

    /** The font is not installed: figures cannot be drawn, the tables still are. */
    public static final class Missing extends Exception {
        private static final long serialVersionUID = 1L;

        Missing() {
            super("the figures need the DejaVu Sans font, found in none of " + PLACES
                    + " (Debian: apt-get install fonts-dejavu-core)");
        }
    }

    private final Path file;
    private final float unitsPerEm, capHeight, descent;
    private final int[] asciiAdvance = new int[128];
    private final TrueTypeFont ttf;
    private final CmapLookup cmap;

    private Typeface(Path file) throws IOException {
        this.file = file;
        ttf = new TTFParser().parse(new RandomAccessReadBufferedFile(file.toFile()));
        cmap = ttf.getUnicodeCmapLookup();
        unitsPerEm = ttf.getUnitsPerEm();
        // DejaVu's OS/2 table is too old to hold the cap height: measure the H
        capHeight = ttf.getGlyph().getGlyph(cmap.getGlyphId('H')).getYMaximum() / unitsPerEm;
        descent = -ttf.getHorizontalHeader().getDescender() / unitsPerEm;
        for (int c = 0; c < 128; c++) {
            asciiAdvance[c] = ttf.getAdvanceWidth(cmap.getGlyphId(c));
        }
    }

    private static Typeface found;

    /** The installed DejaVu Sans, read once. */
    public static synchronized Typeface find() throws Missing, IOException {
        if (found == null) {
            Path f = PLACES.stream().filter(Files::isRegularFile).findFirst().orElseThrow(Missing::new);
            found = new Typeface(f);
        }
        return found;
    }

    public Path file() {
        return file;
    }

    /** The advance width of {@code s} at {@code size} points. */
    public double width(String s, double size) {
        long units = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            units += cp < 128 ? asciiAdvance[cp] : advance(cp);
            i += Character.charCount(cp);
        }
        return units * size / unitsPerEm;
    }

    /** Height of a capital letter above the baseline, for centring text vertically. */
    public double capHeight(double size) {
        return capHeight * size;
    }

    public double descent(double size) {
        return descent * size;
    }

    private int advance(int cp) {
        try {
            return ttf.getAdvanceWidth(cmap.getGlyphId(cp));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(file + ": unreadable glyph metrics", e);
        }
    }
}
