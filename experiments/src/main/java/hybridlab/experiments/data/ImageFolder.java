package hybridlab.experiments.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Images in class folders, decoded by the JDK's ImageIO (PNG and JPEG: files ending in
 * {@code .png}, {@code .jpg} or {@code .jpeg}, any case; other files and hidden entries are
 * skipped). Either {@code ROOT/train/CLASS/*} and {@code ROOT/test/CLASS/*} with the same class
 * folders, or {@code ROOT/CLASS/*} split into training and test images by a seeded, stratified
 * fraction. Class {@code k} is the {@code k}-th class folder name in sorted order; images within
 * a class are taken in file-name order. Each image becomes {@code size x size}: {@link Fit#RESIZE}
 * scales it whole (aspect ratio not kept), {@link Fit#CENTER_CROP} scales its largest central
 * square. Gray output converts colour by BT.601 luma; colour output repeats a gray image's
 * channel; alpha is dropped.
 */
public final class ImageFolder {
    private ImageFolder() {
    }

    public static final String TRAIN = "train", TEST = "test";

    public enum Fit {
        RESIZE, CENTER_CROP
    }

    /** What every image becomes: {@code channels x size x size}, by {@code fit}. */
    public record Spec(int size, int channels, Fit fit) {
        public Spec {
            if (size < 1) {
                throw new IllegalArgumentException("image size must be positive, got " + size);
            }
            if (channels != 1 && channels != 3) {
                throw new IllegalArgumentException("channels must be 1 (gray) or 3 (RGB), got " + channels);
            }
        }
    }

    /** One class folder and its image files in order. */
    record ClassFolder(String name, Path dir, List<Path> files) {
    }

    /**
     * {@code ROOT/train} and {@code ROOT/test} when {@code ROOT/train} exists ({@code testFraction}
     * must then be 0), else {@code ROOT} split with {@code testFraction} in (0, 1) and {@code splitSeed}.
     */
    public static Splits load(Path root, Spec spec, double testFraction, long splitSeed) throws DataException {
        if (!Files.isDirectory(root)) {
            throw new DataException(root, "is not a directory; expected class folders, or train/ and test/ folders of them");
        }
        if (Files.isDirectory(root.resolve(TRAIN))) {
            if (testFraction != 0) {
                throw new DataException(root, "has a train/ folder, so its test set is test/; a test fraction (" + testFraction
                        + ") applies only to a single folder of classes");
            }
            return load(root.resolve(TRAIN), root.resolve(TEST), spec);
        }
        return split(root, spec, testFraction, splitSeed);
    }

    /** Separate training and test folders with the same class folders. */
    public static Splits load(Path trainDir, Path testDir, Spec spec) throws DataException {
        if (!Files.isDirectory(testDir)) {
            throw new DataException(testDir, "is missing: a training folder " + trainDir + " needs a test folder with the same classes");
        }
        List<ClassFolder> train = classes(trainDir), test = classes(testDir);
        List<String> trainNames = train.stream().map(ClassFolder::name).toList(), testNames = test.stream().map(ClassFolder::name).toList();
        if (!trainNames.equals(testNames)) {
            TreeSet<String> onlyTrain = new TreeSet<>(trainNames), onlyTest = new TreeSet<>(testNames);
            onlyTrain.removeAll(testNames);
            onlyTest.removeAll(trainNames);
            throw new DataException("class folders of " + trainDir + " and " + testDir + " differ: only in " + trainDir.getFileName() + ": "
                    + onlyTrain + ", only in " + testDir.getFileName() + ": " + onlyTest);
        }
        String name = "images:" + trainDir.toAbsolutePath().getParent().getFileName();
        return new Splits(decode(name + "/train", train, spec), decode(name + "/test", test, spec), trainNames);
    }

    /**
     * One folder of classes split per class: the first {@code round(testFraction * count)} images
     * of a seeded shuffle of each class are the test set, the rest the training set (both kept in
     * file order). The split depends on the seed and the files only, so every run of a sweep
     * that shares the seed tests on the same images.
     */
    public static Splits split(Path dir, Spec spec, double testFraction, long seed) throws DataException {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new DataException(dir, "has no train/ and test/ folders, so it is split into training and test images: the test fraction must be"
                    + " in (0, 1), got " + testFraction);
        }
        List<ClassFolder> classes = classes(dir);
        List<Integer> trainRows = new ArrayList<>(), testRows = new ArrayList<>();
        int offset = 0;
        for (int c = 0; c < classes.size(); c++) {
            ClassFolder cf = classes.get(c);
            int n = cf.files.size(), k = (int) Math.round(testFraction * n);
            if (k == 0 || k == n) {
                throw new DataException(cf.dir, "holds " + n + " image" + (n == 1 ? "" : "s") + ": too few to split with test fraction "
                        + testFraction + " (each class needs a training and a test image)");
            }
            int[] idx = IntStream.range(0, n).toArray();
            Subsets.shuffle(idx, new SplittableRandom(seed * 1_000_003L + c));
            boolean[] test = new boolean[n];
            for (int i = 0; i < k; i++) {
                test[idx[i]] = true;
            }
            for (int i = 0; i < n; i++) {
                (test[i] ? testRows : trainRows).add(offset + i);
            }
            offset += n;
        }
        Dataset all = decode("images:" + dir.toAbsolutePath().getFileName(), classes, spec);
        return new Splits(all.select(all.name() + "/train", trainRows.stream().mapToInt(Integer::intValue).toArray()),
                all.select(all.name() + "/test", testRows.stream().mapToInt(Integer::intValue).toArray()),
                classes.stream().map(ClassFolder::name).toList());
    }

    /** The class folders of {@code dir}, sorted by name, each with its image files sorted by name. */
    static List<ClassFolder> classes(Path dir) throws DataException {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir, "is not a directory");
        }
        List<Path> dirs = list(dir).stream().filter(Files::isDirectory).toList();
        if (dirs.size() < 2) {
            throw new DataException(dir, "holds " + dirs.size() + " class folder" + (dirs.size() == 1 ? "" : "s")
                    + "; expected one sub-folder of images per class, at least two");
        }
        List<ClassFolder> out = new ArrayList<>();
        for (Path d : dirs) {
            List<Path> files = list(d).stream().filter(ImageFolder::isImage).toList();
            if (files.isEmpty()) {
                throw new DataException(d, "is an empty class: it holds no .png, .jpg or .jpeg files");
            }
            out.add(new ClassFolder(d.getFileName().toString(), d, files));
        }
        return out;
    }

    /** Non-hidden entries of {@code dir} sorted by name. */
    private static List<Path> list(Path dir) throws DataException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new DataException(dir, "cannot be listed: " + e.getMessage());
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg")) && Files.isRegularFile(p);
    }

    /** All images of {@code classes} in order, decoded in parallel into fixed slots; the first failure in order is reported. */
    private static Dataset decode(String name, List<ClassFolder> classes, Spec spec) throws DataException {
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            for (Path f : classes.get(c).files) {
                files.add(f);
                labels.add(c);
            }
        }
        int per = spec.channels * spec.size * spec.size;
        float[] px = new float[Math.multiplyExact(files.size(), per)];
        DataException[] failed = new DataException[files.size()];
        IntStream.range(0, files.size()).parallel().forEach(i -> {
            try {
                int[] img = image(files.get(i), spec);
                for (int j = 0; j < per; j++) {
                    px[i * per + j] = img[j] / 255f;
                }
            } catch (DataException e) {
                failed[i] = e;
            }
        });
        for (DataException e : failed) {
            if (e != null) {
                throw e;
            }
        }
        return new Dataset(name, px, labels.stream().mapToInt(Integer::intValue).toArray(), spec.channels, spec.size, classes.size());
    }

    /** One file as {@code (channels, size, size)} samples in 0..255. */
    static int[] image(Path file, Spec spec) throws DataException {
        BufferedImage img = read(file);
        int w = img.getWidth(), h = img.getHeight();
        int[] src = samples(img, spec.channels);
        int x0 = 0, y0 = 0, cw = w, ch = h;
        if (spec.fit == Fit.CENTER_CROP) {
            cw = ch = Math.min(w, h);
            x0 = (w - cw) / 2;
            y0 = (h - ch) / 2;
        }
        if (x0 == 0 && y0 == 0 && cw == spec.size && ch == spec.size) {
            return src;
        }
        return Resample.resize(src, spec.channels, w, h, x0, y0, cw, ch, spec.size);
    }

    /** Decodes with a reader that turns its warnings (a truncated JPEG decodes with gray filler otherwise) into errors. */
    private static BufferedImage read(Path file) throws DataException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new DataException(file, "cannot be opened");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DataException(file, "cannot be decoded: not a PNG or JPEG image");
            }
            ImageReader reader = readers.next();
            try {
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
                reader.setInput(in, true, true);
                BufferedImage img = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new DataException(file, "is damaged (" + reader.getFormatName() + " decoder: " + warnings.get(0) + ")");
                }
                if (img.getWidth() < 1 || img.getHeight() < 1) {
                    throw new DataException(file, "has no pixels");
                }
                return img;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e.getCause() != null && e.getCause().getMessage() != null) {
                why += ": " + e.getCause().getMessage();
            }
            throw new DataException(file, "cannot be decoded (" + why + ")");
        }
    }

    /**
     * Planar samples {@code (channels, h, w)} in 0..255. Gray and RGB images are read from their
     * raster as stored (their colour model would treat gray as linear and brighten it); palette
     * and other colour models go through their sRGB conversion.
     */
    static int[] samples(BufferedImage img, int channels) {
        int w = img.getWidth(), h = img.getHeight(), plane = w * h;
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        int type = cm.getColorSpace().getType();
        boolean direct = cm instanceof ComponentColorModel || cm instanceof java.awt.image.DirectColorModel;
        boolean gray = direct && type == ColorSpace.TYPE_GRAY, rgb = direct && type == ColorSpace.TYPE_RGB && cm.getNumColorComponents() == 3;
        int[] out = new int[channels * plane];
        int[] rgbPixel = new int[3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                if (gray) {
                    int v = to8(r.getSample(x, y, 0), cm.getComponentSize(0));
                    rgbPixel[0] = rgbPixel[1] = rgbPixel[2] = v;
                } else if (rgb) {
                    for (int b = 0; b < 3; b++) {
                        rgbPixel[b] = to8(r.getSample(x, y, b), cm.getComponentSize(b));
                    }
                } else {
                    int argb = img.getRGB(x, y);
                    rgbPixel[0] = argb >> 16 & 0xff;
                    rgbPixel[1] = argb >> 8 & 0xff;
                    rgbPixel[2] = argb & 0xff;
                }
                if (channels == 1) {
                    out[p] = gray ? rgbPixel[0] : Resample.luma(rgbPixel[0], rgbPixel[1], rgbPixel[2]);
                } else {
                    out[p] = rgbPixel[0];
                    out[plane + p] = rgbPixel[1];
                    out[2 * plane + p] = rgbPixel[2];
                }
            }
        }
        return out;
    }

    /** A sample of {@code bits} bits as 8 bits, rounded. */
    private static int to8(int v, int bits) {
        return bits == 8 ? v : (int) Math.round(v * 255.0 / ((1L << bits) - 1));
    }
}
