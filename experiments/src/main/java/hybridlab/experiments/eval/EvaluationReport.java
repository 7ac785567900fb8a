package hybridlab.experiments.eval;

import hybridlab.experiments.config.Files;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * An evaluation's files: {@code evaluation.md} (figures, per-class accuracy, confusion matrix),
 * {@code evaluation.json} (the same at full precision),
 * {@code per_class.csv}, {@code confusion.csv} (rows: true class, columns: predicted) and
 * {@code confusion.png} (each row shaded by its share of the class's images).
 */
public final class EvaluationReport {
    private EvaluationReport() {
    }

    /** Writes the files into {@code dir}; returns their names. */
    public static List<String> write(Evaluation e, String title, Path dir) throws IOException {
        Files.write(dir.resolve("evaluation.md"), markdown(e, title));
        Files.write(dir.resolve("per_class.csv"), perClassCsv(e));
        Files.write(dir.resolve("confusion.csv"), confusionCsv(e));
        Files.write(dir.resolve("confusion.png"), png(e));
        Files.write(dir.resolve("evaluation.json"), Files.JSON.writeValueAsString(e) + "\n");
        return List.of("evaluation.md", "evaluation.json", "per_class.csv", "confusion.csv", "confusion.png");
    }

    static String markdown(Evaluation e, String title) {
        StringBuilder sb = new StringBuilder("# Evaluation of `" + title + "`\n\n");
        sb.append(String.format(Locale.ROOT, "%s split, %d images: loss %.4f, accuracy %.2f%%, inference %.1f images/s.%n%n",
                e.split(), e.images(), e.loss(), 100 * e.accuracy(), e.inferImgS()));
        sb.append("## Per class\n\n| class | name | images | accuracy (%) |\n| --: | :-- | --: | --: |\n");
        for (int c = 0; c < e.confusion().length; c++) {
            sb.append(String.format(Locale.ROOT, "| %d | %s | %d | %s |%n", c, e.classNames().get(c).replace("|", "\\|"), e.classImages(c),
                    Double.isNaN(e.classAccuracy(c)) ? "–" : String.format(Locale.ROOT, "%.2f", 100 * e.classAccuracy(c))));
        }
        sb.append("\n## Confusion matrix\n\nRows: true class; columns: predicted class.\n\n| true / predicted |");
        int k = e.confusion().length;
        for (int c = 0; c < k; c++) {
            sb.append(' ').append(c).append(" |");
        }
        sb.append("\n| --: |").append(" --: |".repeat(k)).append('\n');
        for (int r = 0; r < k; r++) {
            sb.append("| ").append(r).append(" |");
            for (int c = 0; c < k; c++) {
                sb.append(' ').append(e.confusion()[r][c]).append(" |");
            }
            sb.append('\n');
        }
        sb.append("\n![confusion matrix](confusion.png)\n");
        return sb.toString();
    }

    static String perClassCsv(Evaluation e) {
        StringBuilder sb = new StringBuilder("class,name,images,correct,accuracy\n");
        for (int c = 0; c < e.confusion().length; c++) {
            sb.append(c).append(',').append(csv(e.classNames().get(c))).append(',').append(e.classImages(c)).append(',')
                    .append(e.confusion()[c][c]).append(',').append(Double.isNaN(e.classAccuracy(c)) ? "" : String.valueOf(e.classAccuracy(c)))
                    .append('\n');
        }
        return sb.toString();
    }

    static String confusionCsv(Evaluation e) {
        int k = e.confusion().length;
        StringBuilder sb = new StringBuilder("true");
        for (int c = 0; c < k; c++) {
            sb.append(",pred_").append(c);
        }
        sb.append('\n');
        for (int r = 0; r < k; r++) {
            sb.append(r);
            for (int c = 0; c < k; c++) {
                sb.append(',').append(e.confusion()[r][c]);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** A heat map of the row-normalised matrix with its counts, cells smaller as classes grow (up to 100). */
    static byte[] png(Evaluation e) throws IOException {
        int k = e.confusion().length, cell = k <= 12 ? 48 : k <= 30 ? 20 : 8, margin = 60, size = margin + k * cell + 10;
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, size, size);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(8, Math.min(12, cell / 3))));
        FontMetrics fm = g.getFontMetrics();
        for (int r = 0; r < k; r++) {
            long total = e.classImages(r);
            for (int c = 0; c < k; c++) {
                double share = total == 0 ? 0 : (double) e.confusion()[r][c] / total;
                int v = (int) Math.round(255 * (1 - share));
                g.setColor(new Color(v, v, 255));
                g.fillRect(margin + c * cell, margin + r * cell, cell, cell);
                if (cell >= 20) {
                    String t = String.valueOf(e.confusion()[r][c]);
                    g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                    g.drawString(t, margin + c * cell + (cell - fm.stringWidth(t)) / 2, margin + r * cell + (cell + fm.getAscent()) / 2 - 2);
                }
            }
        }
        g.setColor(Color.BLACK);
        int step = cell >= 20 ? 1 : 10;
        for (int i = 0; i < k; i += step) {
            String t = String.valueOf(i);
            g.drawString(t, margin + i * cell + (cell - fm.stringWidth(t)) / 2, margin - 6);
            g.drawString(t, margin - 6 - fm.stringWidth(t), margin + i * cell + (cell + fm.getAscent()) / 2 - 2);
        }
        g.drawString("predicted", margin, 16);
        g.rotate(-Math.PI / 2);
        g.drawString("true", -margin - fm.stringWidth("true") - 40, 16);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
