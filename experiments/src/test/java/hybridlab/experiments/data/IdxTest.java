package hybridlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    static byte[] images(int n, int rows, int cols) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(0x803);
        d.writeInt(n);
        d.writeInt(rows);
        d.writeInt(cols);
        for (int i = 0; i < n * rows * cols; i++) {
            d.writeByte(i % 251);
        }
        return b.toByteArray();
    }

    static byte[] labels(int n) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(0x801);
        d.writeInt(n);
        for (int i = 0; i < n; i++) {
            d.writeByte(i % 10);
        }
        return b.toByteArray();
    }

    static void gzip(Path p, byte[] data) throws IOException {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
            o.write(data);
        }
    }

    @Test
    void readsRawAndGzip() throws Exception {
        Files.write(dir.resolve("a"), images(3, 4, 5));
        gzip(dir.resolve("b.gz"), images(3, 4, 5));
        Idx.Images raw = Idx.readImages(dir.resolve("a")), gz = Idx.readImages(dir.resolve("b.gz"));
        assertEquals(3, raw.count());
        assertEquals(4, raw.rows());
        assertArrayEquals(raw.pixels(), gz.pixels());
        Files.write(dir.resolve("l"), labels(12));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1}, Idx.readLabels(dir.resolve("l")));
    }

    @Test
    void truncatedFileIsAnErrorNamingIt() throws Exception {
        byte[] full = images(3, 4, 5);
        Path p = dir.resolve("cut-images");
        Files.write(p, java.util.Arrays.copyOf(full, full.length - 7));
        DataException e = assertThrows(DataException.class, () -> Idx.readImages(p));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void wrongMagicIsAnErrorNamingIt() throws Exception {
        Path p = dir.resolve("labels-as-images");
        Files.write(p, labels(5));
        DataException e = assertThrows(DataException.class, () -> Idx.readImages(p));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void trailingBytesAreAnError() throws Exception {
        byte[] full = labels(5);
        Path p = dir.resolve("long-labels");
        Files.write(p, java.util.Arrays.copyOf(full, full.length + 3));
        assertThrows(DataException.class, () -> Idx.readLabels(p));
    }

    @Test
    void missingFashionMnistFileSaysHowToProvideIt() {
        DataException e = assertThrows(DataException.class, () -> FashionMnist.train(dir));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte") && e.getMessage().contains("--data-dir"), e.getMessage());
    }

    @Test
    void fashionMnistWithWrongCountIsRejected() throws Exception {
        gzip(dir.resolve("train-images-idx3-ubyte.gz"), images(10, 28, 28));
        gzip(dir.resolve("train-labels-idx1-ubyte.gz"), labels(10));
        DataException e = assertThrows(DataException.class, () -> FashionMnist.train(dir));
        assertTrue(e.getMessage().contains("expected 60000"), e.getMessage());
    }
}
