package hybridlab.experiments.cli;

import hybridlab.backend.Backend;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.data.Data;
import hybridlab.experiments.data.DataException;
import hybridlab.experiments.sweep.RunExecutor;
import hybridlab.experiments.train.RunRecord;
import java.nio.file.Path;
import java.time.Duration;

/** Trains sweep runs in this process on the backend each run names. */
final class LocalExecutor implements RunExecutor {
    private final boolean quiet;
    private final Duration progressEvery;

    LocalExecutor(boolean quiet, Duration progressEvery) {
        this.quiet = quiet;
        this.progressEvery = progressEvery;
    }

    @Override
    public void checkBackend(RunConfig cfg, String where) {
        Backends.check(cfg, where);
    }

    @Override
    public RunRecord train(RunConfig cfg, Path runsDir) throws DataException {
        Data data = Data.load(cfg);
        try (Backend backend = Backends.open(cfg)) {
            return Progress.train(cfg, data, backend, quiet, progressEvery, runsDir);
        }
    }
}
