package hybridlab.experiments.sweep;

import hybridlab.experiments.report.Report;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code experiments run} with {@link FakeExecutor} in place of training, for a child JVM that a
 * test kills: {@code FakeSweepMain SWEEP.yaml OUTPUT DELAY_MS}.
 */
public final class FakeSweepMain {
    private FakeSweepMain() {
    }

    public static void main(String[] args) throws Exception {
        FakeExecutor executor = new FakeExecutor(Set.of(), Set.of(), Long.parseLong(args[2]));
        Sweep sweep = Sweep.prepare(Path.of(args[0]), List.of(), Path.of(args[1]), executor);
        sweep.run(Selection.ALL, executor, System.err);
        Report.write(sweep.output(), System.err);
    }
}
