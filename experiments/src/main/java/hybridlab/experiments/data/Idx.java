package hybridlab.experiments.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the IDX files of (Fashion-)MNIST, raw or gzip-compressed: checks the magic
 * number, the dimensions and that the file holds exactly the bytes its header promises.
 */
public final class Idx {
    private Idx() {
    }

    static final int IMAGES_MAGIC = 0x00000803, LABELS_MAGIC = 0x00000801;

    /** Image bytes {@code (n, rows, cols)} as unsigned values. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
    }

    public static Images readImages(Path file) throws DataException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new DataException(file, String.format("not an IDX image file (magic 0x%08x, expected 0x%08x)", magic, IMAGES_MAGIC));
            }
            int n = in.readInt(), rows = in.readInt(), cols = in.readInt();
            if (n <= 0 || rows <= 0 || cols <= 0 || (long) n * rows * cols > Integer.MAX_VALUE) {
                throw new DataException(file, "implausible dimensions " + n + "x" + rows + "x" + cols);
            }
            byte[] px = new byte[n * rows * cols];
            readFully(in, px, file);
            expectEnd(in, file);
            return new Images(n, rows, cols, px);
        } catch (IOException e) {
            throw new DataException(file, "cannot be read: " + e.getMessage());
        }
    }

    public static int[] readLabels(Path file) throws DataException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new DataException(file, String.format("not an IDX label file (magic 0x%08x, expected 0x%08x)", magic, LABELS_MAGIC));
            }
            int n = in.readInt();
            if (n <= 0) {
                throw new DataException(file, "implausible label count " + n);
            }
            byte[] raw = new byte[n];
            readFully(in, raw, file);
            expectEnd(in, file);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = raw[i] & 0xff;
            }
            return labels;
        } catch (IOException e) {
            throw new DataException(file, "cannot be read: " + e.getMessage());
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read(), b1 = raw.read();
        raw.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw);
    }

    private static void readFully(DataInputStream in, byte[] dst, Path file) throws IOException, DataException {
        try {
            in.readFully(dst);
        } catch (EOFException e) {
            throw new DataException(file, "is truncated: expected " + dst.length + " data bytes after the header");
        }
    }

    private static void expectEnd(DataInputStream in, Path file) throws IOException, DataException {
        if (in.read() != -1) {
            throw new DataException(file, "has trailing bytes after the data its header describes");
        }
    }
}
