package hybridlab.experiments.report;

import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.train.RunRecord;
import java.util.ArrayList;
import java.util.List;

/** Run records made up from a config alone: the same config always gives the same record. */
public final class FakeRecords {
    private FakeRecords() {
    }

    /** A finished run whose numbers are a fixed function of the run id. */
    public static RunRecord finished(RunConfig cfg) {
        double u = unit(cfg.runId());
        List<RunRecord.Epoch> epochs = new ArrayList<>();
        int n = cfg.schedule().epochs();
        for (int e = 1; e <= n; e++) {
            epochs.add(new RunRecord.Epoch(e, 2.0 / e - u / 10, 0.5 + 0.4 * e / n, 1.0 / e + u / 10, 0.6 + 0.3 * u * e / n, 1e-3, 1.0));
        }
        RunRecord.Epoch last = epochs.get(epochs.size() - 1);
        double trainAcc = Math.min(1, last.testAcc() + 0.05), trainLoss = last.testLoss() - 0.1;
        RunRecord.Final fin = new RunRecord.Final(trainLoss, trainAcc, last.testLoss(), last.testAcc(), trainAcc - last.testAcc(),
                trainLoss - last.testLoss(), last.testAcc(), last.testAcc(), 256, 128);
        return record(cfg, RunRecord.FINISHED, epochs, fin, null);
    }

    /**
     * A finished run with the given per-epoch training loss (as trained) and test accuracy; the
     * final test accuracy is the last epoch's.
     */
    public static RunRecord withCurve(RunConfig cfg, double[] trainLoss, double[] testAcc) {
        List<RunRecord.Epoch> epochs = new ArrayList<>();
        for (int e = 0; e < trainLoss.length; e++) {
            epochs.add(new RunRecord.Epoch(e + 1, trainLoss[e], 0.5, 0.5, testAcc[e], 1e-3, 1.0));
        }
        double acc = testAcc[testAcc.length - 1];
        RunRecord.Final fin = new RunRecord.Final(0.3, acc + 0.05, 0.5, acc, 0.05, -0.2, acc, acc, 600, 100);
        return record(cfg, RunRecord.FINISHED, epochs, fin, null);
    }

    /** {@code r} with a validation split: best validation accuracy, its epoch and the test accuracy then. */
    public static RunRecord withValidation(RunRecord r, double bestVal, int bestEpoch, double testAtBest) {
        RunRecord.Final f = r.result();
        RunRecord.Final v = new RunRecord.Final(f.trainLoss(), f.trainAcc(), f.testLoss(), f.testAcc(), f.gapAcc(), f.gapLoss(),
                f.bestTestAcc(), f.finalTestAcc(), f.trainImages(), f.testImages(), bestVal, bestEpoch, testAtBest, 60);
        return new RunRecord(r.schema(), r.runId(), r.status(), r.config(), r.seed(), r.model(), r.env(), r.epochs(), v, r.throughput(),
                r.divergence(), r.timing());
    }

    /** {@code r} as if trained on {@code images} training images. */
    public static RunRecord withTrainImages(RunRecord r, int images, double testAcc) {
        RunRecord.Final f = r.result();
        RunRecord.Final v = new RunRecord.Final(f.trainLoss(), f.trainAcc(), f.testLoss(), testAcc, f.gapAcc(), f.gapLoss(),
                f.bestTestAcc(), f.finalTestAcc(), images, f.testImages());
        return new RunRecord(r.schema(), r.runId(), r.status(), r.config(), r.seed(), r.model(), r.env(), r.epochs(), v, r.throughput(),
                r.divergence(), r.timing());
    }

    /** {@code r} as a run of a model of {@code family}. */
    public static RunRecord ofFamily(RunRecord r, String model, String family) {
        RunRecord.ModelSummary m = new RunRecord.ModelSummary(model, family, r.model().params(), r.model().flops(), "fake");
        return new RunRecord(r.schema(), r.runId(), r.status(), r.config(), r.seed(), m, r.env(), r.epochs(), r.result(), r.throughput(),
                r.divergence(), r.timing());
    }

    /** A run that diverged in its first epoch. */
    public static RunRecord diverged(RunConfig cfg) {
        return record(cfg, RunRecord.DIVERGED, List.of(), null, new RunRecord.Divergence(0, 3, Double.NaN));
    }

    private static RunRecord record(RunConfig cfg, String status, List<RunRecord.Epoch> epochs, RunRecord.Final fin,
                                    RunRecord.Divergence divergence) {
        double u = unit(cfg.runId());
        return new RunRecord(RunRecord.SCHEMA, cfg.runId(), status, cfg.values(), cfg.seed(),
                new RunRecord.ModelSummary(cfg.model().name(), "coatnet", 594746, 26699776, "fake"),
                new RunRecord.Env("fake-commit", cfg.backend().backend(), cfg.backend().backend() + ":1", "fake device", 1, "fake jvm",
                        "fake os", "fake cpu"),
                epochs, fin, new RunRecord.Throughput(100 + 50 * u, 300 + 50 * u, 10, 100, 0.5), divergence,
                new RunRecord.Timing("2025-01-01T00:00:00Z", 1.0));
    }

    /** A number in [0, 1) fixed by {@code id}. */
    static double unit(String id) {
        return (id.hashCode() & 0xffff) / 65536.0;
    }
}
