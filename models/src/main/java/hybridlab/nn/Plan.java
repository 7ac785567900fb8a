package hybridlab.nn;

import hybridlab.backend.Program;
import hybridlab.kernels.Hyper;
import hybridlab.kernels.Optim;
import hybridlab.kernels.Slice;
import hybridlab.nn.ops.Losses;
import hybridlab.nn.optim.AdamW;
import java.util.List;
import java.util.Set;

/**
 * A model compiled for one batch size and mode: the program a backend runs and the slices the
 * host fills (images, labels, per-step hyper-parameters) and reads (loss sum, hits, and in
 * evaluation the logits, {@code (batch, classes)}).
 *
 * <p>A training plan is forward, loss, backward, gradient clipping and AdamW, in that order;
 * an evaluation plan is forward and loss only. Both share the model's {@link ParamStore}.
 */
public record Plan(Program program, Graph.Mode mode, int batch, Tensor input, Tensor logits, Slice labels, Slice hyper,
                   Slice metrics) {

    /** Slots of {@link #metrics()}. */
    public static final int LOSS_SUM = 0, HITS = 1;

    public static Plan training(Model model, ParamStore store, int batch, float labelSmoothing, AdamW opt) {
        return build(model, store, batch, Graph.Mode.TRAIN, labelSmoothing, opt);
    }

    public static Plan evaluation(Model model, ParamStore store, int batch) {
        return build(model, store, batch, Graph.Mode.EVAL, 0f, null);
    }

    private static Plan build(Model model, ParamStore store, int batch, Graph.Mode mode, float smoothing, AdamW opt) {
        Graph g = new Graph(store, mode, batch);
        int[] in = model.inputShape();
        Tensor x = g.input(batch, in[0], in[1], in[2]);
        Tensor logits = model.forward(g, x);
        if (logits.rank() != 2 || logits.dim(0) != batch || logits.dim(1) != model.classes()) {
            throw new IllegalStateException("model produced logits " + java.util.Arrays.toString(logits.shape()));
        }
        Slice labels = g.labels(batch), metrics = g.metrics(2);
        Losses.crossEntropy(g, logits, labels, smoothing, metrics);
        if (mode == Graph.Mode.TRAIN) {
            g.emitBackward();
            Slice grads = store.trainableGrads();
            Slice partials = g.scratch(Optim.chunks(grads.length()));
            g.emit(new Optim.SquarePartials(grads, partials));
            g.emit(new Optim.ClipScale(partials, partials.length(), g.hyper(), opt.clipNorm()));
            g.emit(new Optim.AdamW(store.trainable(), grads, store.adamM(), store.adamV(), g.hyper(), store.decayEnd(),
                    opt.beta1(), opt.beta2(), opt.eps(), opt.weightDecay()));
        }
        Program p = new Program(model.getClass().getSimpleName() + "/" + mode + "/" + batch, g.steps(),
                Set.of(g.inputArena(), g.labelArena(), g.hyperArena()), Set.of(g.metricsArena(), g.hyperArena()));
        for (hybridlab.kernels.Arena a : p.arenas()) {
            a.seal();  // a plan is complete: its buffers exist from here on
        }
        return new Plan(p, mode, batch, x, logits, labels, g.hyper(), metrics);
    }

    /** Writes this step's learning rate, bias corrections and random-stream position. */
    public void setStep(float lr, AdamW opt, long step, int seed) {
        float[] h = hyper.f();
        int o = hyper.offset();
        h[o + Hyper.LR] = lr;
        h[o + Hyper.BIAS1] = opt == null ? 1f : opt.bias1(step + 1);
        h[o + Hyper.BIAS2] = opt == null ? 1f : opt.bias2(step + 1);
        h[o + Hyper.SEED] = seed;
        h[o + Hyper.STEP] = step;
        h[o + Hyper.CLIP] = 1f;
    }

    public float gradNorm() {
        return hyper.f()[hyper.offset() + Hyper.GRAD_NORM];
    }

    public float lossSum() {
        return metrics.f()[metrics.offset() + LOSS_SUM];
    }

    public float hits() {
        return metrics.f()[metrics.offset() + HITS];
    }

    /** Arenas of the persistent model state, for backends that keep them on a device. */
    public static List<hybridlab.kernels.Arena> stateArenas(ParamStore store) {
        return store.arenas();
    }
}
