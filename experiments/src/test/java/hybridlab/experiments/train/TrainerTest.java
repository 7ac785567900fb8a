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
import org.junit.jupiter.api.io.TempDir;

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
        return train(cfg, null);
    }

    static RunRecord train(RunConfig cfg, java.nio.file.Path dir) throws Exception {
        try (JvmBackend b = new JvmBackend(cfg.backend().hostThreads())) {
            return Trainer.run(cfg, TINY, Data.load(cfg), b, new Trainer.Listener() { }, dir);
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

    @TempDir
    java.nio.file.Path dir;

    @Test
    void aRunResumedFromItsCheckpointEndsWithTheSameRecord() throws Exception {
        RunConfig cfg = config(2, 3);
        RunRecord whole = train(cfg);
        // every 7 steps (mid-epoch: 37 steps an epoch), the last checkpoint kept: the state 4 steps before the end
        RunConfig checkpointed = cfg.with("checkpoint_every", "7 steps", "t").with("keep_checkpoints", true, "t");
        RunRecord withCheckpoints = train(checkpointed, dir);
        java.nio.file.Path ckpt = dir.resolve(checkpointed.runId() + ".ckpt");
        assertTrue(java.nio.file.Files.exists(ckpt), "kept");
        RunRecord resumed = train(checkpointed, dir);
        for (RunRecord r : java.util.List.of(withCheckpoints, resumed)) {
            assertEquals(whole.epochs(), r.epochs(), "per-epoch metrics");
            assertEquals(whole.result(), r.result(), "final metrics");
        }
        assertEquals(whole.runId(), resumed.runId(), "checkpointing does not change what the run is");
        Trainer.finished(cfg, dir);
        assertTrue(!java.nio.file.Files.exists(dir.resolve(cfg.runId() + ".ckpt")));
    }

    @Test
    void aCheckpointOfAnotherRunOrACorruptOneIsSetAsideAndTheRunStartsAfresh() throws Exception {
        RunConfig cfg = config(2, 2).with("checkpoint_every", 1, "t");
        RunConfig other = cfg.with("lr", 1e-3, "t");
        assertTrue(!cfg.runId().equals(other.runId()));
        RunRecord fresh = train(cfg);
        train(other, dir); // leaves its checkpoint of epoch 1
        java.nio.file.Path mine = dir.resolve(cfg.runId() + ".ckpt"), aside = dir.resolve(cfg.runId() + ".ckpt.unusable");
        java.nio.file.Files.move(dir.resolve(other.runId() + ".ckpt"), mine);
        assertEquals(fresh.epochs(), train(cfg, dir).epochs(), "another run's state is not resumed");
        assertTrue(java.nio.file.Files.readString(aside, java.nio.charset.StandardCharsets.ISO_8859_1).contains(other.runId()));

        java.nio.file.Files.write(mine, "HLCKPT01 but nothing else".getBytes());
        assertEquals(fresh.epochs(), train(cfg, dir).epochs(), "a cut-short checkpoint is not resumed");
        assertEquals("HLCKPT01 but nothing else", java.nio.file.Files.readString(aside));
    }

    @Test
    void aValidationSplitIsHeldOutAndSelectsTheEpoch() throws Exception {
        RunRecord r = train(config(2, 3).with("val_fraction", 0.25, "t"));
        assertEquals(900, r.result().trainImages(), "a quarter of 1200 held out");
        assertEquals(300, r.result().valImages());
        double best = r.epochs().stream().mapToDouble(RunRecord.Epoch::valAcc).max().orElseThrow();
        RunRecord.Epoch chosen = r.epochs().stream().filter(e -> e.valAcc() == best).findFirst().orElseThrow();
        assertEquals(best, r.result().bestValAcc());
        assertEquals(chosen.epoch(), r.result().bestValEpoch());
        assertEquals(chosen.testAcc(), r.result().testAccAtBestVal(), "the test accuracy of the epoch validation chose");
        assertEquals(null, train(config(2, 1)).epochs().get(0).valAcc(), "no validation without val_fraction");
    }
}
