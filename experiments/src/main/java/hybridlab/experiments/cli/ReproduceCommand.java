package hybridlab.experiments.cli;

import hybridlab.experiments.Main;
import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.data.Data;
import hybridlab.experiments.data.Subsets;
import hybridlab.experiments.report.Manifest;
import hybridlab.experiments.report.Records;
import hybridlab.experiments.report.Report;
import hybridlab.experiments.train.RecordDiff;
import hybridlab.experiments.train.RunRecord;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code experiments reproduce DIR}: trains the runs of a results folder again from their
 * records' configs (all of them, or a seeded sample) and checks that every reproducible field
 * (status, per-epoch and final metrics, divergence, model summary) equals the record bit for
 * bit. Nothing in DIR is changed; the new records go to a temporary folder.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Retrain a results folder's runs and check their metrics bit for bit against the records.")
public final class ReproduceCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "a sweep's output folder (DIR/runs/*.json), e.g. results/ablation")
    Path dir;

    @Option(names = "--sample", paramLabel = "K", description = "only K runs, chosen by --seed (default: all)")
    Integer sample;

    @Option(names = "--seed", description = "seed of the sample (default 0)")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "host threads (never changes results; default: the machine's)")
    Integer threads;

    @Option(names = {"-q", "--quiet"}, description = "no progress output")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        Manifest.read(dir);
        if (sample != null && sample < 1) {
            throw new ConfigException("--sample: " + sample + " is not an integer >= 1");
        }
        Set<RunRecord> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(Records.readAll(dir.resolve(Report.RUNS), System.err).values());
        List<RunRecord> records = new ArrayList<>(distinct);
        records.sort((a, b) -> a.runId().compareTo(b.runId()));
        if (records.isEmpty()) {
            throw new ConfigException(dir + ": no run records in " + dir.resolve(Report.RUNS));
        }
        List<RunRecord> chosen = choose(records);
        LocalExecutor executor = new LocalExecutor(quiet, Progress.DEFAULT_EVERY, threads);
        // every run's config, backend and data checked before the first one trains
        List<RunConfig> configs = new ArrayList<>();
        for (RunRecord want : chosen) {
            String where = want.runId() + ".json";
            RunConfig cfg = RunConfig.fromRecord(want.config(), where + ": config");
            executor.checkBackend(cfg, where);
            Data.check(cfg, where);
            configs.add(cfg);
        }
        PrintStream out = System.out;
        int differ = 0;
        Path scratch = Files.createTempDirectory("hybridlab-reproduce-");
        try {
            for (int i = 0; i < chosen.size(); i++) {
                RunRecord want = chosen.get(i);
                out.printf("[%d/%d] %s%n", i + 1, chosen.size(), want.runId());
                RunRecord got = executor.train(configs.get(i), scratch);
                Optional<String> d = RecordDiff.firstDifference(want, got);
                if (d.isPresent()) {
                    differ++;
                    out.println("  DIFFERS: " + d.get());
                    RecordDiff.machineDifference(want, got).ifPresent(m -> out.println("  note: " + m + "; bits are reproducible only there"));
                } else {
                    out.println("  identical");
                }
            }
        } finally {
            deleteTree(scratch);
        }
        out.printf("%s: %d of %d runs reproduced bit for bit%s%n", dir, chosen.size() - differ, chosen.size(),
                sample == null ? "" : " (a sample of " + records.size() + ", seed " + seed + ")");
        return differ == 0 ? 0 : Main.RUN_FAILED;
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        try (java.util.stream.Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** All records, or {@code sample} of them: the first of a seeded shuffle of the records in run-id order. */
    private List<RunRecord> choose(List<RunRecord> records) {
        if (sample == null || sample >= records.size()) {
            return records;
        }
        int[] order = new int[records.size()];
        java.util.Arrays.setAll(order, i -> i);
        Subsets.shuffle(order, new SplittableRandom(seed));
        List<RunRecord> out = new ArrayList<>();
        for (int i = 0; i < sample; i++) {
            out.add(records.get(order[i]));
        }
        return out;
    }
}
