package hybridlab.experiments.report.figure;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * A raster at {@code dpi}, written as PNG with its resolution recorded (so LaTeX places it at the
 * figure's size) and nothing else: no time, no software name. Java2D's software pipeline draws
 * the same pixels for the same calls.
 */
final class PngCanvas implements Canvas {
    private final BufferedImage image;
    private final Graphics2D g;
    private final Font font;
    private final double scale;
    private final int dpi;

    PngCanvas(double width, double height, int dpi, Typeface face) throws IOException {
        this.dpi = dpi;
        scale = dpi / 72.0;
        image = new BufferedImage((int) Math.ceil(width * scale), (int) Math.ceil(height * scale), BufferedImage.TYPE_INT_RGB);
        try {
            font = Font.createFont(Font.TRUETYPE_FONT, face.file().toFile());
        } catch (FontFormatException e) {
            throw new IOException(face.file() + ": not a TrueType font", e);
        }
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.scale(scale, scale);
    }

    @Override
    public void polyline(double[] x, double[] y, Pen pen) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(x[0], y[0]);
        for (int i = 1; i < x.length; i++) {
            p.lineTo(x[i], y[i]);
        }
        g.setColor(awt(pen.color()));
        float[] dash = pen.dash().pattern;
        g.setStroke(dash.length == 0 ? new BasicStroke((float) pen.width(), BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND)
                : new BasicStroke((float) pen.width(), BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f));
        g.draw(p);
    }

    @Override
    public void rect(double x, double y, double w, double h, Rgb fill, Pen outline) {
        Rectangle2D.Double r = new Rectangle2D.Double(x, y, w, h);
        g.setColor(awt(fill));
        g.fill(r);
        if (outline != null) {
            g.setColor(awt(outline.color()));
            g.setStroke(new BasicStroke((float) outline.width()));
            g.draw(r);
        }
    }

    @Override
    public void marker(Marker m, double x, double y, double size, Rgb fill) {
        java.awt.Shape s;
        if (m == Marker.CIRCLE) {
            s = new Ellipse2D.Double(x - size / 2, y - size / 2, size, size);
        } else {
            double[][] pts = Canvas.polygon(m, x, y, size);
            Path2D.Double p = new Path2D.Double();
            p.moveTo(pts[0][0], pts[0][1]);
            for (int i = 1; i < pts.length; i++) {
                p.lineTo(pts[i][0], pts[i][1]);
            }
            p.closePath();
            s = p;
        }
        g.setColor(awt(fill));
        g.fill(s);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(0.4f));
        g.draw(s);
    }

    @Override
    public void text(String s, double x, double y, double size, Align align, boolean vertical, Rgb color) {
        Font f = font.deriveFont((float) size);
        g.setFont(f);
        double w = f.getStringBounds(s, g.getFontRenderContext()).getWidth();
        double shift = switch (align) {
            case START -> 0;
            case MIDDLE -> -w / 2;
            case END -> -w;
        };
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        if (vertical) {
            g.rotate(-Math.PI / 2);
        }
        g.setColor(awt(color));
        g.drawString(s, (float) shift, 0f);
        g.setTransform(saved);
    }

    @Override
    public byte[] finish() throws IOException {
        g.dispose();
        ImageWriter w = ImageIO.getImageWritersByFormatName("png").next();
        IIOMetadata meta = w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), null);
        IIOMetadataNode phys = new IIOMetadataNode("pHYs");
        String perMetre = String.valueOf(Math.round(dpi / 0.0254));
        phys.setAttribute("pixelsPerUnitXAxis", perMetre);
        phys.setAttribute("pixelsPerUnitYAxis", perMetre);
        phys.setAttribute("unitSpecifier", "meter");
        IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
        root.appendChild(phys);
        meta.mergeTree("javax_imageio_png_1.0", root);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            w.setOutput(stream);
            w.write(new IIOImage(image, null, meta));
        } finally {
            w.dispose();
        }
        return out.toByteArray();
    }

    private static Color awt(Rgb c) {
        return new Color(c.r(), c.g(), c.b());
    }
}
