package hybridlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.data.ImageFolder.Fit;
import hybridlab.experiments.data.ImageFolder.Spec;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntBinaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path dir;

    static Path gray(Path file, int w, int h, IntBinaryOperator value) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, value.applyAsInt(x, y));
            }
        }
        return write(file, img);
    }

    /** {@code value} gives 0xRRGGBB per pixel. */
    static Path rgb(Path file, int w, int h, IntBinaryOperator value) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, value.applyAsInt(x, y));
            }
        }
        return write(file, img);
    }

    static Path write(Path file, BufferedImage img) throws IOException {
        Files.createDirectories(file.getParent());
        String name = file.getFileName().toString().toLowerCase();
        assertTrue(ImageIO.write(img, name.endsWith(".png") ? "png" : "jpeg", file.toFile()), "a writer for " + file);
        return file;
    }

    /** A 4x4 gray PNG whose every pixel is {@code v}. */
    static Path flat(Path file, int v) throws IOException {
        return gray(file, 4, 4, (x, y) -> v);
    }

    static int r(int x, int y) {
        return 10 + 20 * x + y;
    }

    static int g(int x, int y) {
        return 200 - 30 * y + x;
    }

    static int b(int x, int y) {
        return (x * y * 13) % 256;
    }

    DataException fails(Path root, Spec spec, double fraction, String... expected) {
        DataException e = assertThrows(DataException.class, () -> ImageFolder.load(root, spec, fraction, 0));
        for (String s : expected) {
            assertTrue(e.getMessage().contains(s), e.getMessage());
        }
        return e;
    }

    @Test
    void resampleIsTheIdentityAtScaleOneAndBilinearOtherwise() {
        int[] src = new int[5 * 3];
        Arrays.setAll(src, i -> (i * 37) % 256);
        int[] same = Resample.resize(src, 1, 5, 3, 1, 0, 3, 3, 3);
        for (int y = 0; y < 3; y++) {
            assertArrayEquals(Arrays.copyOfRange(src, y * 5 + 1, y * 5 + 4), Arrays.copyOfRange(same, y * 3, y * 3 + 3), "row " + y);
        }
        // 2 -> 4 with half-pixel centres: 0, 25, 75, 100 (edges clamp)
        int[] up = Resample.resize(new int[] {0, 100, 0, 100}, 1, 2, 2, 0, 0, 2, 2, 4);
        for (int y = 0; y < 4; y++) {
            assertArrayEquals(new int[] {0, 25, 75, 100}, Arrays.copyOfRange(up, y * 4, y * 4 + 4));
        }
        // 4 -> 2: a triangle twice as wide, so every source pixel counts: (0.75*0 + 0.75*10 + 0.25*20) / 1.75 = 7.14
        int[] down = Resample.resize(new int[] {0, 10, 20, 30, 0, 10, 20, 30}, 1, 4, 2, 0, 0, 4, 2, 2);
        assertArrayEquals(new int[] {7, 23, 7, 23}, down);
        int[] flat = new int[3 * 7 * 9];
        Arrays.fill(flat, 77);
        for (int v : Resample.resize(flat, 3, 7, 9, 0, 0, 7, 9, 5)) {
            assertEquals(77, v);
        }
    }

    @Test
    void lumaIsBt601() {
        assertEquals(0, Resample.luma(0, 0, 0));
        assertEquals(255, Resample.luma(255, 255, 255));
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            int r = rnd.nextInt(256), g = rnd.nextInt(256), b = rnd.nextInt(256);
            assertEquals(0.299 * r + 0.587 * g + 0.114 * b, Resample.luma(r, g, b), 0.51);
        }
    }

    @Test
    void trainAndTestFoldersLoadWithSortedClassesAndExactPixels() throws Exception {
        Path root = dir.resolve("pets");
        rgb(root.resolve("train/dog/b.png"), 4, 4, (x, y) -> r(x, y) << 16 | g(x, y) << 8 | b(x, y));
        gray(root.resolve("train/dog/a.PNG"), 4, 4, (x, y) -> 100 + x * 4 + y);
        flat(root.resolve("train/cat/z.png"), 30);
        Files.writeString(root.resolve("train/cat/notes.txt"), "not an image, skipped");
        flat(root.resolve("train/cat/.hidden.png"), 1);
        flat(root.resolve("test/cat/1.png"), 40);
        flat(root.resolve("test/dog/2.png"), 50);
        Splits rgb = ImageFolder.load(root, new Spec(4, 3, Fit.RESIZE), 0, 0);
        assertEquals(List.of("cat", "dog"), rgb.classNames());
        Dataset t = rgb.train();
        assertEquals(3, t.count());
        assertArrayEquals(new int[] {0, 1, 1}, t.labels(), "cat/z, dog/a.PNG, dog/b.png");
        assertEquals(3, t.channels());
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                int p = y * 4 + x;
                for (int c = 0; c < 3; c++) {
                    assertEquals((100 + x * 4 + y) / 255f, t.images()[48 + c * 16 + p], "gray read as stored and repeated in channel " + c);
                }
                assertEquals(r(x, y) / 255f, t.images()[96 + p]);
                assertEquals(g(x, y) / 255f, t.images()[96 + 16 + p]);
                assertEquals(b(x, y) / 255f, t.images()[96 + 32 + p]);
                assertEquals(30 / 255f, t.images()[p]);
            }
        }
        assertArrayEquals(new int[] {0, 1}, rgb.test().labels());
        assertEquals(50 / 255f, rgb.test().images()[48]);

        Dataset gray = ImageFolder.load(root, new Spec(4, 1, Fit.RESIZE), 0, 0).train();
        assertEquals(1, gray.channels());
        for (int p = 0; p < 16; p++) {
            int x = p % 4, y = p / 4;
            assertEquals(Resample.luma(r(x, y), g(x, y), b(x, y)) / 255f, gray.images()[32 + p], "RGB to gray by luma");
            assertEquals((100 + x * 4 + y) / 255f, gray.images()[16 + p]);
        }
    }

    @Test
    void centreCropTakesTheMiddleSquareAndResizeTakesAll() throws Exception {
        Path root = dir.resolve("wide");
        IntBinaryOperator v = (x, y) -> 10 * x + y;
        gray(root.resolve("train/a/wide.png"), 8, 4, v);
        gray(root.resolve("train/b/tall.png"), 4, 8, (x, y) -> 10 * y + x);
        flat(root.resolve("test/a/1.png"), 0);
        flat(root.resolve("test/b/1.png"), 0);
        Dataset crop = ImageFolder.load(root, new Spec(4, 1, Fit.CENTER_CROP), 0, 0).train();
        Dataset resized = ImageFolder.load(root, new Spec(4, 1, Fit.RESIZE), 0, 0).train();
        int[] wide = new int[32];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(v.applyAsInt(x + 2, y) / 255f, crop.images()[y * 4 + x], "columns 2..5 of the 8x4 image");
                assertEquals((10 * (y + 2) + x) / 255f, crop.images()[16 + y * 4 + x], "rows 2..5 of the 4x8 image");
            }
        }
        for (int i = 0; i < 32; i++) {
            wide[i] = v.applyAsInt(i % 8, i / 8);
        }
        int[] expected = Resample.resize(wide, 1, 8, 4, 0, 0, 8, 4, 4);
        for (int i = 0; i < 16; i++) {
            assertEquals(expected[i] / 255f, resized.images()[i]);
        }
        assertNotEquals(crop.images()[0], resized.images()[0]);
        Dataset big = ImageFolder.load(root, new Spec(16, 1, Fit.CENTER_CROP), 0, 0).train();
        assertEquals(16, big.size());
    }

    @Test
    void jpegSixteenBitAndPaletteImagesDecode() throws Exception {
        Path root = dir.resolve("mixed");
        rgb(root.resolve("train/a/flat.jpg"), 8, 8, (x, y) -> 200 << 16 | 100 << 8 | 50);
        BufferedImage wide = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
        for (int p = 0; p < 16; p++) {
            wide.getRaster().setSample(p % 4, p / 4, 0, 32896); // 128 in 8 bits
        }
        write(root.resolve("train/b/16bit.png"), wide);
        IndexColorModel palette = new IndexColorModel(8, 2, new byte[] {0, (byte) 250}, new byte[] {0, 20}, new byte[] {0, 5});
        BufferedImage indexed = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED, palette);
        indexed.getRaster().setSample(1, 0, 0, 1);
        write(root.resolve("train/c/palette.png"), indexed);
        for (String c : List.of("a", "b", "c")) {
            flat(root.resolve("test/" + c + "/1.png"), 0);
        }
        Dataset d = ImageFolder.load(root, new Spec(8, 3, Fit.RESIZE), 0, 0).train();
        int per = 3 * 64;
        for (int p = 0; p < 64; p++) {
            assertEquals(200, d.images()[p] * 255, 4, "JPEG red");
            assertEquals(100, d.images()[64 + p] * 255, 4, "JPEG green");
            assertEquals(50, d.images()[128 + p] * 255, 4, "JPEG blue");
            assertEquals(128 / 255f, d.images()[per + p], "16-bit gray, upscaled flat");
        }
        Dataset small = ImageFolder.load(root, new Spec(4, 3, Fit.RESIZE), 0, 0).train();
        int o = 2 * 3 * 16;
        assertEquals(250 / 255f, small.images()[o + 1], "palette red of pixel (1, 0)");
        assertEquals(20 / 255f, small.images()[o + 16 + 1]);
        assertEquals(0f, small.images()[o]);
    }

    @Test
    void oneFolderIsSplitPerClassBySeed() throws Exception {
        Path root = dir.resolve("one");
        int[] sizes = {10, 10, 5};
        int v = 0;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < sizes[c]; i++) {
                flat(root.resolve("class" + c + "/img" + i + ".png"), v++ * 10);
            }
        }
        Spec spec = new Spec(4, 1, Fit.RESIZE);
        Splits s = ImageFolder.load(root, spec, 0.2, 3);
        assertArrayEquals(new int[] {8, 8, 4}, s.train().classCounts());
        assertArrayEquals(new int[] {2, 2, 1}, s.test().classCounts());
        Set<Float> seen = new HashSet<>();
        for (Dataset d : List.of(s.train(), s.test())) {
            for (int i = 0; i < d.count(); i++) {
                float first = d.images()[i * 16];
                assertTrue(seen.add(first), "image " + first * 255 + " in one split only, once");
                assertEquals(d.labels()[i], (int) Math.round(first * 255 / 10) < 10 ? 0 : (int) Math.round(first * 255 / 10) < 20 ? 1 : 2);
            }
        }
        assertEquals(25, seen.size());
        assertArrayEquals(s.test().images(), ImageFolder.load(root, spec, 0.2, 3).test().images());
        boolean differs = false;
        for (long seed = 4; seed < 8 && !differs; seed++) {
            differs = !Arrays.equals(s.test().images(), ImageFolder.load(root, spec, 0.2, seed).test().images());
        }
        assertTrue(differs, "another seed picks other test images");
        fails(root, spec, 0, "test fraction must be in (0, 1)");
        DataException few = assertThrows(DataException.class, () -> ImageFolder.split(root, spec, 0.05, 0));
        assertTrue(few.getMessage().contains(root.resolve("class2").toString()) && few.getMessage().contains("too few"), few.getMessage());
    }

    @Test
    void badImagesAreNamed() throws Exception {
        Path root = dir.resolve("bad");
        Spec spec = new Spec(4, 3, Fit.RESIZE);
        flat(root.resolve("train/a/ok.png"), 1);
        flat(root.resolve("train/b/ok.png"), 2);
        flat(root.resolve("test/a/ok.png"), 1);
        flat(root.resolve("test/b/ok.png"), 2);
        Path garbage = root.resolve("train/b/garbage.png");
        Files.write(garbage, "this is not an image".getBytes());
        fails(root, spec, 0, garbage.toString(), "cannot be decoded");

        Path png = dir.resolve("noise.png"), jpg = dir.resolve("noise.jpg");
        SplittableRandom rnd = new SplittableRandom(2);
        rgb(png, 64, 64, (x, y) -> rnd.nextInt(1 << 24));
        rgb(jpg, 64, 64, (x, y) -> rnd.nextInt(1 << 24));
        byte[] p = Files.readAllBytes(png), j = Files.readAllBytes(jpg);
        Files.delete(garbage);
        Path cutPng = root.resolve("train/b/cut.png");
        Files.write(cutPng, Arrays.copyOf(p, p.length / 2));
        fails(root, spec, 0, cutPng.toString());
        Files.delete(cutPng);
        Path cutJpg = root.resolve("train/a/cut.jpg");
        Files.write(cutJpg, Arrays.copyOf(j, j.length / 2));
        fails(root, spec, 0, cutJpg.toString());
        // two bad files: the first in order is reported, however the decoding threads ran
        Files.write(root.resolve("train/b/zz.png"), new byte[] {1, 2, 3});
        fails(root, spec, 0, cutJpg.toString());
    }

    @Test
    void folderStructureIsChecked() throws Exception {
        Path root = dir.resolve("s");
        Spec spec = new Spec(4, 3, Fit.RESIZE);
        flat(root.resolve("train/a/1.png"), 1);
        flat(root.resolve("train/b/1.png"), 1);
        flat(root.resolve("train/c/1.png"), 1);
        flat(root.resolve("test/a/1.png"), 1);
        flat(root.resolve("test/b/1.png"), 1);
        flat(root.resolve("test/d/1.png"), 1);
        fails(root, spec, 0, "differ", "only in train: [c]", "only in test: [d]");
        Files.createDirectories(root.resolve("test/c"));
        Files.delete(root.resolve("test/d/1.png"));
        Files.delete(root.resolve("test/d"));
        fails(root, spec, 0, root.resolve("test/c").toString(), "empty class");
        flat(root.resolve("test/c/1.png"), 1);
        ImageFolder.load(root, spec, 0, 0);
        fails(root, spec, 0.2, "applies only to a single folder");

        Path one = dir.resolve("single/only");
        flat(one.resolve("1.png"), 1);
        fails(one.getParent(), spec, 0.5, "1 class folder");
        Path noTest = dir.resolve("nt");
        flat(noTest.resolve("train/a/1.png"), 1);
        fails(noTest, spec, 0, noTest.resolve("test").toString(), "missing");
        fails(dir.resolve("absent"), spec, 0, "absent", "not a directory");
        assertThrows(IllegalArgumentException.class, () -> new Spec(4, 2, Fit.RESIZE));
    }
}
