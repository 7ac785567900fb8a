package hybridlab.experiments.train;

import hybridlab.backend.Backend;
import hybridlab.backend.Executable;
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
import hybridlab.nn.optim.AdamW;
import hybridlab.nn.optim.CosineSchedule;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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

        default void epochStart(int epoch) {
        }

        /** After training step {@code step} (from 0) of the epoch; loss and accuracy are the epoch's means so far. */
        default void step(int step, double loss, double acc) {
        }

        /** After evaluation batch {@code batch} (from 0) of {@code batches} on {@code split} (test, or train at the end). */
        default void evaluated(String split, int batch, int batches) {
        }

        default void epochEnd(RunRecord.Epoch e) {
        }
    }

    private Trainer() {
    }

    public static RunRecord run(RunConfig cfg, Data data, Backend backend, Listener listener) {
        return run(cfg, Models.resolve(cfg, "config"), data, backend, listener);
    }

    /** Trains {@code mc} (instead of the config's preset) with the rest of {@code cfg}. */
    public static RunRecord run(RunConfig cfg, ModelConfig mc, Data data, Backend backend, Listener listener) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Env.gitCommit();
        Model model = mc.build();
        ModelInfo info = ModelInfo.of(mc.build()); // a model of its own: counting binds its parameters to a store
        ParamStore store = new ParamStore(model);
        store.initialize(cfg.seed());
        AdamW opt = AdamW.defaults((float) cfg.optim().weightDecay(), (float) cfg.optim().clipNorm());
        Dataset train = data.train(), test = data.test();
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
        long total = (long) steps * cfg.schedule().epochs();
        int evalBatch = cfg.schedule().evalBatch();
        listener.start(new Work(cfg.schedule().epochs(), steps, batch, evalBatch, batches(test.count(), evalBatch),
                batches(train.count(), evalBatch)));
        CosineSchedule schedule = new CosineSchedule((float) cfg.optim().lr(), Math.round(cfg.schedule().warmup() * total), total,
                (float) cfg.schedule().minLr());
        float[] in = tp.input().data().f();
        int inOff = tp.input().data().offset();
        int[] labels = tp.labels().i();
        int labOff = tp.labels().offset();

        List<RunRecord.Epoch> epochs = new ArrayList<>();
        RunRecord.Divergence divergence = null;
        long timedNanos = 0, timedImages = 0, global = 0;
        double best = 0;
        for (int epoch = 0; epoch < cfg.schedule().epochs() && divergence == null; epoch++) {
            listener.epochStart(epoch);
            int[] order = Subsets.epochOrder(train.count(), cfg.seed(), epoch);
            double lossSum = 0, hits = 0, normSum = 0;
            float lr = 0;
            for (int s = 0; s < steps; s++, global++) {
                long s0 = System.nanoTime();
                Batches.fill(train, order, s * batch, batch, batch, in, inOff, labels, labOff, cfg.data().cropPad(),
                        cfg.data().hflip(), cfg.seed(), epoch);
                lr = schedule.at(global);
                tp.setStep(lr, opt, global, cfg.seed());
                xt.run();
                float loss = tp.lossSum() / batch;
                if (global >= WARMUP_STEPS) {
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
            }
            if (divergence != null) {
                break;
            }
            sync(store, xt, xe);
            double[] t = evaluate(xe, ep, test, null, (b, n) -> listener.evaluated("test", b, n));
            best = Math.max(best, t[1]);
            RunRecord.Epoch e = new RunRecord.Epoch(epoch + 1, lossSum / steps, hits / ((double) steps * batch), t[0], t[1],
                    lr, normSum / steps);
            epochs.add(e);
            listener.epochEnd(e);
        }
        RunRecord.Final fin = null;
        double inferImgS = 0;
        if (divergence == null) {
            long[] timed = new long[2];
            double[] tr = evaluate(xe, ep, train, timed, (b, n) -> listener.evaluated("train", b, n));
            inferImgS = timed[1] / (timed[0] / 1e9);
            RunRecord.Epoch last = epochs.get(epochs.size() - 1);
            fin = new RunRecord.Final(tr[0], tr[1], last.testLoss(), last.testAcc(), tr[1] - last.testAcc(),
                    tr[0] - last.testLoss(), best, last.testAcc(), train.count(), test.count());
        }
        for (Arena a : store.arenas()) {
            xt.download(a);
        }
        xt.close();
        xe.close();
        double trainImgS = timedNanos > 0 ? timedImages / (timedNanos / 1e9) : 0;
        RunRecord.Throughput tput = new RunRecord.Throughput(round(trainImgS), round(inferImgS),
                round(planBytes(tp, ep) / 1048576.0), round(peakHeapMb()), round(compileSeconds));
        RunRecord.Env env = new RunRecord.Env(Env.gitCommit(), backend.name(), backend.device(), backend.description(),
                cfg.backend().hostThreads(), Env.jvm(), Env.os(), Env.cpu());
        return new RunRecord(RunRecord.SCHEMA, cfg.runId(), divergence == null ? RunRecord.FINISHED : RunRecord.DIVERGED,
                cfg.values(), cfg.seed(),
                new RunRecord.ModelSummary(cfg.model().name(), mc.family(), info.params(), info.flops(), mc.toString()),
                env, epochs, fin, tput, divergence,
                new RunRecord.Timing(started.toString(), round((System.nanoTime() - t0) / 1e9)));
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
