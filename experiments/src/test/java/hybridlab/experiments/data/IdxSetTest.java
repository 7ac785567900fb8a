package hybridlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxSetTest {
    @TempDir
    Path dir;

    /** Pixel (n, y, x) of the generated sets. */
    static int pixel(int n, int y, int x) {
        return (n * 37 + y * 11 + x * 5 + y * x) % 256;
    }

    static byte[] images(int n, int rows, int cols) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(0x803);
        d.writeInt(n);
        d.writeInt(rows);
        d.writeInt(cols);
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    d.writeByte(pixel(i, y, x));
                }
            }
        }
        return b.toByteArray();
    }

    static byte[] labels(int... values) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(0x801);
        d.writeInt(values.length);
        for (int v : values) {
            d.writeByte(v);
        }
        return b.toByteArray();
    }

    void set(String prefix, String testStem, byte[] trainImages, byte[] trainLabels, byte[] testImages, byte[] testLabels) throws IOException {
        Files.write(dir.resolve(prefix + "train-images-idx3-ubyte"), trainImages);
        IdxTest.gzip(dir.resolve(prefix + "train-labels-idx1-ubyte.gz"), trainLabels);
        IdxTest.gzip(dir.resolve(prefix + testStem + "-images-idx3-ubyte.gz"), testImages);
        Files.write(dir.resolve(prefix + testStem + "-labels-idx1-ubyte"), testLabels);
    }

    DataException fails(String prefix, String... expected) {
        DataException e = assertThrows(DataException.class, () -> IdxSet.load(dir, prefix, 2, false));
        for (String s : expected) {
            assertTrue(e.getMessage().contains(s), e.getMessage());
        }
        return e;
    }

    @Test
    void sizesCountsAndClassesComeFromTheFiles() throws Exception {
        set("", "t10k", images(7, 20, 20), labels(0, 1, 2, 3, 4, 5, 6), images(3, 20, 20), labels(11, 0, 1));
        Splits s = IdxSet.load(dir, "", 2, false);
        assertEquals(7, s.train().count());
        assertEquals(3, s.test().count());
        assertEquals(24, s.train().size());
        assertEquals(1, s.train().channels());
        assertEquals(12, s.train().classes(), "the test set's label 11 counts too");
        assertArrayEquals(new int[] {11, 0, 1}, s.test().labels());
        float[] px = s.train().images();
        for (int n = 0; n < 7; n++) {
            for (int y = 0; y < 24; y++) {
                for (int x = 0; x < 24; x++) {
                    boolean inside = y >= 2 && y < 22 && x >= 2 && x < 22;
                    assertEquals(inside ? pixel(n, y - 2, x - 2) / 255f : 0f, px[(n * 24 + y) * 24 + x]);
                }
            }
        }
        assertEquals("idx:" + dir.getFileName() + "/train", s.train().name());
    }

    @Test
    void emnistPrefixTestStemAndTransposeWork() throws Exception {
        set("emnist-letters-", "test", images(4, 5, 5), labels(1, 2, 26, 3), images(2, 5, 5), labels(4, 5));
        set("emnist-digits-", "test", images(2, 3, 3), labels(0, 1), images(2, 3, 3), labels(0, 1));
        Splits s = IdxSet.load(dir, "emnist-letters-", 0, true);
        assertEquals(27, s.train().classes(), "letters are labelled 1..26");
        assertEquals(0, s.train().classCounts()[0]);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(pixel(1, x, y) / 255f, s.train().images()[25 + y * 5 + x], "stored transposed, read upright");
            }
        }
        assertEquals(3, IdxSet.load(dir, "emnist-digits-", 0, false).train().size());
        fails("", "emnist-balanced-");
    }

    @Test
    void corruptFilesAreNamed() throws Exception {
        set("", "t10k", images(3, 4, 4), labels(0, 1, 2), images(2, 4, 4), labels(0, 1));
        Path trainImages = dir.resolve("train-images-idx3-ubyte");
        byte[] good = Files.readAllBytes(trainImages);
        Files.write(trainImages, Arrays.copyOf(good, good.length - 5));
        fails("", trainImages.toString(), "truncated");
        Files.write(trainImages, labels(1, 2, 3));
        fails("", trainImages.toString(), "magic");
        Files.write(trainImages, images(4, 4, 4));
        fails("", "train-labels-idx1-ubyte.gz", "3 labels for the 4 images");
        Files.write(trainImages, images(3, 4, 5));
        fails("", trainImages.toString(), "4x5", "square");
        Files.write(trainImages, images(3, 6, 6));
        fails("", "t10k-images-idx3-ubyte.gz", "4x4", "6x6");
        Files.write(trainImages, good);
        Files.write(dir.resolve("test-images-idx3-ubyte"), images(1, 4, 4));
        fails("", "both", "t10k-images-idx3-ubyte", "test-images-idx3-ubyte");
        Files.delete(dir.resolve("test-images-idx3-ubyte"));
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        fails("", dir.resolve("t10k-labels-idx1-ubyte").toString(), "missing");
        assertThrows(DataException.class, () -> IdxSet.load(dir.resolve("absent"), "", 2, false));
    }

    /** The Fashion-MNIST conversion every committed result was trained on, as it was written. */
    static float[] legacyFashionMnist(Idx.Images img) {
        float[] px = new float[img.count() * 32 * 32];
        byte[] raw = img.pixels();
        for (int n = 0; n < img.count(); n++) {
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    px[n * 32 * 32 + (y + 2) * 32 + x + 2] = (raw[(n * 28 + y) * 28 + x] & 0xff) / 255f;
                }
            }
        }
        return px;
    }

    @Test
    void fashionMnistValuesAreUnchangedAndMatchTheGenericLoader() throws Exception {
        set("", "t10k", images(20, 28, 28), labels(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
                images(10, 28, 28), labels(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        Dataset fm = FashionMnist.load(dir, "train", 20);
        Idx.Images raw = Idx.readImages(dir.resolve("train-images-idx3-ubyte"));
        assertArrayEquals(legacyFashionMnist(raw), fm.images());
        Splits generic = IdxSet.load(dir, "", FashionMnist.PAD, false);
        assertArrayEquals(fm.images(), generic.train().images());
        assertArrayEquals(fm.labels(), generic.train().labels());
        assertEquals(fm.size(), generic.train().size());
    }

    @Test
    void officialFashionMnistValuesAreUnchanged() throws Exception {
        Path dir = FashionMnist.locate(null);
        assumeTrue(Files.isDirectory(dir), "Fashion-MNIST not installed at " + dir);
        Dataset test = FashionMnist.test(dir);
        Path file = Files.isRegularFile(dir.resolve("t10k-images-idx3-ubyte")) ? dir.resolve("t10k-images-idx3-ubyte")
                : dir.resolve("t10k-images-idx3-ubyte.gz");
        float[] expected = legacyFashionMnist(Idx.readImages(file)), got = test.images();
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(got[i])) {
                throw new AssertionError("pixel " + i + ": " + expected[i] + " became " + got[i]);
            }
        }
        Splits generic = IdxSet.load(dir, "", FashionMnist.PAD, false);
        assertArrayEquals(got, generic.test().images());
        assertEquals(10, generic.train().classes());
    }
}
