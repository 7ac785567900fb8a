package hybridlab.experiments.data;

import hybridlab.experiments.config.ConfigException;
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
        Dataset train = Subsets.stratified(raw[0], cfg.trainFraction(), cfg.seed());
        Normalizer n = Normalizer.of(train);
        return new Data(n.apply(train), n.apply(raw[1]), n);
    }

    static Dataset[] raw(RunConfig cfg) throws DataException {
        if (cfg.dataset().equals("synthetic")) {
            String key = "synthetic:" + cfg.syntheticTrain() + ":" + cfg.syntheticTest();
            return CACHE.computeIfAbsent(key, k -> new Dataset[] {
                Synthetic.make("synthetic/train", cfg.syntheticTrain(), 1),
                Synthetic.make("synthetic/test", cfg.syntheticTest(), 2)});
        }
        Path dir = FashionMnist.locate(cfg.dataDir().isEmpty() ? null : Path.of(cfg.dataDir()));
        String key = "fmnist:" + dir.toAbsolutePath();
        Dataset[] cached = CACHE.get(key);
        if (cached == null) {
            cached = new Dataset[] {FashionMnist.train(dir), FashionMnist.test(dir)};
            CACHE.put(key, cached);
        }
        return cached;
    }

    /** Images in the config's training subset, counted without building it. */
    public static int trainCount(RunConfig cfg) throws DataException {
        return Subsets.size(raw(cfg)[0].classCounts(), cfg.trainFraction());
    }

    /** Checks that the config's data can be loaded, as a config error naming the key. */
    public static void check(RunConfig cfg, String where) {
        try {
            raw(cfg);
        } catch (DataException e) {
            throw ConfigException.at(where, "dataset", e.getMessage());
        }
    }
}
