package hybridlab.experiments.data;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Images and labels from NumPy arrays, as written by {@code numpy.save} ({@code .npy}) or
 * {@code numpy.savez} / {@code numpy.savez_compressed} ({@code .npz}). Images are
 * {@code (N, H, W)} (one channel), {@code (N, H, W, C)} or {@code (N, C, H, W)}, square, of uint8
 * (scaled to [0, 1]) or float32 (taken as they are, and checked finite); the channel axis is
 * found from the shape (the layout under which the image is square) unless it is named. Labels
 * are {@code (N,)} or {@code (N, 1)} of any integer type (int64, int32, uint8, ...), and classes
 * are one more than the largest label of either split.
 *
 * <p>Each of the four arrays is named by a spec resolved against the data directory: a bare
 * name means {@code NAME.npy} in that folder, or the entry {@code NAME} when the data directory
 * is itself an {@code .npz} file (Keras' {@code mnist.npz} holds {@code x_train}, {@code y_train},
 * {@code x_test}, {@code y_test}, the default names); {@code FILE.npy} and {@code FILE.npz:NAME}
 * name a file relative to the folder (KMNIST's NumPy files, for instance, are
 * {@code kmnist-train-imgs.npz:arr_0} and so on).
 */
public final class NumpyData {
    private NumpyData() {
    }

    public static final String TRAIN_IMAGES = "x_train", TRAIN_LABELS = "y_train", TEST_IMAGES = "x_test", TEST_LABELS = "y_test";
    /** Labels beyond this are taken for a mistake rather than a class count to build a model for. */
    static final long MAX_LABEL = 1 << 20;

    /** Where the channel axis of a 4-d image array is; {@code AUTO} finds it from the shape. */
    public enum Layout {
        AUTO, NHWC, NCHW
    }

    /** One array: a {@code .npy} file ({@code entry} null) or an entry of an {@code .npz} archive. */
    public record ArrayRef(Path file, String entry) {
        /** A spec ({@code NAME}, {@code FILE.npy} or {@code FILE.npz:NAME}) resolved against the data directory. */
        public static ArrayRef resolve(Path dataDir, String spec) {
            if (spec == null || spec.isBlank()) {
                throw new IllegalArgumentException("an array spec is empty; expected NAME, FILE.npy or FILE.npz:NAME");
            }
            boolean archive = dataDir.getFileName() != null && dataDir.getFileName().toString().endsWith(".npz") && !Files.isDirectory(dataDir);
            Path folder = archive ? (dataDir.toAbsolutePath().getParent()) : dataDir;
            int sep = spec.lastIndexOf(".npz:");
            if (sep >= 0) {
                return new ArrayRef(folder.resolve(spec.substring(0, sep + 4)), spec.substring(sep + 5));
            }
            if (spec.endsWith(".npy")) {
                return new ArrayRef(folder.resolve(spec), null);
            }
            return archive ? new ArrayRef(dataDir, spec) : new ArrayRef(folder.resolve(spec + ".npy"), null);
        }

        public Npy.Array read() throws DataException {
            return entry == null ? Npy.read(file) : Npy.readNpz(file, entry);
        }

        @Override
        public String toString() {
            return entry == null ? file.toString() : file + ":" + entry;
        }
    }

    /** The four arrays named by specs (see the class comment) under {@code dataDir}. */
    public static Splits load(Path dataDir, String trainImages, String trainLabels, String testImages, String testLabels, Layout layout)
            throws DataException {
        if (!Files.exists(dataDir)) {
            throw new DataException(dataDir, "does not exist; expected a folder of .npy/.npz files or an .npz file");
        }
        String name = "numpy:" + (dataDir.getFileName() == null ? dataDir : dataDir.getFileName());
        return load(ArrayRef.resolve(dataDir, trainImages), ArrayRef.resolve(dataDir, trainLabels), ArrayRef.resolve(dataDir, testImages),
                ArrayRef.resolve(dataDir, testLabels), layout, name);
    }

    public static Splits load(ArrayRef trainImages, ArrayRef trainLabels, ArrayRef testImages, ArrayRef testLabels, Layout layout,
                              String name) throws DataException {
        Npy.Array trX = trainImages.read(), trY = trainLabels.read(), teX = testImages.read(), teY = testLabels.read();
        Shape train = shape(trX, layout);
        Shape test = shape(teX, train.layout);
        if (test.channels != train.channels || test.side != train.side) {
            throw new DataException(teX.source() + " holds " + test + " images (shape " + teX.shapeText() + "), but " + trX.source()
                    + " holds " + train + " (shape " + trX.shapeText() + ")");
        }
        int[] trainLab = labels(trY, trX), testLab = labels(teY, teX);
        int classes = Splits.classCount(trainLab, trY.source(), testLab, teY.source());
        return new Splits(new Dataset(name + "/train", pixels(trX, train), trainLab, train.channels, train.side, classes),
                new Dataset(name + "/test", pixels(teX, test), testLab, test.channels, test.side, classes), Splits.indexNames(classes));
    }

    /** An image array's resolved layout, channels and side. */
    record Shape(Layout layout, int count, int channels, int side) {
        @Override
        public String toString() {
            return channels + "x" + side + "x" + side;
        }
    }

    static Shape shape(Npy.Array a, Layout layout) throws DataException {
        int[] s = a.shape();
        if (a.dtype() != Npy.DType.UINT8 && a.dtype() != Npy.DType.FLOAT32) {
            throw new DataException(a.source() + " holds " + a.dtype().numpyName() + " images; expected uint8 (0..255) or float32");
        }
        if (s.length == 3) {
            if (s[1] != s[2]) {
                throw new DataException(a.source() + " holds " + s[1] + "x" + s[2] + " images (shape " + a.shapeText()
                        + "); only square images are supported");
            }
            return checked(a, new Shape(Layout.NCHW, s[0], 1, s[1]));
        }
        if (s.length != 4) {
            throw new DataException(a.source() + " has shape " + a.shapeText() + "; expected images as (N, H, W), (N, H, W, C) or (N, C, H, W)");
        }
        boolean nhwc = s[1] == s[2], nchw = s[2] == s[3];
        Layout l = layout;
        if (l == Layout.AUTO) {
            if (nhwc == nchw) {
                throw new DataException(a.source() + " has shape " + a.shapeText() + ": " + (nhwc ? "square images under both NHWC and NCHW"
                        : "no square images under NHWC or NCHW") + "; name the layout (NHWC or NCHW)");
            }
            l = nhwc ? Layout.NHWC : Layout.NCHW;
        }
        Shape out = l == Layout.NHWC ? new Shape(l, s[0], s[3], s[1]) : new Shape(l, s[0], s[1], s[2]);
        if (l == Layout.NHWC ? !nhwc : !nchw) {
            throw new DataException(a.source() + " has shape " + a.shapeText() + ": under " + l + " its images are "
                    + (l == Layout.NHWC ? s[1] + "x" + s[2] : s[2] + "x" + s[3]) + "; only square images are supported");
        }
        return checked(a, out);
    }

    private static Shape checked(Npy.Array a, Shape s) throws DataException {
        if (s.count == 0 || s.channels == 0 || s.side == 0) {
            throw new DataException(a.source() + " has shape " + a.shapeText() + ": no images to learn from");
        }
        return s;
    }

    static int[] labels(Npy.Array y, Npy.Array images) throws DataException {
        int[] s = y.shape();
        if (!y.dtype().integer()) {
            throw new DataException(y.source() + " holds " + y.dtype().numpyName() + " labels; expected an integer type (int64, int32, uint8)");
        }
        if (!(s.length == 1 || s.length == 2 && s[1] == 1)) {
            throw new DataException(y.source() + " has shape " + y.shapeText() + "; expected labels as (N,) or (N, 1)");
        }
        int n = images.shape()[0];
        if (s[0] != n) {
            throw new DataException(y.source() + " holds " + s[0] + " labels for the " + n + " images of " + images.source());
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            long v = y.integer(i);
            if (v < 0 || v > MAX_LABEL) {
                throw new DataException(y.source() + " has label " + v + " at index " + i + "; labels must be in 0.." + MAX_LABEL);
            }
            out[i] = (int) v;
        }
        return out;
    }

    /** The images as {@code (n, c, side, side)} floats. */
    static float[] pixels(Npy.Array a, Shape s) throws DataException {
        int n = s.count, c = s.channels, hw = s.side * s.side;
        long total = (long) n * c * hw;
        if (total > Integer.MAX_VALUE - 8) {
            throw new DataException(a.source() + " holds " + total + " pixels; at most 2^31 are supported");
        }
        float[] px = new float[(int) total];
        ByteBuffer data = a.data();
        boolean bytes = a.dtype() == Npy.DType.UINT8, nhwc = s.layout == Layout.NHWC;
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < hw; p++) {
                    int src = nhwc ? (i * hw + p) * c + ch : (i * c + ch) * hw + p;
                    float v = bytes ? (data.get(src) & 0xff) / 255f : data.getFloat(4 * src);
                    if (!Float.isFinite(v)) {
                        throw new DataException(a.source() + " holds " + v + " at image " + i + ", channel " + ch + ", pixel " + p
                                + "; images must be finite");
                    }
                    px[(i * c + ch) * hw + p] = v;
                }
            }
        }
        return px;
    }
}
