package hybridlab.experiments.report;

import java.util.List;

/**
 * {@code report.md}: a header saying what the tables cover, the reproducible metrics, then the
 * measured throughput, then the plots. Nothing in it depends on when it was built.
 */
final class MarkdownReport {
    private MarkdownReport() {
    }

    /** Starts the section that differs between two runs of the same sweep; everything above it does not. */
    static final String THROUGHPUT_HEADING = "## Throughput";

    static String of(SweepResults r, List<String> plots) {
        StringBuilder sb = new StringBuilder();
        header(sb, r);
        sb.append("\n## Metrics\n\nTraining results, which depend on the runs' configs and seeds but not on timing. "
                + "Mean ± sample std over seeds; `(k/n)` marks a mean over k of the n planned seeds; "
                + "`" + Labels.UNSET + "` means the key was not set (the preset's value).\n");
        for (Metric m : r.spec().metrics()) {
            sb.append("\n### ").append(m.title()).append("\n\n").append(Markdown.table(DisplayTables.metric(r, m)));
        }
        sb.append("\n### All metrics\n\n").append(Markdown.table(DisplayTables.summary(r)));
        if (r.diverged() > 0) {
            sb.append("\n### Diverged runs\n\nStopped when the batch loss became NaN or exploded; left out of the means.\n\n")
                    .append(Markdown.table(DisplayTables.diverged(r)));
        }
        sb.append('\n').append(THROUGHPUT_HEADING).append("\n\nMeasured (steady state, warm-up excluded), so it varies "
                + "from run to run; compare devices only within one report.\n\n")
                .append(Markdown.table(DisplayTables.throughput(r)));
        if (!plots.isEmpty()) {
            sb.append("\n## Plots\n\n");
            for (String p : plots) {
                sb.append("![").append(p).append("](").append(p).append(".png) ([SVG](").append(p).append(".svg))\n\n");
            }
        }
        return sb.toString();
    }

    private static void header(StringBuilder sb, SweepResults r) {
        Manifest m = r.manifest();
        int variants = m.variants().size(), seeds = variants == 0 ? 0 : r.planned() / variants;
        sb.append("# Sweep `").append(m.name()).append("`\n\n");
        sb.append("From `").append(m.sweepFile()).append("`: ").append(r.planned()).append(" runs planned (")
                .append(variants).append(variants == 1 ? " variant" : " variants").append(" x ").append(seeds)
                .append(seeds == 1 ? " seed); " : " seeds); ")
                .append(r.finished()).append(" finished, ").append(r.diverged()).append(" diverged, ")
                .append(r.missing()).append(" missing.\n");
        if (!m.overrides().isEmpty()) {
            sb.append("\nEvery run with `").append(String.join("`, `", m.overrides()))
                    .append("` set on the command line (`--set`), over the file's values.\n");
        }
        if (r.missing() > 0) {
            sb.append("\n> **Partial sweep**: the tables cover only the ").append(r.finished() + r.diverged())
                    .append(" of ").append(r.planned()).append(" runs recorded so far.\n");
        }
        if (r.strayRecords() > 0) {
            sb.append("\n").append(r.strayRecords()).append(" record(s) in `runs/` belong to no run of this sweep and are not shown.\n");
        }
        if (!r.commits().isEmpty()) {
            sb.append("\nCode: ").append(r.commits().size() == 1 ? "commit " : "commits ")
                    .append(String.join(", ", r.commits().stream().map(c -> "`" + c + "`").toList())).append(".\n");
        }
        sb.append("\nBuilt from the run records by `experiments report`; the same records give byte-identical files.\n");
    }
}
