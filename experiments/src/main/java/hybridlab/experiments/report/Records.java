package hybridlab.experiments.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.Files;
import hybridlab.experiments.config.OutputException;
import hybridlab.experiments.config.RunConfig;
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

    /**
     * Writes {@code r} atomically as {@code runsDir/<run-id>.json}. If that fails (a full disk, a
     * folder gone), the record is saved to a fallback file in the temporary folder (or, failing
     * that too, printed to standard output) and the failure, naming both places, is thrown.
     */
    public static Path write(Path runsDir, RunRecord r) {
        Path file = file(runsDir, r.runId());
        try {
            Files.writeJsonAtomic(file, r);
            return file;
        } catch (IOException e) {
            Path fallback = Path.of(System.getProperty("java.io.tmpdir"), "hybridlab-" + r.runId() + ".json");
            String kept;
            try {
                Files.writeJsonAtomic(fallback, r);
                kept = "the record was saved to " + fallback + " instead; move it to " + file;
            } catch (IOException again) {
                try {
                    System.out.println(Files.JSON.writeValueAsString(r));
                } catch (IOException ignored) {
                    // nothing more can be done
                }
                kept = "the fallback " + fallback + " failed too (" + Files.reason(again)
                        + "), so the record was printed to standard output";
            }
            throw new OutputException(file + ": cannot be written (" + Files.reason(e) + "); " + kept);
        }
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

    /**
     * Every usable record in {@code runsDir} by its canonical run id (derived from its config, see
     * {@link #canonicalId}), and also by the id it was filed under when that differs (records of
     * an older id scheme), so manifests of either scheme find them; unusable files are skipped
     * with a warning, and of two records of one run the first by file name is kept.
     */
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
                String id = canonicalId(r);
                if (out.containsKey(id)) {
                    warnings.println("warning: " + f + " records the same run as " + out.get(id).runId() + ".json; left out");
                    continue;
                }
                out.put(id, r);
                out.putIfAbsent(r.runId(), r);
            } catch (Unusable e) {
                warnings.println("warning: " + e.getMessage() + "; left out of the report");
            }
        }
        return out;
    }

    /**
     * The run id the current code gives the record's config: the id it was filed under for
     * records of this scheme, the new one for records filed under an older one; the filed id
     * when the config cannot be read any more (a preset or key that no longer exists).
     */
    public static String canonicalId(RunRecord r) {
        if (r.config() == null) {
            return r.runId();
        }
        try {
            return RunConfig.fromRecord(r.config(), null).runId();
        } catch (ConfigException e) {
            return r.runId();
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
