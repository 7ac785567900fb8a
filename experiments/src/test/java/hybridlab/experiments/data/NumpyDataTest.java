package hybridlab.experiments.data;

import static hybridlab.experiments.data.NpyWriter.f32;
import static hybridlab.experiments.data.NpyWriter.i32;
import static hybridlab.experiments.data.NpyWriter.i64;
import static hybridlab.experiments.data.NpyWriter.npy;
import static hybridlab.experiments.data.NpyWriter.u8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.data.NumpyData.ArrayRef;
import hybridlab.experiments.data.NumpyData.Layout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NumpyDataTest {
    @TempDir
    Path dir;

    /**
     * numpy 2.4, deflated with zip64 records as numpy writes them:
     * {@code x = (np.arange(96) % 256).astype(np.uint8).reshape(2, 4, 4, 3); xt = (np.arange(48) * 7 % 256).astype(np.uint8).reshape(1, 4, 4, 3);
     * np.savez_compressed('k.npz', x_train=x, y_train=np.array([[1], [0]]), x_test=xt, y_test=np.array([[1]]))}.
     */
    static final String NUMPY_NPZ = "UEsDBC0AAAAIAAAAIQAcisZa//////////8LABQAeF90cmFpbi5ucHkBABAA4AAAAAAAAACpAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loF"
            + "5Taqiuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GkY6CiZgZKypo1CrQAbgYmBkYmZhZWPn4OTi5uHl4xcQFBIWERUTl5CUkpaRlZNX"
            + "UFRSVlFVU9fQ1NLW0dXTNzA0MjYxNTO3sLSytrG1s3dwdHJ2cXVz9/D08vbx9fMPCAwKDgkNC4+IjIqOiY2LBwBQSwMELQAAAAgAAAAhAIlupb"
            + "r//////////wsAFAB5X3RyYWluLm5weQEAEACQAAAAAAAAAEoAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgbpNpoa6joJ6WX1RSlJgXn1+U"
            + "kgoSd0vMKU4FihdnJBakAvkaRjoKhpo6CrUKZAMuRgZUAABQSwMELQAAAAgAAAAhADLjxvH//////////woAFAB4X3Rlc3QubnB5AQAQALAAAA"
            + "AAAAAAewAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBeU2qorqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RqGOgomYGSsqaNQq0AG"
            + "4GJg5xOVUdYytLB38w2JTsosKK9r7Zk8a+GK9dv2Hjl96eaD5+++/mHmEpSQV9M1sXbyBABQSwMELQAAAAgAAAAhAA6qBKX//////////woAFA"
            + "B5X3Rlc3QubnB5AQAQAIgAAAAAAAAASgAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBuk2mhrqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ck"
            + "FqQC+RqGOgqGmjoKtQpkAy5GBggAAFBLAQItAy0AAAAIAAAAIQAcisZaqQAAAOAAAAALAAAAAAAAAAAAAACAAQAAAAB4X3RyYWluLm5weVBLAQ"
            + "ItAy0AAAAIAAAAIQCJbqW6SgAAAJAAAAALAAAAAAAAAAAAAACAAeYAAAB5X3RyYWluLm5weVBLAQItAy0AAAAIAAAAIQAy48bxewAAALAAAAAK"
            + "AAAAAAAAAAAAAACAAW0BAAB4X3Rlc3QubnB5UEsBAi0DLQAAAAgAAAAhAA6qBKVKAAAAiAAAAAoAAAAAAAAAAAAAAIABJAIAAHlfdGVzdC5ucH"
            + "lQSwUGAAAAAAQABADiAAAAqgIAAAAA";

    /** {@code n} images of {@code c x s x s} whose element at NCHW position {@code (i, ch, y, x)} is {@code value(i, ch, y, x)}. */
    static int value(int i, int ch, int y, int x) {
        return (i * 31 + ch * 50 + y * 7 + x * 3) % 256;
    }

    static byte[] nhwcBytes(int n, int c, int s) {
        byte[] b = new byte[n * s * s * c];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        b[((i * s + y) * s + x) * c + ch] = (byte) value(i, ch, y, x);
                    }
                }
            }
        }
        return b;
    }

    static float[] nchwFloats(int n, int c, int s) {
        float[] f = new float[n * c * s * s];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < s; y++) {
                    for (int x = 0; x < s; x++) {
                        f[((i * c + ch) * s + y) * s + x] = value(i, ch, y, x) * 0.01f - 1;
                    }
                }
            }
        }
        return f;
    }

    Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** x_train.npy ... y_test.npy in the temporary folder. */
    void folder(byte[] xTrain, byte[] yTrain, byte[] xTest, byte[] yTest) throws Exception {
        write("x_train.npy", xTrain);
        write("y_train.npy", yTrain);
        write("x_test.npy", xTest);
        write("y_test.npy", yTest);
    }

    Splits loadFolder(Layout layout) throws DataException {
        return NumpyData.load(dir, "x_train", "y_train", "x_test", "y_test", layout);
    }

    DataException fails(Layout layout, String... expected) {
        DataException e = assertThrows(DataException.class, () -> loadFolder(layout));
        for (String s : expected) {
            assertTrue(e.getMessage().contains(s), e.getMessage());
        }
        return e;
    }

    @Test
    void readsTheArchiveNumpyWrote() throws Exception {
        Path npz = write("k.npz", Base64.getDecoder().decode(NUMPY_NPZ));
        Splits s = NumpyData.load(npz, NumpyData.TRAIN_IMAGES, NumpyData.TRAIN_LABELS, NumpyData.TEST_IMAGES, NumpyData.TEST_LABELS, Layout.AUTO);
        assertEquals(2, s.train().count());
        assertEquals(3, s.train().channels());
        assertEquals(4, s.train().size());
        assertEquals(2, s.train().classes());
        assertArrayEquals(new int[] {1, 0}, s.train().labels());
        assertArrayEquals(new int[] {1}, s.test().labels());
        // NHWC element (i, y, x, c) holds (((i * 4 + y) * 4 + x) * 3 + c) % 256, now at NCHW (i, c, y, x)
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        float expected = ((((i * 4 + y) * 4 + x) * 3 + c) % 256) / 255f;
                        assertEquals(expected, s.train().images()[((i * 3 + c) * 4 + y) * 4 + x]);
                    }
                }
            }
        }
        assertEquals(7 / 255f, s.test().images()[16], "test image, channel 1, pixel 0: NHWC element 1 = 7");
    }

    @Test
    void uint8NhwcFolderScalesAndTransposes() throws Exception {
        folder(npy("|u1", new int[] {5, 6, 6, 3}, nhwcBytes(5, 3, 6)), npy("<i8", new int[] {5}, i64(0, 1, 2, 3, 1)),
                npy("|u1", new int[] {2, 6, 6, 3}, nhwcBytes(2, 3, 6)), npy("|u1", new int[] {2}, u8(4, 0)));
        Splits s = loadFolder(Layout.AUTO);
        assertEquals(5, s.train().classes(), "one more than the largest label of either split");
        assertArrayEquals(new int[] {4, 0}, s.test().labels());
        Dataset d = s.train();
        for (int i = 0; i < 5; i++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 6; y++) {
                    for (int x = 0; x < 6; x++) {
                        assertEquals(value(i, c, y, x) / 255f, d.images()[((i * 3 + c) * 6 + y) * 6 + x]);
                    }
                }
            }
        }
        assertEquals(Splits.indexNames(5), s.classNames());
    }

    @Test
    void float32NchwAndGrayArraysAreTakenAsTheyAre() throws Exception {
        float[] train = nchwFloats(3, 2, 5), test = nchwFloats(1, 2, 5);
        folder(npy("<f4", new int[] {3, 2, 5, 5}, f32(train)), npy("<i4", new int[] {3, 1}, i32(2, 0, 1)),
                npy("<f4", new int[] {1, 2, 5, 5}, f32(test)), npy("<i4", new int[] {1, 1}, i32(1)));
        Splits s = loadFolder(Layout.AUTO);
        assertArrayEquals(train, s.train().images());
        assertArrayEquals(test, s.test().images());
        assertEquals(2, s.train().channels());
        assertArrayEquals(new int[] {2, 0, 1}, s.train().labels());

        float[] gray = nchwFloats(4, 1, 3);
        folder(npy("<f4", new int[] {4, 3, 3}, f32(gray)), npy("<i8", new int[] {4}, i64(0, 1, 0, 1)),
                npy("<f4", new int[] {4, 3, 3}, f32(gray)), npy("<i8", new int[] {4}, i64(1, 1, 0, 0)));
        Splits g = loadFolder(Layout.AUTO);
        assertEquals(1, g.train().channels());
        assertEquals(3, g.train().size());
        assertArrayEquals(gray, g.train().images());
    }

    @Test
    void layoutIsDetectedOnlyWhenUnambiguous() throws Exception {
        // (2, 3, 3, 3) is square under both layouts
        float[] cube = nchwFloats(2, 3, 3);
        byte[] labels = npy("<i8", new int[] {2}, i64(0, 1));
        folder(npy("<f4", new int[] {2, 3, 3, 3}, f32(cube)), labels, npy("<f4", new int[] {2, 3, 3, 3}, f32(cube)), labels);
        fails(Layout.AUTO, "x_train.npy", "both NHWC and NCHW", "name the layout");
        assertArrayEquals(cube, loadFolder(Layout.NCHW).train().images());
        float[] asNhwc = loadFolder(Layout.NHWC).train().images();
        // NHWC reading puts the array's last axis first
        assertEquals(cube[1], asNhwc[9], "element (0, 0, 0, 1) is channel 1 of pixel (0, 0)");

        folder(npy("<f4", new int[] {2, 3, 4, 5}, f32(new float[120])), labels, npy("<f4", new int[] {2, 3, 4, 5}, f32(new float[120])), labels);
        fails(Layout.AUTO, "x_train.npy", "no square images");
        folder(npy("<f4", new int[] {2, 4, 4, 3}, f32(new float[96])), labels, npy("<f4", new int[] {2, 4, 4, 3}, f32(new float[96])), labels);
        fails(Layout.NCHW, "x_train.npy", "under NCHW its images are 4x3");
    }

    @Test
    void specsNameFilesAndArchiveEntries() throws Exception {
        NpyWriter.npz(dir.resolve("train.npz"), false, Map.of("imgs", npy("|u1", new int[] {2, 2, 2}, u8(1, 2, 3, 4, 5, 6, 7, 8)),
                "labels", npy("|u1", new int[] {2}, u8(0, 1))));
        write("test-x.npy", npy("|u1", new int[] {1, 2, 2}, u8(9, 9, 9, 9)));
        NpyWriter.npz(dir.resolve("test-y.npz"), true, Map.of("arr_0", npy("<i8", new int[] {1}, i64(1))));
        Splits s = NumpyData.load(dir, "train.npz:imgs", "train.npz:labels", "test-x.npy", "test-y.npz:arr_0", Layout.AUTO);
        assertEquals(5 / 255f, s.train().images()[4]);
        assertEquals(9 / 255f, s.test().images()[0]);
        assertEquals(new ArrayRef(dir.resolve("a.npz"), "x"), ArrayRef.resolve(dir, "a.npz:x"));
        assertEquals(new ArrayRef(dir.resolve("x.npy"), null), ArrayRef.resolve(dir, "x"));
        Path archive = dir.resolve("train.npz");
        assertEquals(new ArrayRef(archive, "imgs"), ArrayRef.resolve(archive, "imgs"));
        assertEquals(archive + ":imgs", ArrayRef.resolve(archive, "imgs").toString());
    }

    @Test
    void labelsAreCheckedAgainstTheirImages() throws Exception {
        byte[] x = npy("|u1", new int[] {3, 2, 2}, new byte[12]), x1 = npy("|u1", new int[] {1, 2, 2}, new byte[4]);
        byte[] y1 = npy("<i8", new int[] {1}, i64(0));
        folder(x, npy("<i8", new int[] {2}, i64(0, 1)), x1, y1);
        fails(Layout.AUTO, "y_train.npy", "2 labels for the 3 images", "x_train.npy");
        folder(x, npy("<f4", new int[] {3}, f32(0, 1, 2)), x1, y1);
        fails(Layout.AUTO, "y_train.npy", "float32 labels");
        folder(x, npy("<i8", new int[] {3, 2}, i64(0, 1, 2, 0, 1, 2)), x1, y1);
        fails(Layout.AUTO, "y_train.npy", "(3, 2)");
        folder(x, npy("<i8", new int[] {3}, i64(0, 1, 2)), x1, npy("<i8", new int[] {1}, i64(-3)));
        fails(Layout.AUTO, "y_test.npy", "label -3");
        folder(x, npy("<i8", new int[] {3}, i64(0, 1, 1L << 40)), x1, y1);
        fails(Layout.AUTO, "y_train.npy", "label " + (1L << 40));
    }

    @Test
    void imagesAreCheckedForTypeShapeAndValues() throws Exception {
        byte[] y = npy("<i8", new int[] {2}, i64(0, 1));
        byte[] good = npy("|u1", new int[] {2, 3, 3}, new byte[18]);
        folder(npy("<i8", new int[] {2, 2, 2}, i64(0, 0, 0, 0, 0, 0, 0, 0)), y, good, y);
        fails(Layout.AUTO, "x_train.npy", "int64 images");
        folder(npy("|u1", new int[] {2, 3, 4}, new byte[24]), y, good, y);
        fails(Layout.AUTO, "x_train.npy", "3x4 images");
        folder(npy("|u1", new int[] {2, 9}, new byte[18]), y, good, y);
        fails(Layout.AUTO, "x_train.npy", "(2, 9)");
        folder(good, y, npy("|u1", new int[] {2, 4, 4}, new byte[32]), y);
        fails(Layout.AUTO, "x_test.npy", "1x4x4", "x_train.npy", "1x3x3");
        float[] nan = new float[18];
        nan[13] = Float.NaN;
        folder(good, y, npy("<f4", new int[] {2, 3, 3}, f32(nan)), y);
        fails(Layout.AUTO, "x_test.npy", "NaN at image 1");
        folder(npy("|u1", new int[] {0, 3, 3}, new byte[0]), npy("<i8", new int[] {0}, new byte[0]), good, y);
        fails(Layout.AUTO, "x_train.npy", "no images");
        Files.delete(dir.resolve("x_test.npy"));
        fails(Layout.AUTO, "x_test.npy", "missing");
    }
}
