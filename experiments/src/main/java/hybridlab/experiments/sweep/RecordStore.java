package hybridlab.experiments.sweep;

import hybridlab.experiments.report.Records;
import hybridlab.experiments.train.RunRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The finished runs of a sweep: {@code runs/<run-id>.json}, each written atomically (a temporary
 * file renamed into place), so a record exists completely or not at all, whenever the process
 * dies. A record that cannot be read anyway (a copy cut short, a hand edit) is moved aside to
 * {@code <run-id>.json.corrupt}, so its run trains again. Records filed under an older run-id
 * scheme count for the run their config describes ({@link Records#canonicalId}).
 */
final class RecordStore {
    enum State { DONE, MISSING, UNUSABLE }

    private final Path runs;
    /** Canonical run id -> file, for the records whose file name is another id. */
    private final Map<String, Path> filedElsewhere = new HashMap<>();

    RecordStore(Path runs, PrintStream warnings) throws IOException {
        this.runs = runs;
        Records.readAll(runs, warnings).forEach((id, r) -> {
            if (!id.equals(r.runId())) {
                filedElsewhere.put(id, Records.file(runs, r.runId()));
            }
        });
    }

    Path runs() {
        return runs;
    }

    /** What the record of {@code runId} looks like now; changes nothing. */
    State state(String runId) {
        Path f = Records.file(runs, runId);
        if (!java.nio.file.Files.exists(f)) {
            return filedElsewhere.containsKey(runId) ? State.DONE : State.MISSING;
        }
        try {
            Records.read(f);
            return State.DONE;
        } catch (Records.Unusable e) {
            return State.UNUSABLE;
        }
    }

    /** Whether {@code runId} has a usable record; an unusable one is set aside with a warning. */
    boolean done(String runId, PrintStream warnings) throws IOException {
        Path f = Records.file(runs, runId);
        if (!java.nio.file.Files.exists(f)) {
            return filedElsewhere.containsKey(runId);
        }
        try {
            Records.read(f);
            return true;
        } catch (Records.Unusable e) {
            Path aside = f.resolveSibling(f.getFileName() + ".corrupt");
            java.nio.file.Files.move(f, aside, StandardCopyOption.REPLACE_EXISTING);
            warnings.println("warning: " + e.getMessage() + "; moved to " + aside.getFileName() + ", the run trains again");
            return false;
        }
    }

    /** Writes {@code r}; an {@link hybridlab.experiments.config.OutputException} says where it was kept instead. */
    void write(RunRecord r) {
        Records.write(runs, r);
    }
}
