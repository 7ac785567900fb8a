package hybridlab.experiments.sweep;

import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.report.FakeRecords;
import hybridlab.experiments.train.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Trains nothing: returns {@link FakeRecords} at once (or after {@code delayMillis}), counts
 * calls, and can make chosen runs diverge or throw. Only the {@code jvm} backend exists.
 */
final class FakeExecutor implements RunExecutor {
    final List<String> trained = new ArrayList<>();
    private final Set<String> divergingModels, failingModels;
    private final long delayMillis;

    FakeExecutor() {
        this(Set.of(), Set.of(), 0);
    }

    FakeExecutor(Set<String> divergingModels, Set<String> failingModels, long delayMillis) {
        this.divergingModels = divergingModels;
        this.failingModels = failingModels;
        this.delayMillis = delayMillis;
    }

    @Override
    public void checkBackend(RunConfig cfg, String where) {
        if (!cfg.backend().backend().equals("jvm")) {
            throw ConfigException.at(where, "backend", "unknown backend '" + cfg.backend().backend() + "'; available: [jvm]");
        }
    }

    @Override
    public RunRecord train(RunConfig cfg, java.nio.file.Path runsDir) throws InterruptedException {
        trained.add(cfg.runId());
        Thread.sleep(delayMillis);
        if (failingModels.contains(cfg.model().name())) {
            throw new IllegalStateException("out of device memory (fake)");
        }
        return divergingModels.contains(cfg.model().name()) ? FakeRecords.diverged(cfg) : FakeRecords.finished(cfg);
    }
}
