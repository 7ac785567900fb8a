package hybridlab.experiments.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.report.FakeRecords;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordDiffTest {
    private static RunRecord on(RunRecord r, String description, double testAcc) {
        RunRecord.Env e = r.env();
        RunRecord.Final f = r.result();
        RunRecord.Final g = new RunRecord.Final(f.trainLoss(), f.trainAcc(), f.testLoss(), testAcc, f.gapAcc(), f.gapLoss(),
                f.bestTestAcc(), f.finalTestAcc(), f.trainImages(), f.testImages());
        return new RunRecord(r.schema(), r.runId(), r.status(), r.config(), r.seed(), r.model(),
                new RunRecord.Env(e.gitCommit(), e.backend(), e.device(), description, e.threads(), e.jvm(), e.os(), e.cpu()),
                r.epochs(), g, r.throughput(), r.divergence(), r.timing());
    }

    @Test
    void theFirstDifferingFieldIsNamedAndAnotherVectorWidthExplainsIt() {
        RunRecord base = FakeRecords.finished(RunConfig.defaults());
        RunRecord a = on(base, "JVM 25, 2 thread(s), Vector API 512-bit, amd64", 0.75),
                b = on(base, "JVM 25, 2 thread(s), Vector API 256-bit, amd64", 0.7512);
        assertEquals(Optional.empty(), RecordDiff.firstDifference(a, on(base, "other words, Vector API 512-bit", 0.75)),
                "the machine's description is not compared");
        assertEquals(Optional.of("final.test_acc: 0.75 vs 0.7512"), RecordDiff.firstDifference(a, b));
        assertEquals(Optional.of("the record was made with 512-bit vectors, this machine has 256-bit (the JVM backend's float sums "
                + "follow the vector width)"), RecordDiff.machineDifference(a, b));
        assertEquals(Optional.empty(), RecordDiff.machineDifference(a, a));
    }
}
