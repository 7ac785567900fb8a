package hybridlab.experiments.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Any MNIST-style set in IDX files, raw or gzip-compressed, with counts and image sizes taken
 * from the headers: MNIST (https://yann.lecun.com/exdb/mnist/, mirrored at
 * https://ossci-datasets.s3.amazonaws.com/mnist/), KMNIST (https://github.com/rois-codh/kmnist,
 * the "MNIST format" files), EMNIST (https://www.nist.gov/itl/products-and-services/emnist-dataset,
 * the "binary format as the original MNIST dataset" archive) and Fashion-MNIST.
 *
 * <p>Layout: one folder holding {@code PREFIXtrain-images-idx3-ubyte}, {@code PREFIXtrain-labels-idx1-ubyte}
 * and the test pair named {@code PREFIXt10k-...} (MNIST, KMNIST) or {@code PREFIXtest-...} (EMNIST),
 * each optionally ending in {@code .gz}. The prefix selects one set of a folder holding several, e.g.
 * {@code emnist-balanced-}. Classes are one more than the largest label of either split (EMNIST
 * letters, labelled 1 to 26, so has 27 with class 0 empty). EMNIST stores each image transposed;
 * {@code transpose} turns it upright, which matters for horizontal flips. Images are padded with
 * {@code pad} zero pixels per side (2 turns 28x28 into the 32x32 the small presets take).
 */
public final class IdxSet {
    private IdxSet() {
    }

    static final String IMAGES = "images-idx3-ubyte", LABELS = "labels-idx1-ubyte";
    static final List<String> TEST_STEMS = List.of("t10k", "test");

    public static Splits load(Path dir, String prefix, int pad, boolean transpose) throws DataException {
        if (pad < 0) {
            throw new IllegalArgumentException("pad must be 0 or more, got " + pad);
        }
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir, "is not a directory; expected a folder holding the IDX files of an MNIST-style set");
        }
        String testStem = testStem(dir, prefix);
        Path trImg = find(dir, prefix + "train-" + IMAGES), trLab = find(dir, prefix + "train-" + LABELS);
        Path teImg = find(dir, prefix + testStem + "-" + IMAGES), teLab = find(dir, prefix + testStem + "-" + LABELS);
        Idx.Images train = Idx.readImages(trImg), test = Idx.readImages(teImg);
        int[] trainLabels = Idx.readLabels(trLab), testLabels = Idx.readLabels(teLab);
        checkPair(train, trImg, trainLabels, trLab);
        checkPair(test, teImg, testLabels, teLab);
        if (train.rows() != test.rows()) {
            throw new DataException(teImg, "holds " + test.rows() + "x" + test.cols() + " images, but " + trImg + " holds "
                    + train.rows() + "x" + train.cols());
        }
        int classes = Splits.classCount(trainLabels, trLab.toString(), testLabels, teLab.toString());
        String name = "idx:" + (prefix.isEmpty() ? String.valueOf(dir.toAbsolutePath().getFileName()) : prefix.replaceAll("[-_.]+$", ""));
        return new Splits(dataset(name + "/train", train, trainLabels, pad, transpose, classes),
                dataset(name + "/test", test, testLabels, pad, transpose, classes), Splits.indexNames(classes));
    }

    /** Pixels scaled to [0, 1] as {@code (n, 1, rows + 2 pad, cols + 2 pad)}, zero outside the image. */
    static float[] pixels(Idx.Images img, int pad, boolean transpose) {
        int rows = img.rows(), cols = img.cols(), h = rows + 2 * pad, w = cols + 2 * pad;
        float[] px = new float[img.count() * h * w];
        byte[] raw = img.pixels();
        for (int n = 0; n < img.count(); n++) {
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    int src = transpose ? (n * rows + x) * cols + y : (n * rows + y) * cols + x;
                    px[n * h * w + (y + pad) * w + x + pad] = (raw[src] & 0xff) / 255f;
                }
            }
        }
        return px;
    }

    private static Dataset dataset(String name, Idx.Images img, int[] labels, int pad, boolean transpose, int classes) {
        return new Dataset(name, pixels(img, pad, transpose), labels, 1, img.rows() + 2 * pad, classes);
    }

    private static void checkPair(Idx.Images img, Path imgFile, int[] labels, Path labFile) throws DataException {
        if (img.rows() != img.cols()) {
            throw new DataException(imgFile, "holds " + img.rows() + "x" + img.cols() + " images; only square images are supported");
        }
        if (labels.length != img.count()) {
            throw new DataException(labFile, "holds " + labels.length + " labels for the " + img.count() + " images of " + imgFile);
        }
    }

    private static String testStem(Path dir, String prefix) throws DataException {
        String found = null;
        for (String stem : TEST_STEMS) {
            if (exists(dir, prefix + stem + "-" + IMAGES)) {
                if (found != null) {
                    throw new DataException(dir, "holds both " + prefix + found + "-" + IMAGES + " and " + prefix + stem + "-" + IMAGES
                            + "; keep one test set per prefix");
                }
                found = stem;
            }
        }
        if (found == null) {
            throw new DataException("MNIST-style test images " + dir.resolve(prefix + "t10k-" + IMAGES) + "[.gz] (or "
                    + prefix + "test-" + IMAGES + "[.gz]) are missing" + hint(prefix));
        }
        return found;
    }

    private static boolean exists(Path dir, String stem) {
        return Files.isRegularFile(dir.resolve(stem)) || Files.isRegularFile(dir.resolve(stem + ".gz"));
    }

    private static Path find(Path dir, String stem) throws DataException {
        for (String name : List.of(stem, stem + ".gz")) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new DataException("MNIST-style file " + dir.resolve(stem) + "[.gz] is missing" + hint(""));
    }

    private static String hint(String prefix) {
        return prefix.isEmpty() ? "; a folder holding several sets needs their file-name prefix (e.g. emnist-balanced-)" : "";
    }
}
