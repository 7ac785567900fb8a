package hybridlab.experiments.sweep;

import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.train.RunRecord;
import java.nio.file.Path;

/** Trains the runs of a sweep: the CLI opens real backends; tests count or fake trainings. */
public interface RunExecutor {
    /** Fails with a config error (prefixed by {@code where}) when the config's backend/device cannot be used here. */
    void checkBackend(RunConfig cfg, String where);

    /**
     * Trains one run; a diverged run is a normal result, an exception means the run could not be
     * done. {@code runsDir} is the folder of the run's record: its checkpoints and weights go there.
     */
    RunRecord train(RunConfig cfg, Path runsDir) throws Exception;
}
