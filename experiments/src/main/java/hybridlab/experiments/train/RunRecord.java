package hybridlab.experiments.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Everything a finished (or diverged) run leaves behind, written as one JSON file.
 * {@code metrics}-like parts ({@code epochs}, {@code final}) depend only on the config, seed and
 * backend; {@code throughput}, {@code timing} and {@code env} describe the execution.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(
        int schema,
        String runId,
        String status,
        Map<String, Object> config,
        int seed,
        ModelSummary model,
        Env env,
        List<Epoch> epochs,
        @JsonProperty("final") Final result,
        Throughput throughput,
        Divergence divergence,
        Timing timing) {

    public static final int SCHEMA = 1;
    public static final String FINISHED = "finished", DIVERGED = "diverged";

    public record ModelSummary(String name, String family, long params, long flops, String config) {
    }

    public record Env(String gitCommit, String backend, String device, String deviceDescription, int threads,
                      String jvm, String os, String cpu) {
    }

    /**
     * One epoch: training loss/accuracy as trained (train mode, running over the epoch) and the
     * test set in eval mode after it; the validation split's loss/accuracy in eval mode when the
     * run has one (null otherwise, and in records written before the field).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Epoch(int epoch, double trainLoss, double trainAcc, double testLoss, double testAcc, double lr,
                        double gradNorm, Double valLoss, Double valAcc) {
        /** An epoch of a run without a validation split. */
        public Epoch(int epoch, double trainLoss, double trainAcc, double testLoss, double testAcc, double lr, double gradNorm) {
            this(epoch, trainLoss, trainAcc, testLoss, testAcc, lr, gradNorm, null, null);
        }
    }

    /**
     * After training, in eval mode: the training set's loss/accuracy and the test set's; the
     * generalization gaps are train minus test ({@code gap_acc > 0} means the model fits the
     * training set better than it generalises; {@code gap_loss < 0} likewise). With a validation
     * split: the best validation accuracy, its epoch (1-based) and the test accuracy at that epoch,
     * the model selection that does not look at the test set (null without a split).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Final(double trainLoss, double trainAcc, double testLoss, double testAcc, double gapAcc,
                        double gapLoss, double bestTestAcc, double finalTestAcc, int trainImages, int testImages,
                        Double bestValAcc, Integer bestValEpoch, Double testAccAtBestVal) {
        /** The final metrics of a run without a validation split (no model selection). */
        public Final(double trainLoss, double trainAcc, double testLoss, double testAcc, double gapAcc, double gapLoss,
                     double bestTestAcc, double finalTestAcc, int trainImages, int testImages) {
            this(trainLoss, trainAcc, testLoss, testAcc, gapAcc, gapLoss, bestTestAcc, finalTestAcc, trainImages, testImages,
                    null, null, null);
        }
    }

    /** Steady-state images per second (warm-up steps excluded) and memory. */
    public record Throughput(double trainImgS, double inferImgS, double planMemoryMb, double peakHeapMb,
                             double compileSeconds) {
    }

    public record Divergence(int epoch, long step, double loss) {
    }

    public record Timing(String started, double seconds) {
    }
}
