package hybridlab.experiments.sweep;

import hybridlab.experiments.report.Manifest;
import hybridlab.experiments.report.ReportSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * An expanded sweep: its variants, its runs in order (seed by seed, each seed over all
 * variants, so a partial sweep already has a complete table for the first seeds), where the
 * output goes ({@code outputWhere} names the source of that path for messages) and the report's
 * final layout.
 */
public record SweepPlan(SweepFile file, Path output, String outputWhere, List<Variant> variants, List<SweepRun> runs,
                        ReportSpec report) {

    public List<SweepRun> runs(Selection selection) {
        return runs.stream().filter(selection::owns).toList();
    }

    public Manifest manifest() {
        return new Manifest(Manifest.SCHEMA, file.name(), Path.of(file.source()).getFileName().toString(), report,
                variants.stream().map(v -> new Manifest.Variant(v.coordinates(), v.runIds())).toList());
    }
}
