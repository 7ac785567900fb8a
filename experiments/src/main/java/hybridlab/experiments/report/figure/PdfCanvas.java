package hybridlab.experiments.report.figure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.util.Matrix;

/**
 * A one-page PDF of the figure's size: vector paths, and text as text in the figure's font,
 * embedded as a subset (journals ask for embedded fonts). No information dictionary (no dates,
 * no producer), and the file identifier is a hash of the figure's name, so the same drawing
 * gives the same bytes.
 */
final class PdfCanvas implements Canvas {
    private static final double CIRCLE = 0.5523; // Bezier control distance for a quarter circle, per radius

    private final PDDocument doc = new PDDocument();
    private final PDPageContentStream cs;
    private final PDType0Font font;
    private final double height;
    private final String name;

    PdfCanvas(double width, double height, Typeface face, String name) throws IOException {
        this.height = height;
        this.name = name;
        PDPage page = new PDPage(new PDRectangle((float) width, (float) height));
        doc.addPage(page);
        font = PDType0Font.load(doc, face.file().toFile());
        cs = new PDPageContentStream(doc, page);
    }

    @Override
    public void polyline(double[] x, double[] y, Pen pen) {
        io(() -> {
            stroke(pen);
            cs.moveTo(fx(x[0]), fy(y[0]));
            for (int i = 1; i < x.length; i++) {
                cs.lineTo(fx(x[i]), fy(y[i]));
            }
            cs.stroke();
        });
    }

    @Override
    public void rect(double x, double y, double w, double h, Rgb fill, Pen outline) {
        io(() -> {
            fill(fill);
            cs.addRect(fx(x), fy(y + h), (float) w, (float) h);
            if (outline == null) {
                cs.fill();
            } else {
                stroke(outline);
                cs.fillAndStroke();
            }
        });
    }

    @Override
    public void marker(Marker m, double x, double y, double size, Rgb fill) {
        io(() -> {
            fill(fill);
            stroke(Pen.solid(0.4, Rgb.WHITE));
            if (m == Marker.CIRCLE) {
                double r = size / 2, k = CIRCLE * r;
                cs.moveTo(fx(x + r), fy(y));
                cs.curveTo(fx(x + r), fy(y + k), fx(x + k), fy(y + r), fx(x), fy(y + r));
                cs.curveTo(fx(x - k), fy(y + r), fx(x - r), fy(y + k), fx(x - r), fy(y));
                cs.curveTo(fx(x - r), fy(y - k), fx(x - k), fy(y - r), fx(x), fy(y - r));
                cs.curveTo(fx(x + k), fy(y - r), fx(x + r), fy(y - k), fx(x + r), fy(y));
            } else {
                double[][] pts = Canvas.polygon(m, x, y, size);
                cs.moveTo(fx(pts[0][0]), fy(pts[0][1]));
                for (int i = 1; i < pts.length; i++) {
                    cs.lineTo(fx(pts[i][0]), fy(pts[i][1]));
                }
            }
            cs.closePath();
            cs.fillAndStroke();
        });
    }

    @Override
    public void text(String s, double x, double y, double size, Align align, boolean vertical, Rgb color) {
        io(() -> {
            double w = font.getStringWidth(s) / 1000 * size;
            double shift = switch (align) {
                case START -> 0;
                case MIDDLE -> -w / 2;
                case END -> -w;
            };
            fill(color);
            cs.beginText();
            cs.setFont(font, (float) size);
            if (vertical) {
                Matrix m = Matrix.getRotateInstance(Math.PI / 2, fx(x), fy(y));
                m.translate((float) shift, 0);
                cs.setTextMatrix(m);
            } else {
                cs.setTextMatrix(Matrix.getTranslateInstance(fx(x + shift), fy(y)));
            }
            cs.showText(s);
            cs.endText();
        });
    }

    @Override
    public byte[] finish() throws IOException {
        cs.close();
        COSString id = new COSString(Arrays.copyOf(sha256(name), 16));
        COSArray ids = new COSArray();
        ids.add(id);
        ids.add(id);
        doc.getDocument().getTrailer().setItem(COSName.ID, ids);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        doc.save(out);
        doc.close();
        return out.toByteArray();
    }

    private void stroke(Pen p) throws IOException {
        cs.setStrokingColor(p.color().r() / 255f, p.color().g() / 255f, p.color().b() / 255f);
        cs.setLineWidth((float) p.width());
        cs.setLineDashPattern(p.dash().pattern, 0);
        cs.setLineJoinStyle(1);
    }

    private void fill(Rgb c) throws IOException {
        cs.setNonStrokingColor(c.r() / 255f, c.g() / 255f, c.b() / 255f);
    }

    private float fx(double x) {
        return (float) x;
    }

    private float fy(double y) {
        return (float) (height - y);
    }

    private interface Drawing {
        void run() throws IOException;
    }

    /** Content-stream writes go to memory, so an IOException here is a bug, not a user error. */
    private static void io(Drawing d) {
        try {
            d.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
