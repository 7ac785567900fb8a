package hybridlab.experiments.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import hybridlab.experiments.config.Files;
import hybridlab.experiments.train.RunRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Run record files ({@code <run-id>.json}): reading one strictly, or a folder of them leniently. */
public final class Records {
    private Records() {
    }

    /** Fields added by later versions are ignored, so older code still reads newer records. */
    private static final ObjectReader READER = Files.JSON.readerFor(RunRecord.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A record file that cannot be used: truncated by a crash, edited, or not a record. */
    public static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(Path file, String problem) {
            super(file + ": " + problem);
        }
    }

    public static Path file(Path runsDir, String runId) {
        return runsDir.resolve(runId + ".json");
    }

    /** Reads and checks one record: it must parse, name its own run id and be finished or diverged. */
    public static RunRecord read(Path file) throws Unusable {
        RunRecord r;
        try {
            r = READER.readValue(file.toFile());
        } catch (IOException e) {
            throw new Unusable(file, "unreadable run record (truncated by a crash?): " + firstLine(e.getMessage()));
        }
        String expected = file.getFileName().toString().replaceFirst("\\.json$", "");
        if (r == null || !expected.equals(r.runId())) {
            String found = r == null || r.runId() == null ? "missing" : "'" + r.runId() + "'";
            throw new Unusable(file, "the record's run_id is " + found + ", not '" + expected + "'");
        }
        boolean finished = RunRecord.FINISHED.equals(r.status()) && r.result() != null && r.epochs() != null
                && r.model() != null && r.throughput() != null && r.env() != null;
        boolean diverged = RunRecord.DIVERGED.equals(r.status()) && r.divergence() != null;
        if (!finished && !diverged) {
            throw new Unusable(file, "incomplete run record (status '" + r.status() + "')");
        }
        return r;
    }

    /** Every usable record in {@code runsDir} by run id; unusable ones are skipped with a warning. */
    public static SortedMap<String, RunRecord> readAll(Path runsDir, PrintStream warnings) throws IOException {
        SortedMap<String, RunRecord> out = new TreeMap<>();
        if (!java.nio.file.Files.isDirectory(runsDir)) {
            return out;
        }
        List<Path> files;
        try (Stream<Path> s = java.nio.file.Files.list(runsDir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json") && !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        for (Path f : files) {
            try {
                RunRecord r = read(f);
                out.put(r.runId(), r);
            } catch (Unusable e) {
                warnings.println("warning: " + e.getMessage() + "; left out of the report");
            }
        }
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
