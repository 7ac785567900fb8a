package hybridlab.experiments.data;

import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.DataSpec;
import hybridlab.experiments.config.RunConfig;
import java.lang.ref.SoftReference;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A run's training set (its {@code train_fraction} subset), its validation set (held out of the
 * training set when {@code val_fraction > 0}, else null) and the test set, all normalised by the
 * training subset's per-channel statistics, with one name per class.
 */
public record Data(Dataset train, Dataset val, Dataset test, Normalizer normalizer, List<String> classNames) {

    /** Loaded sources, kept while memory allows: a sweep reads each once, and a large one can still be let go. */
    private static final Map<String, SoftReference<Splits>> CACHE = new ConcurrentHashMap<>();

    /** Loads (once per process and source) and prepares the data a config asks for. */
    public static Data load(RunConfig cfg) throws DataException {
        DataSpec d = cfg.data();
        Splits raw = raw(cfg);
        Dataset pool = raw.train(), val = null;
        if (d.valFraction() > 0) {
            Subsets.HoldOut h = Subsets.holdOut(pool, d.valFraction(), cfg.seed());
            pool = h.rest();
            val = h.held();
        }
        Dataset train = Subsets.stratified(pool, d.trainFraction(), cfg.seed());
        Normalizer n = Normalizer.of(train);
        return new Data(n.apply(train), val == null ? null : n.apply(val), n.apply(raw.test()), n, raw.classNames());
    }

    /** Names the images a config reads (not the subsets it takes): configs of one source share one loaded copy. */
    public static String source(RunConfig cfg) {
        DataSpec d = cfg.data();
        return switch (d.dataset()) {
            case SYNTHETIC -> "synthetic:" + d.syntheticTrain() + ":" + d.syntheticTest();
            case FASHION_MNIST -> "fashion-mnist:" + FashionMnist.locate(path(d)).toAbsolutePath();
            case CIFAR10, CIFAR100 -> d.dataset() + ":" + folder(d).toAbsolutePath();
            case IDX -> "idx:" + folder(d).toAbsolutePath() + ":" + d.idxPrefix() + ":" + d.idxPad() + ":" + d.idxTranspose();
            case IMAGE_FOLDER -> "image-folder:" + folder(d).toAbsolutePath() + ":" + d.imageSize() + ":" + d.channels() + ":"
                    + d.imageFit() + ":" + d.testFraction() + ":" + d.splitSeed();
            case NUMPY -> "numpy:" + folder(d).toAbsolutePath() + ":" + String.join(":", d.numpyTrainImages(), d.numpyTrainLabels(),
                    d.numpyTestImages(), d.numpyTestLabels()) + ":" + d.numpyLayout();
        };
    }

    static Splits raw(RunConfig cfg) throws DataException {
        String key = source(cfg);
        SoftReference<Splits> ref = CACHE.get(key);
        Splits cached = ref == null ? null : ref.get();
        if (cached == null) {
            cached = read(cfg.data());
            CACHE.put(key, new SoftReference<>(cached));
        }
        return cached;
    }

    private static Splits read(DataSpec d) throws DataException {
        return switch (d.dataset()) {
            case SYNTHETIC -> {
                Dataset train = Synthetic.make("synthetic/train", d.syntheticTrain(), 1), test = Synthetic.make("synthetic/test",
                        d.syntheticTest(), 2);
                yield new Splits(train, test, Splits.indexNames(train.classes()));
            }
            case FASHION_MNIST -> {
                Path dir = FashionMnist.locate(path(d));
                yield new Splits(FashionMnist.train(dir), FashionMnist.test(dir), FashionMnist.CLASS_NAMES);
            }
            case CIFAR10 -> Cifar.load(Cifar.Kind.CIFAR10, folder(d));
            case CIFAR100 -> Cifar.load(Cifar.Kind.CIFAR100, folder(d));
            case IDX -> IdxSet.load(folder(d), d.idxPrefix() == null ? "" : d.idxPrefix(), d.idxPad(), d.idxTranspose());
            case IMAGE_FOLDER -> {
                if (d.channels() == 2) {
                    throw new DataException("channels: 2 is not 1 (gray) or 3 (RGB)");
                }
                yield ImageFolder.load(folder(d), new ImageFolder.Spec(d.imageSize(), d.channels(),
                        ImageFolder.Fit.valueOf(d.imageFit().name())), d.testFraction(), d.splitSeed());
            }
            case NUMPY -> NumpyData.load(folder(d), d.numpyTrainImages(), d.numpyTrainLabels(), d.numpyTestImages(),
                    d.numpyTestLabels(), NumpyData.Layout.valueOf(d.numpyLayout().name()));
        };
    }

    private static Path path(DataSpec d) {
        return d.dataDirOrNull() == null ? null : Path.of(d.dataDirOrNull());
    }

    /** {@code data_dir}, which every kind but Fashion-MNIST and the synthetic set needs. */
    private static Path folder(DataSpec d) {
        if (d.dataDirOrNull() == null) {
            String how = switch (d.dataset()) {
                case CIFAR10 -> "; " + Cifar.howToProvide(Cifar.Kind.CIFAR10);
                case CIFAR100 -> "; " + Cifar.howToProvide(Cifar.Kind.CIFAR100);
                default -> "";
            };
            throw new ConfigException("data_dir: dataset " + d.dataset() + " needs the folder of its files (--data-dir or data_dir)" + how);
        }
        return Path.of(d.dataDirOrNull());
    }

    /** Images in the config's training subset (validation held out), counted without building it. */
    public static int trainCount(RunConfig cfg) throws DataException {
        int[] counts = Subsets.afterHoldOut(raw(cfg).train().classCounts(), cfg.data().valFraction());
        return Subsets.size(counts, cfg.data().trainFraction());
    }

    /** Images held out for validation (0 without {@code val_fraction}), counted without building the split. */
    public static int valCount(RunConfig cfg) throws DataException {
        return Subsets.heldOut(raw(cfg).train().classCounts(), cfg.data().valFraction());
    }

    /** Checks that the config's data can be loaded, as a config error naming the key; returns the training set as loaded. */
    public static Dataset check(RunConfig cfg, String where) {
        try {
            return raw(cfg).train();
        } catch (DataException e) {
            throw ConfigException.at(where, "dataset", e.getMessage());
        }
    }
}
