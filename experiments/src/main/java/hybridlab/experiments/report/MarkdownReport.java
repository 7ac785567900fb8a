package hybridlab.experiments.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code report.md}: a header saying what the tables cover, the reproducible metrics with their
 * intervals, the comparisons (matched training loss, paired differences, data size, validation),
 * then the measured throughput, then the figures. Nothing in it depends on when it was built.
 */
final class MarkdownReport {
    private MarkdownReport() {
    }

    /** Starts the section that differs between two runs of the same sweep; everything above it does not. */
    static final String THROUGHPUT_HEADING = "## Throughput";

    /** What the report computed from the records, beside the records themselves. */
    record Analysis(Partition partition, List<MatchedLoss.Comparison> matched, List<PairedDifferences.Pair> pairs,
                    List<DataSize.Line> dataSize) {
        static Analysis of(SweepResults r) {
            Partition p = new Partition(r);
            List<MatchedLoss.Comparison> matched = MatchedLoss.of(p);
            return new Analysis(p, matched, PairedDifferences.of(p, matched), DataSize.applies(p) ? DataSize.lines(p) : List.of());
        }

        /** The pairs per compared key, in sweep order. */
        Map<String, List<PairedDifferences.Pair>> pairsByKey() {
            Map<String, List<PairedDifferences.Pair>> out = new LinkedHashMap<>();
            pairs.forEach(p -> out.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p));
            return out;
        }
    }

    static String of(SweepResults r, Analysis a, List<String> plots) {
        StringBuilder sb = new StringBuilder();
        header(sb, r);
        sb.append("\n## Metrics\n\nTraining results, which depend on the runs' configs and seeds but not on timing. "
                + "Mean ± sample std over seeds, then the 95% confidence interval of the mean `[low, high]` (Student t with n - 1 "
                + "degrees of freedom; none for a single seed); n is the number of seeds in the header, `(k/n)` marks a mean over "
                + "k of the n planned seeds; `" + Labels.UNSET + "` means the key was not set (the preset's value).\n");
        for (Metric m : r.spec().metrics()) {
            sb.append("\n### ").append(m.title()).append("\n\n").append(Markdown.table(DisplayTables.metric(r, m)));
        }
        sb.append("\n### All metrics\n\n").append(Markdown.table(DisplayTables.summary(r)));
        if (r.diverged() > 0) {
            sb.append("\n### Diverged runs\n\nStopped when the batch loss became NaN or exploded; left out of the means.\n\n")
                    .append(Markdown.table(DisplayTables.diverged(r)));
        }
        matched(sb, a);
        paired(sb, a);
        dataSize(sb, a);
        validation(sb, r);
        sb.append('\n').append(THROUGHPUT_HEADING).append("\n\nMeasured (steady state, warm-up excluded), so it varies "
                + "from run to run; compare devices only within one report.\n\n")
                .append(Markdown.table(DisplayTables.throughput(r)));
        if (!plots.isEmpty()) {
            sb.append("\n## Figures\n\nPanels: one column per group (").append(groupsText(r.spec().groups()))
                    .append("), one row per value of ").append(a.partition().facetKeys.isEmpty() ? "nothing (one row)"
                            : "`" + String.join("`, `", a.partition().facetKeys) + "`")
                    .append("; each variant keeps its colour in every figure. Sized for a paper: 7 in wide (3.3 in for one column "
                            + "of panels), text in the SVG and PDF is text (DejaVu Sans).\n\n");
            for (String p : plots) {
                sb.append("![").append(p).append("](").append(p).append(".png) ([SVG](").append(p).append(".svg), [PDF](")
                        .append(p).append(".pdf))\n\n").append(CAPTIONS.getOrDefault(p, "")).append("\n\n");
            }
        }
        return sb.toString();
    }

    static final Map<String, String> CAPTIONS = Map.of(
            "loss_vs_accuracy", "*Test accuracy against training loss (as trained), a point per epoch, mean over seeds; dashed: the "
                    + "matched training loss of each panel.*",
            "gap", "*Generalization gap (training minus test accuracy, eval mode) with 95% intervals where n > 1.*",
            "data_size", "*Test accuracy against the number of training images (log scale), with 95% intervals where n > 1.*",
            "throughput", "*Training (dark) and inference (light) images/s per device (measured).*");

    private static String groupsText(Grouping g) {
        return switch (g) {
            case Grouping.ByFamily f -> "model family: CoAtNet with ViT-REL, CoaT, ViTAE";
            case Grouping.ByKey k -> "value of `" + k.key() + "`";
            case Grouping.Named n -> "the sweep's named groups";
        };
    }

    private static void matched(StringBuilder sb, Analysis a) {
        sb.append("\n## Test accuracy at matched training loss\n\nThe CoAtNet paper compares generalization at equal training "
                + "loss, since a model that fits less also has a smaller train-test gap. The loss used is the **training loss as "
                + "trained**: the mean batch loss over each epoch, in train mode, as recorded per epoch (not the eval-mode "
                + "`train_loss` of the metric tables). Per group and ");
        sb.append(a.partition().facetKeys.isEmpty() ? "sweep" : "value of `" + String.join("`, `", a.partition().facetKeys) + "`")
                .append(", each run's test accuracy is interpolated linearly between the two epochs where its training loss first "
                        + "reaches the matched level, the lowest training loss that every compared variant reaches (all its seeds). "
                        + "A variant whose first epoch is already below that level cannot be placed on it; when no level covers every "
                        + "variant, the level covers the most, and the others are named under the table.\n");
        if (a.matched().isEmpty()) {
            sb.append("\nNo group has two variants with finished runs to compare.\n");
            return;
        }
        for (MatchedLoss.Comparison c : a.matched()) {
            sb.append("\n### ").append(a.partition().heading(c.group(), c.facet())).append("\n\nMatched training loss **")
                    .append(MatchedLoss.loss(c.level())).append("** (the lowest that ").append(c.setBy()).append(" reaches).\n\n");
            if (!c.compared().isEmpty()) {
                sb.append(Markdown.table(DisplayTables.matchedLoss(c)));
            }
            if (!c.missed().isEmpty()) {
                sb.append("\nNot compared: ").append(MatchedLoss.missedText(c)).append(".\n");
            }
        }
    }

    private static void paired(StringBuilder sb, Analysis a) {
        sb.append("\n## Paired differences\n\nFor each key that takes two values (e.g. fusion pre/post, cpe true/false, pcm "
                + "true/false), the variants that differ only in it, matched by seed: the per-seed difference in test accuracy (first "
                + "value minus second, in points), its mean and 95% interval (Student t, n - 1 degrees of freedom). An interval that "
                + "excludes 0 resolves the difference at this number of seeds. `Δ at matched loss` is the same at the matched training "
                + "loss above. `paired.csv` has every metric.\n");
        if (a.pairs().isEmpty()) {
            sb.append("\nNo such pair has finished runs of a common seed.\n");
            return;
        }
        for (Map.Entry<String, List<PairedDifferences.Pair>> e : a.pairsByKey().entrySet()) {
            PairedDifferences.Pair first = e.getValue().get(0);
            sb.append("\n### `").append(e.getKey()).append("`: ").append(first.first()).append(" - ").append(first.second()).append("\n\n")
                    .append(Markdown.table(DisplayTables.paired(e.getKey(), first.first(), first.second(), e.getValue())));
        }
    }

    private static void dataSize(StringBuilder sb, Analysis a) {
        if (a.dataSize().isEmpty()) {
            return;
        }
        sb.append("\n## Data size\n\nTest accuracy against the size of the training subset (stratified, seeded), mean ± std over "
                + "seeds; † marks the best variant at each size. Two variants cross where their order changes between two sizes "
                + "both have.\n");
        List<DataSize.Crossover> crossings = DataSize.crossovers(a.dataSize());
        for (String g : a.partition().groups) {
            if (a.dataSize().stream().noneMatch(l -> l.group().equals(g))) {
                continue;
            }
            sb.append("\n### ").append(g).append("\n\n").append(Markdown.table(DisplayTables.dataSize(a.dataSize(), g)));
            List<DataSize.Crossover> here = crossings.stream().filter(c -> c.below().group().equals(g)).toList();
            if (here.isEmpty()) {
                sb.append("\nNo crossover: the variants keep their order at every size they share.\n");
            } else {
                sb.append("\nCrossovers:\n\n");
                here.forEach(c -> sb.append("* ").append(DataSize.sentence(c)).append(".\n"));
            }
        }
    }

    private static void validation(StringBuilder sb, SweepResults r) {
        sb.append("\n## Model selection on validation data\n\n");
        Table t = DisplayTables.validation(r);
        if (t.rows().isEmpty()) {
            sb.append("No record of this sweep has a validation split, so no epoch is selected on held-out training data: the "
                    + "tables report the last epoch (`test_acc`), and `best_test_acc` picks its epoch on the test set itself, which "
                    + "flatters it; do not compare variants on it.\n");
            return;
        }
        sb.append("Runs with a validation split carved from the training set: the epoch with the best validation accuracy, and the "
                + "test accuracy at that epoch (selected without looking at the test set), mean ± std and 95% interval.\n\n")
                .append(Markdown.table(t));
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
