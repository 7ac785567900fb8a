package hybridlab.experiments.cli;

import hybridlab.backend.Backend;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.data.Data;
import hybridlab.experiments.data.DataException;
import hybridlab.experiments.sweep.RunExecutor;
import hybridlab.experiments.train.RunRecord;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Trains sweep runs in this process on the backend each run names. {@code threads} (from
 * {@code --threads}, or null) replaces every run's thread count: it never changes a result or a
 * run id, so it is the machine's business and not the sweep's (it is no {@code --set} override).
 */
final class LocalExecutor implements RunExecutor {
    private final boolean quiet;
    private final Duration progressEvery;
    private final Integer threads;

    LocalExecutor(boolean quiet, Duration progressEvery, Integer threads) {
        this.quiet = quiet;
        this.progressEvery = progressEvery;
        this.threads = threads;
        if (threads != null) {
            RunConfig.defaults().with("threads", threads, "--threads"); // a bad count fails before any work
        }
    }

    @Override
    public void checkBackend(RunConfig cfg, String where) {
        Backends.check(cfg, where);
    }

    @Override
    public RunRecord train(RunConfig cfg, Path runsDir) throws DataException {
        RunConfig c = threads == null ? cfg : cfg.with("threads", threads, "--threads");
        Data data = Data.load(c);
        try (Backend backend = Backends.open(c)) {
            return Progress.train(c, data, backend, quiet, progressEvery, runsDir);
        }
    }
}
