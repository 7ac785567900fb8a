package hybridlab.experiments.report;

import com.fasterxml.jackson.core.JacksonException;
import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.Files;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code run} tells {@code report} about a sweep ({@code OUTPUT/sweep.json}): its name, the
 * table layout, and every variant with its coordinates (display values of the row and column
 * keys) and the run ids of its seeds. With the records in {@code OUTPUT/runs/} it is all the
 * report reads; it lets the report count missing runs of a partial sweep. {@code overrides} are
 * the {@code --set KEY=VALUE} the sweep was run with, so the report can say how its runs differ
 * from the file's.
 */
public record Manifest(int schema, String name, String sweepFile, List<String> overrides, ReportSpec report,
                       List<Variant> variants) {
    public Manifest {
        overrides = overrides == null ? List.of() : List.copyOf(overrides); // manifests written before the field
    }

    public static final int SCHEMA = 1;
    public static final String FILE = "sweep.json";

    /** One table cell's worth of runs: the same config over the sweep's seeds. */
    public record Variant(Map<String, String> coordinates, List<String> runs) {
    }

    public void write(Path output) throws IOException {
        Files.writeJsonAtomic(output.resolve(FILE), this);
    }

    /** The manifest of a sweep output folder, or a config error naming the file. */
    public static Manifest read(Path output) {
        Path file = output.resolve(FILE);
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new ConfigException(output + ": not a sweep output folder (no " + FILE
                    + "; 'experiments run SWEEP.yaml' writes it)");
        }
        try {
            Manifest m = Files.readJson(file, Manifest.class);
            if (m.variants() == null || m.report() == null) {
                throw new ConfigException(file + ": incomplete sweep manifest; run the sweep again to rewrite it");
            }
            return m;
        } catch (JacksonException e) {
            throw new ConfigException(file + ": unreadable sweep manifest (" + e.getOriginalMessage()
                    + "); run the sweep again to rewrite it");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage());
        }
    }
}
