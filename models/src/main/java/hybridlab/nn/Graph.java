package hybridlab.nn;

import hybridlab.kernels.Arena;
import hybridlab.kernels.Elementwise;
import hybridlab.kernels.Hyper;
import hybridlab.kernels.Slice;
import hybridlab.kernels.Step;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records a model's forward pass as kernel steps over buffers allocated once, and the steps of
 * its backward pass as closures that run in reverse when {@link #emitBackward()} is called:
 * autograd compiled ahead of time into a static list.
 *
 * <p>Backward kernels accumulate into gradients only where an earlier backward step already
 * wrote them; the first writer overwrites, so no gradient buffer needs zeroing. A tensor whose
 * gradient nobody wrote passes nothing back.
 */
public final class Graph {
    public enum Mode { TRAIN, EVAL }

    private final ParamStore store;
    private final Mode mode;
    private final int batch;
    private final Arena acts = Arena.floats("activations");
    private final Arena actGrads = Arena.floats("activation-grads");
    private final Arena io = Arena.floats("input");
    private final Arena labels = Arena.ints("labels");
    private final Arena hyper = Arena.floats("hyper");
    private final Arena metrics = Arena.floats("metrics");
    private final Slice hyperSlice = hyper.allocate(Hyper.SIZE);
    private final List<Step> steps = new ArrayList<>();
    private final List<Runnable> backward = new ArrayList<>();
    private final Map<Param, Tensor> paramTensors = new IdentityHashMap<>();
    private final List<Scope> scopes = new ArrayList<>();
    private int sites;

    /** Steps {@code [from, to)} emitted by the named part of a model, and its output shape. */
    public record Scope(String name, int from, int to, int[] outShape) {
    }

    public Graph(ParamStore store, Mode mode, int batch) {
        this.store = store;
        this.mode = mode;
        this.batch = batch;
    }

    public boolean training() {
        return mode == Mode.TRAIN;
    }

    public Mode mode() {
        return mode;
    }

    public int batch() {
        return batch;
    }

    public ParamStore store() {
        return store;
    }

    /** The batch input, in its own arena so a backend can send it alone. */
    public Tensor input(int... shape) {
        return new Tensor(shape, io.allocate((int) Tensor.numel(shape)), new Tensor.Grad(false, null));
    }

    public Slice labels(int n) {
        return labels.allocate(n);
    }

    public Slice metrics(int n) {
        return metrics.allocate(n);
    }

    public Slice hyper() {
        return hyperSlice;
    }

    /** The plan's view of a parameter; it needs a gradient only when training. */
    public Tensor param(Param p) {
        return paramTensors.computeIfAbsent(p, q -> new Tensor(q.shape(), q.data(),
                new Tensor.Grad(training() && q.trainable(), q.grad())));
    }

    /** A new activation buffer. */
    public Tensor tensor(boolean requiresGrad, int... shape) {
        return new Tensor(shape, acts.allocate((int) Tensor.numel(shape)), new Tensor.Grad(training() && requiresGrad, null));
    }

    /** A constant zero tensor (filled by the plan, so it stays zero on every device). */
    public Tensor zeros(int... shape) {
        Tensor t = tensor(false, shape);
        emit(new Elementwise.Fill(t.data(), 0f));
        return t;
    }

    /** A new activation that needs a gradient if any of {@code inputs} does. */
    public Tensor like(Tensor[] inputs, int... shape) {
        return tensor(anyGrad(inputs), shape);
    }

    public static boolean anyGrad(Tensor... ts) {
        for (Tensor t : ts) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /** Buffer space no gradient refers to (saved statistics, partial sums). */
    public Slice scratch(int n) {
        return acts.allocate(n);
    }

    /** A fresh id for a random site (dropout masks differ between sites). */
    public int nextSite() {
        return ++sites;
    }

    /** Runs {@code body}, recording the forward steps it emits under {@code name} (layer tables). */
    public Tensor scoped(String name, java.util.function.Supplier<Tensor> body) {
        int from = steps.size();
        Tensor out = body.get();
        scopes.add(new Scope(name, from, steps.size(), out.shape()));
        return out;
    }

    /** One block of a model applied to a tensor. */
    @FunctionalInterface
    public interface Block<B> {
        Tensor apply(B block, Tensor x);
    }

    /** Applies {@code blocks} in order, each under the scope {@code prefix.i}. */
    public <B> Tensor scopedEach(String prefix, java.util.List<B> blocks, Tensor x, Block<B> step) {
        Tensor y = x;
        for (int i = 0; i < blocks.size(); i++) {
            B b = blocks.get(i);
            Tensor in = y;
            y = scoped(prefix + "." + i, () -> step.apply(b, in));
        }
        return y;
    }

    public List<Scope> scopes() {
        return List.copyOf(scopes);
    }

    public void emit(Step s) {
        steps.add(s);
    }

    /** Registers the backward steps of an op; ignored outside training. */
    public void onBackward(Runnable r) {
        if (training()) {
            backward.add(r);
        }
    }

    /** Where a backward step writes {@code t}'s gradient, and whether it must add to it. */
    public record GradTarget(Slice slice, boolean accumulate) {
    }

    /** Target for a step that writes all of {@code t}'s gradient. */
    public GradTarget grad(Tensor t) {
        Tensor.Grad g = t.grad;
        if (!g.required) {
            throw new IllegalStateException("no gradient is required for " + t);
        }
        if (g.slice == null) {
            g.slice = actGrads.allocate(t.size());
        }
        boolean acc = g.written;
        g.written = true;
        return new GradTarget(g.slice, acc);
    }

    /** Target for a step that writes only part of {@code t}'s gradient: zero it first if new. */
    public GradTarget gradPartial(Tensor t) {
        Tensor.Grad g = t.grad;
        if (!g.written) {
            GradTarget first = grad(t);
            emit(new Elementwise.Fill(first.slice(), 0f));
        }
        return new GradTarget(g.slice, true);
    }

    /** The gradient arriving at {@code t}, or null if nothing flowed into it. */
    public Slice gradIn(Tensor t) {
        return t.grad.written ? t.grad.slice : null;
    }

    /**
     * Emits the recorded backward steps in reverse order, then zeroes the gradients of
     * trainable parameters that received none (so AdamW sees zeros, not stale values).
     */
    public void emitBackward() {
        for (int i = backward.size() - 1; i >= 0; i--) {
            backward.get(i).run();
        }
        backward.clear();
        for (Param p : store.byName().values()) {
            if (p.trainable()) {
                Tensor t = paramTensors.get(p);
                if (t == null || !t.grad.written) {
                    emit(new Elementwise.Fill(p.grad(), 0f));
                }
            }
        }
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    public Arena inputArena() {
        return io;
    }

    public Arena labelArena() {
        return labels;
    }

    public Arena hyperArena() {
        return hyper;
    }

    public Arena metricsArena() {
        return metrics;
    }

    public Arena activationArena() {
        return acts;
    }

    public Arena activationGradArena() {
        return actGrads;
    }
}
