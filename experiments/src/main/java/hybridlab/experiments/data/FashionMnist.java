package hybridlab.experiments.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST from its official IDX files (60k train / 10k test, 28x28, 10 classes), zero
 * padded by 2 pixels per side to 1x32x32. The directory comes from {@code --data-dir}, else
 * {@code $HYBRIDLAB_DATA}, else Debian's {@code dataset-fashion-mnist} location.
 */
public final class FashionMnist {
    private FashionMnist() {
    }

    public static final String ENV = "HYBRIDLAB_DATA";
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final int PAD = 2, SIZE = 32, CLASSES = 10;
    /** The classes in label order, as the dataset's authors name them. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot");
    static final int TRAIN_COUNT = 60000, TEST_COUNT = 10000;

    /** Where to look: explicit directory, environment, Debian package. */
    public static Path locate(Path explicit) {
        if (explicit != null) {
            return explicit;
        }
        String env = System.getenv(ENV);
        return env != null && !env.isBlank() ? Path.of(env) : DEBIAN_DIR;
    }

    /** How to get the data, for error messages. */
    public static String howToProvide() {
        return "install it with 'apt-get install dataset-fashion-mnist' (files land in " + DEBIAN_DIR
                + "), or point --data-dir / $" + ENV + " at a directory holding train-images-idx3-ubyte[.gz], "
                + "train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]";
    }

    public static Dataset train(Path dir) throws DataException {
        return load(dir, "train", TRAIN_COUNT);
    }

    public static Dataset test(Path dir) throws DataException {
        return load(dir, "t10k", TEST_COUNT);
    }

    static Path find(Path dir, String stem) throws DataException {
        for (String name : List.of(stem, stem + ".gz")) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        if (!Files.isDirectory(dir)) {
            throw new DataException("Fashion-MNIST directory " + dir + " does not exist; " + howToProvide());
        }
        throw new DataException("Fashion-MNIST file " + dir.resolve(stem) + "[.gz] is missing; " + howToProvide());
    }

    static Dataset load(Path dir, String split, int expected) throws DataException {
        Path imgFile = find(dir, split + "-images-idx3-ubyte"), labFile = find(dir, split + "-labels-idx1-ubyte");
        Idx.Images img = Idx.readImages(imgFile);
        int[] labels = Idx.readLabels(labFile);
        if (img.rows() != 28 || img.cols() != 28) {
            throw new DataException(imgFile, "holds " + img.rows() + "x" + img.cols() + " images, expected 28x28");
        }
        if (img.count() != expected) {
            throw new DataException(imgFile, "holds " + img.count() + " images, expected " + expected);
        }
        if (labels.length != img.count()) {
            throw new DataException(labFile, "holds " + labels.length + " labels for " + img.count() + " images");
        }
        for (int l : labels) {
            if (l >= CLASSES) {
                throw new DataException(labFile, "has label " + l + " outside 0..9");
            }
        }
        float[] px = IdxSet.pixels(img, PAD, false);
        return new Dataset("fashion-mnist/" + split, px, labels, 1, SIZE, CLASSES);
    }
}
