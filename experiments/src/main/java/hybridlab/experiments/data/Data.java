package hybridlab.experiments.data;

import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.DataSpec;
import hybridlab.experiments.config.DatasetKind;
import hybridlab.experiments.config.RunConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A run's training and test sets, normalised by the training set's statistics. */
public record Data(Dataset train, Dataset test, Normalizer normalizer) {

    private static final Map<String, Dataset[]> CACHE = new ConcurrentHashMap<>();

    /** Loads (once per process and source) and prepares the data a config asks for. */
    public static Data load(RunConfig cfg) throws DataException {
        Dataset[] raw = raw(cfg);
        Dataset train = Subsets.stratified(raw[0], cfg.data().trainFraction(), cfg.seed());
        Normalizer n = Normalizer.of(train);
        return new Data(n.apply(train), n.apply(raw[1]), n);
    }

    /** Names the images a config reads (not the subset it trains on): configs with one source share one loaded copy. */
    public static String source(RunConfig cfg) {
        DataSpec d = cfg.data();
        if (d.dataset() == DatasetKind.SYNTHETIC) {
            return "synthetic:" + d.syntheticTrain() + ":" + d.syntheticTest();
        }
        return "fashion-mnist:" + FashionMnist.locate(d.dataDirOrNull() == null ? null : Path.of(d.dataDirOrNull())).toAbsolutePath();
    }

    static Dataset[] raw(RunConfig cfg) throws DataException {
        DataSpec d = cfg.data();
        String key = source(cfg);
        Dataset[] cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        if (d.dataset() == DatasetKind.SYNTHETIC) {
            cached = new Dataset[] {Synthetic.make("synthetic/train", d.syntheticTrain(), 1),
                Synthetic.make("synthetic/test", d.syntheticTest(), 2)};
        } else {
            Path dir = FashionMnist.locate(d.dataDirOrNull() == null ? null : Path.of(d.dataDirOrNull()));
            cached = new Dataset[] {FashionMnist.train(dir), FashionMnist.test(dir)};
        }
        CACHE.put(key, cached);
        return cached;
    }

    /** Images in the config's training subset, counted without building it. */
    public static int trainCount(RunConfig cfg) throws DataException {
        return Subsets.size(raw(cfg)[0].classCounts(), cfg.data().trainFraction());
    }

    /** Checks that the config's data can be loaded, as a config error naming the key; returns the training set as loaded. */
    public static Dataset check(RunConfig cfg, String where) {
        try {
            return raw(cfg)[0];
        } catch (DataException e) {
            throw ConfigException.at(where, "dataset", e.getMessage());
        }
    }
}
