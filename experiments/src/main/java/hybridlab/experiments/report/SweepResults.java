package hybridlab.experiments.report;

import hybridlab.experiments.train.RunRecord;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** A sweep's manifest joined with the records found: per-variant results and run counts. */
public record SweepResults(Manifest manifest, List<VariantResult> variants, int strayRecords, SortedSet<String> commits) {

    public static SweepResults of(Manifest m, Map<String, RunRecord> records) {
        List<VariantResult> vs = m.variants().stream().map(v -> VariantResult.of(v, records)).toList();
        Set<RunRecord> all = Collections.newSetFromMap(new IdentityHashMap<>()), planned = Collections.newSetFromMap(new IdentityHashMap<>());
        all.addAll(records.values()); // a record may be found under two ids (see Records.readAll)
        m.variants().forEach(v -> v.runs().stream().map(records::get).filter(Objects::nonNull).forEach(planned::add));
        int stray = all.size() - planned.size();
        SortedSet<String> commits = new TreeSet<>();
        for (VariantResult v : vs) {
            v.finished().forEach(r -> commits.add(r.env().gitCommit()));
            v.diverged().stream().filter(r -> r.env() != null).forEach(r -> commits.add(r.env().gitCommit()));
        }
        return new SweepResults(m, vs, stray, commits);
    }

    public ReportSpec spec() {
        return manifest.report();
    }

    public int planned() {
        return variants.stream().mapToInt(VariantResult::planned).sum();
    }

    public int finished() {
        return variants.stream().mapToInt(v -> v.finished().size()).sum();
    }

    public int diverged() {
        return variants.stream().mapToInt(v -> v.diverged().size()).sum();
    }

    public int missing() {
        return variants.stream().mapToInt(v -> v.missing().size()).sum();
    }
}
