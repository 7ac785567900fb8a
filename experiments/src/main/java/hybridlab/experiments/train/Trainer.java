package hybridlab.experiments.train;

import hybridlab.backend.Backend;
import hybridlab.backend.Executable;
import hybridlab.experiments.config.CheckpointEvery;
import hybridlab.experiments.config.Files;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.data.Batches;
import hybridlab.experiments.data.Data;
import hybridlab.experiments.data.Dataset;
import hybridlab.experiments.data.Subsets;
import hybridlab.kernels.Arena;
import hybridlab.models.ModelConfig;
import hybridlab.nn.Model;
import hybridlab.nn.ModelInfo;
import hybridlab.nn.ParamStore;
import hybridlab.nn.Plan;
import hybridlab.nn.Safetensors;
import hybridlab.nn.optim.AdamW;
import hybridlab.nn.optim.CosineSchedule;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trains one run: AdamW with a cosine schedule over shuffled batches (the last partial batch is
 * dropped), a test-set evaluation after every epoch, and a final evaluation of the training set
 * in eval mode. The model's parameters are shared by the training and evaluation plans. A run
 * whose batch loss becomes NaN or exceeds {@link #DIVERGED_X_CHANCE} times chance level stops
 * and is recorded as diverged.
 */
public final class Trainer {
    /** Steps excluded from throughput figures while the JIT and caches warm up. */
    static final int WARMUP_STEPS = 5;
    /** A batch loss above this many times chance level ({@code ln classes}) counts as divergence, as does NaN. */
    static final double DIVERGED_X_CHANCE = 100;

    /**
     * How much work a run is, for progress reports: its epochs of {@code stepsPerEpoch} training
     * steps of {@code batch} images, {@code evalBatchesPerEpoch} evaluation batches of
     * {@code evalBatch} images after each epoch, and {@code finalEvalBatches} at the end.
     */
    public record Work(int epochs, int stepsPerEpoch, int batch, int evalBatch, int evalBatchesPerEpoch, int finalEvalBatches) {
        public long trainingSteps() {
            return (long) epochs * stepsPerEpoch;
        }

        public long evaluationBatches() {
            return (long) epochs * evalBatchesPerEpoch + finalEvalBatches;
        }
    }

    /** Receives progress; all methods are optional. {@code epoch} counts from 0. */
    public interface Listener {
        default void start(Work work) {
        }

        /** The run goes on from a checkpoint: before step {@code step} of epoch {@code epoch}, {@code global} steps done. */
        default void resumed(int epoch, int step, long global) {
        }

        default void epochStart(int epoch) {
        }

        /** After training step {@code step} (from 0) of the epoch; loss and accuracy are the epoch's means so far. */
        default void step(int step, double loss, double acc) {
        }

        /** After evaluation batch {@code batch} (from 0) of {@code batches} on {@code split} (test, val, or train at the end). */
        default void evaluated(String split, int batch, int batches) {
        }

        default void epochEnd(RunRecord.Epoch e) {
        }
    }

    private Trainer() {
    }

    public static RunRecord run(RunConfig cfg, Data data, Backend backend, Listener listener) {
        return run(cfg, data, backend, listener, null);
    }

    /** Trains the run; {@code runsDir} (null: none) is where its checkpoints and saved weights go, beside its record. */
    public static RunRecord run(RunConfig cfg, Data data, Backend backend, Listener listener, Path runsDir) {
        return run(cfg, Models.forData(cfg, data.train(), "config"), data, backend, listener, runsDir);
    }

    /**
     * Trains {@code mc} (instead of the config's preset) with the rest of {@code cfg}. With
     * {@code checkpoint_every} set, the training state is saved to {@code runsDir} as it goes, and
     * a checkpoint already there (a killed run's) is resumed from; the record is the same bit for
     * bit as an uninterrupted run's, its timing and throughput aside.
     */
    public static RunRecord run(RunConfig cfg, ModelConfig mc, Data data, Backend backend, Listener listener, Path runsDir) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Env.gitCommit();
        String runId = cfg.runId(), identity = cfg.identity().text();
        Model model = mc.build();
        ModelInfo info = ModelInfo.of(mc.build()); // a model of its own: counting binds its parameters to a store
        ParamStore store = new ParamStore(model);
        store.initialize(cfg.seed());
        Path checkpoint = runsDir == null || cfg.output().checkpointEvery() == null ? null : Checkpoint.file(runsDir, runId);
        Checkpoint.State state = checkpoint == null ? null : resume(checkpoint, runId, identity, store, cfg.seed());
        AdamW opt = AdamW.defaults((float) cfg.optim().weightDecay(), (float) cfg.optim().clipNorm());
        Dataset train = data.train(), val = data.val(), test = data.test();
        int batch = cfg.schedule().batch();
        int steps = train.count() / batch;
        if (steps == 0) {
            throw new IllegalArgumentException("batch " + batch + " is larger than the training set (" + train.count() + " images)");
        }
        Plan tp = Plan.training(model, store, batch, (float) cfg.optim().labelSmoothing(), opt);
        Plan ep = Plan.evaluation(model, store, cfg.schedule().evalBatch());
        long c0 = System.nanoTime();
        Executable xt = backend.compile(tp.program());
        Executable xe = backend.compile(ep.program());
        double compileSeconds = (System.nanoTime() - c0) / 1e9;
        for (Arena a : store.arenas()) {
            xt.upload(a);
            xe.upload(a);
        }
        int epochCount = cfg.schedule().epochs();
        long total = (long) steps * epochCount;
        int evalBatch = cfg.schedule().evalBatch();
        int evalBatches = batches(test.count(), evalBatch) + (val == null ? 0 : batches(val.count(), evalBatch));
        listener.start(new Work(epochCount, steps, batch, evalBatch, evalBatches, batches(train.count(), evalBatch)));
        CosineSchedule schedule = new CosineSchedule((float) cfg.optim().lr(), Math.round(cfg.schedule().warmup() * total), total,
                (float) cfg.schedule().minLr());
        float[] in = tp.input().data().f();
        int inOff = tp.input().data().offset();
        int[] labels = tp.labels().i();
        int labOff = tp.labels().offset();

        if (state == null) {
            state = new Checkpoint.State(0, 0, 0, 0, 0, 0, 0f, List.of(), 0, null, null, null);
        } else {
            listener.resumed(state.epoch(), state.step(), state.global());
        }
        List<RunRecord.Epoch> epochs = new ArrayList<>(state.epochs());
        RunRecord.Divergence divergence = null;
        long timedNanos = 0, timedImages = 0, global = state.global(), lastSave = System.nanoTime(), stepsHere = 0;
        double best = state.bestTestAcc();
        Double bestVal = state.bestValAcc(), testAtBestVal = state.testAccAtBestVal();
        Integer bestValEpoch = state.bestValEpoch();
        CheckpointEvery every = cfg.output().checkpointEvery();
        for (int epoch = state.epoch(); epoch < epochCount && divergence == null; epoch++) {
            listener.epochStart(epoch);
            int[] order = Subsets.epochOrder(train.count(), cfg.seed(), epoch);
            boolean resumedHere = epoch == state.epoch();
            double lossSum = resumedHere ? state.lossSum() : 0, hits = resumedHere ? state.hits() : 0;
            double normSum = resumedHere ? state.normSum() : 0;
            float lr = resumedHere ? state.lr() : 0;
            for (int s = resumedHere ? state.step() : 0; s < steps; s++, global++, stepsHere++) {
                long s0 = System.nanoTime();
                Batches.fill(train, order, s * batch, batch, batch, in, inOff, labels, labOff, cfg.data().cropPad(),
                        cfg.data().hflip(), cfg.seed(), epoch);
                lr = schedule.at(global);
                tp.setStep(lr, opt, global, cfg.seed());
                xt.run();
                float loss = tp.lossSum() / batch;
                if (stepsHere >= WARMUP_STEPS) {
                    timedNanos += System.nanoTime() - s0;
                    timedImages += batch;
                }
                if (!Float.isFinite(loss) || loss > DIVERGED_X_CHANCE * Math.log(model.classes())) {
                    divergence = new RunRecord.Divergence(epoch, global, loss);
                    break;
                }
                lossSum += loss;
                hits += tp.hits();
                normSum += tp.gradNorm();
                listener.step(s, lossSum / (s + 1), hits / ((double) (s + 1) * batch));
                if (checkpoint != null && s + 1 < steps
                        && every.due(global + 1, epochs.size(), false, Duration.ofNanos(System.nanoTime() - lastSave))) {
                    save(checkpoint, runId, identity, store, xt, new Checkpoint.State(epoch, s + 1, global + 1, lossSum, hits, normSum,
                            lr, epochs, best, bestVal, bestValEpoch, testAtBestVal));
                    lastSave = System.nanoTime();
                }
            }
            if (divergence != null) {
                break;
            }
            sync(store, xt, xe);
            double[] t = evaluate(xe, ep, test, null, (b, n) -> listener.evaluated("test", b, n));
            double[] v = val == null ? null : evaluate(xe, ep, val, null, (b, n) -> listener.evaluated("val", b, n));
            best = Math.max(best, t[1]);
            if (v != null && (bestVal == null || v[1] > bestVal)) {
                bestVal = v[1];
                bestValEpoch = epoch + 1;
                testAtBestVal = t[1];
            }
            RunRecord.Epoch e = new RunRecord.Epoch(epoch + 1, lossSum / steps, hits / ((double) steps * batch), t[0], t[1],
                    lr, normSum / steps, v == null ? null : v[0], v == null ? null : v[1]);
            epochs.add(e);
            listener.epochEnd(e);
            if (checkpoint != null && epoch + 1 < epochCount
                    && every.due(global, epochs.size(), true, Duration.ofNanos(System.nanoTime() - lastSave))) {
                save(checkpoint, runId, identity, store, xt, new Checkpoint.State(epoch + 1, 0, global, 0, 0, 0, 0f, epochs, best, bestVal,
                        bestValEpoch, testAtBestVal));
                lastSave = System.nanoTime();
            }
        }
        RunRecord.Final fin = null;
        double inferImgS = 0;
        if (divergence == null) {
            long[] timed = new long[2];
            double[] tr = evaluate(xe, ep, train, timed, (b, n) -> listener.evaluated("train", b, n));
            inferImgS = timed[1] / (timed[0] / 1e9);
            RunRecord.Epoch last = epochs.get(epochs.size() - 1);
            fin = new RunRecord.Final(tr[0], tr[1], last.testLoss(), last.testAcc(), tr[1] - last.testAcc(),
                    tr[0] - last.testLoss(), best, last.testAcc(), train.count(), test.count(), bestVal, bestValEpoch, testAtBestVal,
                    val == null ? null : val.count());
        }
        for (Arena a : store.arenas()) {
            xt.download(a);
        }
        xt.close();
        xe.close();
        if (fin != null && cfg.output().save()) {
            saveWeights(cfg, runsDir, store);
        }
        double trainImgS = timedNanos > 0 ? timedImages / (timedNanos / 1e9) : 0;
        RunRecord.Throughput tput = new RunRecord.Throughput(round(trainImgS), round(inferImgS),
                round(planBytes(tp, ep) / 1048576.0), round(peakHeapMb()), round(compileSeconds));
        RunRecord.Env env = new RunRecord.Env(Env.gitCommit(), backend.name(), backend.device(), backend.description(),
                cfg.backend().hostThreads(), Env.jvm(), Env.os(), Env.cpu());
        return new RunRecord(RunRecord.SCHEMA, runId, divergence == null ? RunRecord.FINISHED : RunRecord.DIVERGED,
                cfg.values(), cfg.seed(),
                new RunRecord.ModelSummary(cfg.model().name(), mc.family(), info.params(), info.flops(), mc.toString()),
                env, epochs, fin, tput, divergence,
                new RunRecord.Timing(started.toString(), round((System.nanoTime() - t0) / 1e9)));
    }

    /** The state of {@code checkpoint} loaded into {@code store}, or null to start afresh (no checkpoint, or an unusable one set aside). */
    private static Checkpoint.State resume(Path checkpoint, String runId, String identity, ParamStore store, int seed) {
        if (!java.nio.file.Files.exists(checkpoint)) {
            return null;
        }
        try {
            return Checkpoint.read(checkpoint, runId, identity, store.arenas());
        } catch (IOException | Checkpoint.Unusable e) {
            Path aside = checkpoint.resolveSibling(checkpoint.getFileName() + ".unusable");
            try {
                java.nio.file.Files.move(checkpoint, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // left where it is: it is overwritten by the first new checkpoint
            }
            System.err.println("warning: " + e.getMessage() + "; set aside as " + aside.getFileName() + ", the run starts from the beginning");
            store.initialize(seed); // a read that failed half-way may have filled some arenas
            return null;
        }
    }

    private static void save(Path checkpoint, String runId, String identity, ParamStore store, Executable from, Checkpoint.State s) {
        for (Arena a : store.arenas()) {
            from.download(a);
        }
        try {
            Checkpoint.write(checkpoint, runId, identity, s, store.arenas());
        } catch (IOException e) {
            System.err.println("warning: checkpoint " + checkpoint + " not written (" + Files.reason(e) + "); training goes on");
        }
    }

    /**
     * Writes the trained model as {@code <run-id>.safetensors} beside the record, with the run's
     * config in its metadata. If that fails, the weights go to a fallback file in the temporary
     * folder, named in a warning: a write error never costs the run its record.
     */
    private static void saveWeights(RunConfig cfg, Path runsDir, ParamStore store) {
        Path file = weightsFile(runsDir == null ? Path.of(".") : runsDir, cfg.runId());
        Map<String, String> meta;
        try {
            meta = Map.of(WEIGHTS_RUN_ID, cfg.runId(), WEIGHTS_CONFIG, Files.JSON.writeValueAsString(cfg.values()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
            Safetensors.save(store, file, meta);
        } catch (IOException e) {
            Path fallback = Path.of(System.getProperty("java.io.tmpdir"), "hybridlab-" + file.getFileName());
            String kept;
            try {
                Safetensors.save(store, fallback, meta);
                kept = "saved to " + fallback + " instead; move it to " + file;
            } catch (IOException again) {
                kept = "the fallback " + fallback + " failed too (" + Files.reason(again) + "): the weights are lost, the record is kept";
            }
            System.err.println("warning: " + file + ": the weights cannot be written (" + Files.reason(e) + "); " + kept);
        }
    }

    /** Metadata keys of saved weights: the run id, and the run's config as JSON (so {@code evaluate} can rebuild the model). */
    public static final String WEIGHTS_RUN_ID = "hybridlab.run_id", WEIGHTS_CONFIG = "hybridlab.config";

    public static Path weightsFile(Path runsDir, String runId) {
        return runsDir.resolve(runId + ".safetensors");
    }

    /** Once the run's record is written: its checkpoint is removed, unless {@code keep_checkpoints}. */
    public static void finished(RunConfig cfg, Path runsDir) throws IOException {
        if (!cfg.output().keepCheckpoints()) {
            java.nio.file.Files.deleteIfExists(Checkpoint.file(runsDir, cfg.runId()));
        }
    }

    /** Makes the evaluation executable see the training executable's parameters. */
    static void sync(ParamStore store, Executable from, Executable to) {
        for (Arena a : store.arenas()) {
            from.download(a);
            to.upload(a);
        }
    }

    private static int batches(int images, int batch) {
        return (images + batch - 1) / batch;
    }

    /** Called after each evaluation batch with its index and the number of batches. */
    public interface BatchDone {
        void after(int batch, int batches);
    }

    /**
     * Mean loss and accuracy of {@code d} in eval mode; if {@code timed} is given, receives
     * nanoseconds and images of all batches but the first.
     */
    public static double[] evaluate(Executable x, Plan p, Dataset d, long[] timed, BatchDone done) {
        int B = p.batch(), n = d.count();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        float[] in = p.input().data().f();
        double loss = 0, hits = 0;
        for (int from = 0; from < n; from += B) {
            long t = System.nanoTime();
            int count = Math.min(B, n - from);
            Batches.fill(d, order, from, count, B, in, p.input().data().offset(), p.labels().i(), p.labels().offset(),
                    0, false, 0, 0);
            p.setStep(0f, null, 0, 0);
            x.run();
            loss += p.lossSum();
            hits += p.hits();
            if (timed != null && from > 0) {
                timed[0] += System.nanoTime() - t;
                timed[1] += count;
            }
            done.after(from / B, (n + B - 1) / B);
        }
        return new double[] {loss / n, hits / n};
    }

    static long planBytes(Plan... plans) {
        Set<Arena> all = new LinkedHashSet<>();
        for (Plan p : plans) {
            all.addAll(p.program().arenas());
        }
        long bytes = 0;
        for (Arena a : all) {
            bytes += 4L * a.size();
        }
        return bytes;
    }

    static double peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / 1048576.0;
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
