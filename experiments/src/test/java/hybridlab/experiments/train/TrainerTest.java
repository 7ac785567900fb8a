package hybridlab.experiments.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.backend.JvmBackend;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.data.Data;
import hybridlab.kernels.RelAttention;
import hybridlab.models.coatnet.CoAtNetConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerTest {
    /** A small CoAtNet with both block types, so every kernel of the family runs. */
    static final CoAtNetConfig TINY = new CoAtNetConfig("CCTT", new int[] {1, 1, 1, 2, 1}, new int[] {8, 16, 16, 32, 32}, 1,
            RelAttention.Fusion.PRE, 16, 4, 0.25f, 2, 1, 32, 10, 0.1f);

    static RunConfig config(int threads, int epochs) {
        return RunConfig.defaults().withAll(Map.of("dataset", "synthetic", "synthetic_train", 1200, "synthetic_test", 300,
                "epochs", epochs, "batch", 32, "eval_batch", 64, "lr", 3e-3, "threads", threads, "seed", 5), "test")
                .withAll(Map.of("label_smoothing", 0.1, "clip_norm", 1.0), "test");
    }

    static RunRecord train(RunConfig cfg) throws Exception {
        try (JvmBackend b = new JvmBackend(cfg.backend().hostThreads())) {
            return Trainer.run(cfg, TINY, Data.load(cfg), b, new Trainer.Listener() { });
        }
    }

    @Test
    void sameRunOnOneAndThreeThreadsGivesIdenticalMetrics() throws Exception {
        RunRecord one = train(config(1, 1)), three = train(config(3, 1));
        assertEquals(one.epochs(), three.epochs(), "per-epoch metrics");
        assertEquals(one.result(), three.result(), "final metrics");
        assertEquals(one.runId(), three.runId(), "threads are not part of a run's identity");
    }

    @Test
    void modelLearnsTheSyntheticTask() throws Exception {
        RunRecord r = train(config(2, 3));
        assertEquals(RunRecord.FINISHED, r.status());
        assertEquals(3, r.epochs().size());
        assertTrue(r.epochs().get(2).trainLoss() < r.epochs().get(0).trainLoss(), "training loss falls");
        assertTrue(r.result().testAcc() > 0.8, "test accuracy " + r.result().testAcc());
        assertEquals(r.result().trainAcc() - r.result().testAcc(), r.result().gapAcc(), 1e-12);
        assertEquals(r.result().trainLoss() - r.result().testLoss(), r.result().gapLoss(), 1e-12);
        assertArrayEquals(new int[] {1200, 300}, new int[] {r.result().trainImages(), r.result().testImages()});
    }

    @Test
    void hugeLearningRateIsRecordedAsDiverged() throws Exception {
        RunRecord r = train(config(2, 1).with("lr", 1000.0, "test").with("warmup", 0.0, "test"));
        assertEquals(RunRecord.DIVERGED, r.status(), "status");
        assertTrue(r.divergence().step() >= 0);
    }
}
