package hybridlab.experiments.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 and CIFAR-100 in their official binary layouts, from
 * https://www.cs.toronto.edu/~kriz/cifar.html ("CIFAR-10 binary version", {@code cifar-10-binary.tar.gz};
 * "CIFAR-100 binary version", {@code cifar-100-binary.tar.gz}), unpacked as they come:
 * {@code cifar-10-batches-bin/} holds {@code data_batch_1.bin} to {@code data_batch_5.bin} (10,000
 * records each) and {@code test_batch.bin} (10,000), each record one label byte and 3,072 pixel
 * bytes; {@code cifar-100-binary/} holds {@code train.bin} (50,000) and {@code test.bin} (10,000),
 * each record a coarse label byte, a fine label byte and 3,072 pixel bytes. The pixels are the
 * red, green and blue 32x32 planes, rows in order, so a record is already the {@code (3, 32, 32)}
 * layout of a {@link Dataset}. CIFAR-100 is used with its 100 fine labels. The directory given is
 * either that folder or the one it was unpacked into; class names come from
 * {@code batches.meta.txt} / {@code fine_label_names.txt} there.
 */
public final class Cifar {
    private Cifar() {
    }

    public static final int SIDE = 32, CHANNELS = 3, PIXELS = CHANNELS * SIDE * SIDE;
    public static final String HOME = "https://www.cs.toronto.edu/~kriz/cifar.html";

    public enum Kind {
        CIFAR10("cifar-10", "cifar-10-batches-bin", "cifar-10-binary.tar.gz",
                List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"),
                "test_batch.bin", "batches.meta.txt", 10, 0, 10_000, 10_000),
        CIFAR100("cifar-100", "cifar-100-binary", "cifar-100-binary.tar.gz", List.of("train.bin"), "test.bin",
                "fine_label_names.txt", 100, 20, 50_000, 10_000);

        final String label, folder, archive, testFile, namesFile;
        final List<String> trainFiles;
        /** Classes of the label used, and of the coarse label before it (0: none). */
        final int classes, coarseClasses;
        final int recordsPerTrainFile, testRecords;

        Kind(String label, String folder, String archive, List<String> trainFiles, String testFile, String namesFile, int classes,
             int coarseClasses, int recordsPerTrainFile, int testRecords) {
            this.label = label;
            this.folder = folder;
            this.archive = archive;
            this.trainFiles = trainFiles;
            this.testFile = testFile;
            this.namesFile = namesFile;
            this.classes = classes;
            this.coarseClasses = coarseClasses;
            this.recordsPerTrainFile = recordsPerTrainFile;
            this.testRecords = testRecords;
        }

        int labelBytes() {
            return coarseClasses > 0 ? 2 : 1;
        }

        int recordBytes() {
            return labelBytes() + PIXELS;
        }

        public int classes() {
            return classes;
        }
    }

    /** The official files of {@code kind} in {@code dir} (the unpacked folder or its parent). */
    public static Splits load(Kind kind, Path dir) throws DataException {
        return load(kind, dir, kind.recordsPerTrainFile, kind.testRecords);
    }

    /** As {@link #load(Kind, Path)} with other record counts: small generated sets in tests. */
    static Splits load(Kind kind, Path dir, int recordsPerTrainFile, int testRecords) throws DataException {
        Path folder = locate(kind, dir);
        List<Path> trainFiles = new ArrayList<>();
        for (String f : kind.trainFiles) {
            trainFiles.add(file(kind, folder, f));
        }
        Path testFile = file(kind, folder, kind.testFile);
        Dataset train = read(kind, kind.label + "/train", trainFiles, recordsPerTrainFile);
        Dataset test = read(kind, kind.label + "/test", List.of(testFile), testRecords);
        return new Splits(train, test, classNames(kind, folder));
    }

    static Path locate(Kind kind, Path dir) throws DataException {
        Path inner = dir.resolve(kind.folder);
        if (Files.isDirectory(inner)) {
            return inner;
        }
        if (!Files.isDirectory(dir)) {
            throw new DataException(kind.label + " directory " + dir + " does not exist; " + howToProvide(kind));
        }
        return dir;
    }

    public static String howToProvide(Kind kind) {
        return "download the binary version (" + kind.archive + ") from " + HOME + ", unpack it with 'tar xzf " + kind.archive
                + "' and point data_dir at the folder holding " + kind.folder + "/";
    }

    private static Path file(Kind kind, Path folder, String name) throws DataException {
        Path p = folder.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new DataException(kind.label + " file " + p + " is missing; " + howToProvide(kind));
        }
        return p;
    }

    private static Dataset read(Kind kind, String name, List<Path> files, int recordsPerFile) throws DataException {
        int rec = kind.recordBytes(), lab = kind.labelBytes();
        float[] px = new float[Math.multiplyExact(files.size() * recordsPerFile, PIXELS)];
        int[] labels = new int[files.size() * recordsPerFile];
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            byte[] raw = readChecked(kind, file, recordsPerFile);
            for (int r = 0; r < recordsPerFile; r++) {
                int o = r * rec, n = f * recordsPerFile + r;
                if (kind.coarseClasses > 0 && (raw[o] & 0xff) >= kind.coarseClasses) {
                    throw new DataException(file, "record " + r + " has coarse label " + (raw[o] & 0xff) + " outside 0.."
                            + (kind.coarseClasses - 1) + " (not a " + kind.label + " binary file?)");
                }
                int label = raw[o + lab - 1] & 0xff;
                if (label >= kind.classes) {
                    throw new DataException(file, "record " + r + " has " + (kind.coarseClasses > 0 ? "fine " : "") + "label " + label
                            + " outside 0.." + (kind.classes - 1) + " (not a " + kind.label + " binary file?)");
                }
                labels[n] = label;
                for (int i = 0, src = o + lab, dst = n * PIXELS; i < PIXELS; i++) {
                    px[dst + i] = (raw[src + i] & 0xff) / 255f;
                }
            }
        }
        return new Dataset(name, px, labels, CHANNELS, SIDE, kind.classes);
    }

    /** The file's bytes, after checking that it holds exactly {@code records} whole records. */
    private static byte[] readChecked(Kind kind, Path file, int records) throws DataException {
        int rec = kind.recordBytes();
        try {
            long size = Files.size(file);
            if (size % rec != 0) {
                throw new DataException(file, "has " + size + " bytes, not a whole number of " + rec + "-byte " + kind.label
                        + " records (" + (size / rec) + " records and " + (size % rec) + " bytes): truncated or not a " + kind.label
                        + " binary file");
            }
            if (size / rec != records) {
                throw new DataException(file, "holds " + size / rec + " records of " + rec + " bytes, expected " + records);
            }
            byte[] raw = Files.readAllBytes(file);
            if (raw.length != size) {
                throw new DataException(file, "changed while being read (" + raw.length + " bytes, was " + size + ")");
            }
            return raw;
        } catch (IOException e) {
            throw new DataException(file, "cannot be read: " + e.getMessage());
        }
    }

    /** The names file's non-blank lines where it is present, else the class indices. */
    private static List<String> classNames(Kind kind, Path folder) throws DataException {
        Path p = folder.resolve(kind.namesFile);
        if (!Files.isRegularFile(p)) {
            return Splits.indexNames(kind.classes);
        }
        try {
            List<String> names = Files.readAllLines(p, StandardCharsets.UTF_8).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
            if (names.size() != kind.classes) {
                throw new DataException(p, "lists " + names.size() + " class names, expected " + kind.classes);
            }
            return names;
        } catch (IOException e) {
            throw new DataException(p, "cannot be read: " + e.getMessage());
        }
    }
}
