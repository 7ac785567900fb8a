package hybridlab.backend.tornado;

import hybridlab.kernels.Activation;
import hybridlab.kernels.BatchNorm;
import hybridlab.kernels.Channels;
import hybridlab.kernels.Conv;
import hybridlab.kernels.ConvShape;
import hybridlab.kernels.DepthwiseConv;
import hybridlab.kernels.Dropout;
import hybridlab.kernels.Elementwise;
import hybridlab.kernels.FactorAttention;
import hybridlab.kernels.Gemm;
import hybridlab.kernels.LayerNorm;
import hybridlab.kernels.Loss;
import hybridlab.kernels.MatView;
import hybridlab.kernels.Optim;
import hybridlab.kernels.Pool;
import hybridlab.kernels.PoolShape;
import hybridlab.kernels.RelAttention;
import hybridlab.kernels.Resize;
import hybridlab.kernels.Rows;
import hybridlab.kernels.Slice;
import hybridlab.kernels.Softmax;
import hybridlab.kernels.Step;
import hybridlab.kernels.TornadoActivation;
import hybridlab.kernels.TornadoBatchNorm;
import hybridlab.kernels.TornadoChannels;
import hybridlab.kernels.TornadoConv;
import hybridlab.kernels.TornadoDepthwiseConv;
import hybridlab.kernels.TornadoDropout;
import hybridlab.kernels.TornadoElementwise;
import hybridlab.kernels.TornadoFactorAttention;
import hybridlab.kernels.TornadoGemm;
import hybridlab.kernels.TornadoGroups;
import hybridlab.kernels.TornadoLayerNorm;
import hybridlab.kernels.TornadoLoss;
import hybridlab.kernels.TornadoOptim;
import hybridlab.kernels.TornadoPool;
import hybridlab.kernels.TornadoRelAttention;
import hybridlab.kernels.TornadoResize;
import hybridlab.kernels.TornadoRows;
import hybridlab.kernels.TornadoSoftmax;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * Binds program steps to TornadoVM kernels: an exhaustive switch over the sealed {@link Step}
 * hierarchy (a step type without a device kernel does not compile), each case adding the
 * step's tasks to a task graph with the arena mirrors and offsets of its slices.
 *
 * <p>Every float slice is passed as its offset in the one device heap ({@link DeviceArenas}), so
 * a task names the heap once: TornadoVM's task-graph builder loops forever on a task that names
 * one array twice with a write before the last use, which separate arena arrays would cause.
 *
 * <p>Every task is added with its {@link Launch} (taken with its id), so each has an explicit
 * grid. Reductions (norm statistics and gradient sums, softmax over contiguous rows, row sums, the
 * loss sum, the gradient norm) are {@code KernelContext} work-group kernels
 * ({@link TornadoGroups}), with work-groups sized by the device's limit; products are the tiled
 * GEMM where the device takes its 16 x 16 work-groups, else the loop GEMM. Both choices are made
 * here, when the plan is built.
 *
 * <p>Most steps are one task (a GEMM with its bias, batch-norm training and backward); a few are
 * passes over a device workspace (attention backward), or a kernel and its batch-norm epilogue.
 * {@link #MAX_TASKS} bounds the tasks of any step, so a graph is cut between steps.
 */
final class StepTasks {
    /** The most tasks one step adds. */
    static final int MAX_TASKS = 4;

    private final DeviceArenas arenas;
    private final DeviceLimits limits;
    /** The work-group context every {@code KernelContext} task is given. */
    private final KernelContext ctx = new KernelContext();
    /** Whether the device takes the tiled GEMM's 16 x 16 work-groups. */
    private final boolean tiledGemm;
    /** The device heap every float slice lives in, and where its workspace region starts. */
    private final FloatArray heap;
    private final int ws;

    StepTasks(DeviceArenas arenas, DeviceLimits limits) {
        this.arenas = arenas;
        this.limits = limits;
        this.tiledGemm = limits.maxGroup() >= TornadoGemm.GROUP && limits.maxItems()[0] >= TornadoGemm.SIDE
                && limits.maxItems()[1] >= TornadoGemm.SIDE;
        this.heap = arenas.heap();
        this.ws = arenas.workspace();
    }

    /** Floats of device workspace the step needs (0 for most). */
    static int workspaceFloats(Step step) {
        return switch (step) {
            case RelAttention.Backward r -> r.s().batch() * r.s().heads() * r.s().tokens() * r.s().tokens();
            case FactorAttention.Backward f -> f.s().batch() * f.s().heads() * (f.s().dim() * f.s().dim() + f.s().tokens() * f.s().dim());
            default -> 0;
        };
    }

    /** Heap offset of a float slice. */
    private int at(Slice s) {
        return arenas.at(s);
    }

    /** Heap offset of an optional slice; -1 when absent. */
    private int off(Slice s) {
        return s == null ? -1 : arenas.at(s);
    }

    /**
     * The work-group of a reduction over {@code len} elements: the next power of two, at most
     * the device's limit and {@link TornadoGroups#MAX_GROUP}.
     */
    private int group(int len) {
        int cap = Math.min(limits.maxGroup(), TornadoGroups.MAX_GROUP);
        int g = len <= 1 ? 1 : Integer.highestOneBit(len - 1) << 1;
        return Math.max(1, Math.min(cap, g));
    }

    /** {@code count} work-groups, one per output, each reducing {@code len} elements. */
    private Launch reduce(int count, int len) {
        return Launch.groups(new int[] {count}, new int[] {group(len)});
    }

    private static int flag(boolean b) {
        return b ? 1 : 0;
    }

    /** Adds the tasks of program step {@code index} to {@code g}; returns how many. */
    int add(TaskGraph g, int index, Step step, java.util.List<TaskId.Launched> launched) {
        TaskId.Parts id = new TaskId.Parts(index, launched);
        switch (step) {
            case Elementwise.Fill s -> g.task(id.next(Launch.loops(s.dst().length())), TornadoElementwise::fill, heap, at(s.dst()), s.dst().length(), s.value());
            case Elementwise.Copy s -> g.task(id.next(Launch.loops(s.len(), s.blocks())), TornadoElementwise::copy, heap, at(s.src()), s.srcStride(),
                    at(s.dst()), s.dstStride(), s.blocks(), s.len(), flag(s.accumulate()));
            case Elementwise.Add s -> g.task(id.next(Launch.loops(s.n())), TornadoElementwise::add, heap, at(s.a()), at(s.b()),
                    at(s.y()), s.n());
            case Elementwise.Scale s -> g.task(id.next(Launch.loops(s.n())), TornadoElementwise::scale, heap, at(s.x()), at(s.y()),
                    s.n(), s.alpha(), flag(s.accumulate()));
            case Elementwise.Mul s -> g.task(id.next(Launch.loops(s.n())), TornadoElementwise::mul, heap, at(s.a()), at(s.b()),
                    at(s.y()), s.n(), flag(s.accumulate()));
            case Activation.Forward s -> g.task(id.next(Launch.loops(s.n())), TornadoActivation::forward, heap, TornadoActivation.code(s.kind()),
                    at(s.x()), at(s.y()), s.n());
            case Activation.Backward s -> g.task(id.next(Launch.loops(s.n())), TornadoActivation::backward, heap, TornadoActivation.code(s.kind()),
                    at(s.x()), at(s.dy()), at(s.dx()), s.n(), flag(s.accumulate()));
            case Gemm s -> gemm(g, id, s);
            case Conv.Forward s -> {
                ConvShape c = s.s();
                g.task(id.next(Launch.loops(c.oh() * c.ow(), c.cout(), c.batch())), TornadoConv::forward, heap, at(s.x()), at(s.w()), off(s.bias()),
                        at(s.y()), c.batch(), c.cin(), c.h(), c.w(), c.cout(), c.k(), c.stride(), c.pad(), c.dil(), c.groups());
                rowNorm(g, id, s.norm(), s.y(), c.batch(), c.cout(), c.oh() * c.ow());
            }
            case Conv.BackwardData s -> {
                ConvShape c = s.s();
                g.task(id.next(Launch.loops(c.h() * c.w(), c.cin(), c.batch())), TornadoConv::backwardData, heap, at(s.dy()), at(s.w()), at(s.dx()),
                        c.batch(), c.cin(), c.h(), c.w(), c.cout(), c.k(), c.stride(), c.pad(), c.dil(), c.groups(), flag(s.accumulate()));
            }
            case Conv.BackwardWeight s -> {
                ConvShape c = s.s();
                g.task(id.next(Launch.loops(c.cout() * (c.cin() / c.groups()) * c.k() * c.k(), s.parts())), TornadoConv::backwardWeight, heap, at(s.x()), at(s.dy()), at(s.partials()), s.parts(), c.batch(), c.cin(), c.h(), c.w(), c.cout(), c.k(), c.stride(), c.pad(), c.dil(),
                        c.groups());
            }
            case DepthwiseConv.Forward s -> {
                ConvShape c = s.s();
                g.task(id.next(Launch.loops(c.oh() * c.ow(), c.cin(), c.batch())), TornadoDepthwiseConv::forward, heap, at(s.x()), at(s.w()), off(s.bias()), at(s.y()), c.batch(), c.cin(), c.h(), c.w(), c.k(), c.stride(), c.pad(), c.dil());
                rowNorm(g, id, s.norm(), s.y(), c.batch(), c.cout(), c.oh() * c.ow());
            }
            case DepthwiseConv.BackwardData s -> {
                ConvShape c = s.s();
                g.task(id.next(Launch.loops(c.h() * c.w(), c.cin(), c.batch())), TornadoDepthwiseConv::backwardData, heap, at(s.dy()), at(s.w()), at(s.dx()), c.batch(), c.cin(), c.h(), c.w(), c.k(), c.stride(), c.pad(), c.dil(), flag(s.accumulate()));
            }
            case DepthwiseConv.BackwardWeight s -> {
                ConvShape c = s.s();
                g.task(id.next(Launch.loops(c.cin() * c.k() * c.k())), TornadoDepthwiseConv::backwardWeight, heap, at(s.x()), at(s.dy()), at(s.dw()), c.batch(), c.cin(), c.h(), c.w(), c.k(), c.stride(), c.pad(), c.dil(), flag(s.accumulate()));
            }
            case Channels.BiasGrad s -> g.task(id.next(Launch.loops(s.channels())), TornadoChannels::biasGrad, heap, at(s.dy()), at(s.db()),
                    s.batch(), s.channels(), s.hw(), flag(s.accumulate()));
            case Channels.Scale s -> g.task(id.next(Launch.loops(s.hw(), s.batch() * s.channels())), TornadoChannels::scale, heap, at(s.x()), at(s.s()),
                    at(s.y()), s.batch() * s.channels(), s.hw(), flag(s.accumulate()));
            case Channels.ScaleGrad s -> g.task(id.next(Launch.loops(s.batch() * s.channels())), TornadoChannels::scaleGrad, heap, at(s.x()), at(s.dy()),
                    at(s.ds()), s.batch() * s.channels(), s.hw(), flag(s.accumulate()));
            case Channels.Mean s -> g.task(id.next(Launch.loops(s.batch() * s.channels())), TornadoChannels::mean, heap, at(s.x()), at(s.y()),
                    s.batch() * s.channels(), s.hw());
            case Channels.MeanGrad s -> g.task(id.next(Launch.loops(s.hw(), s.batch() * s.channels())), TornadoChannels::meanGrad, heap, at(s.dy()), at(s.dx()),
                    s.batch() * s.channels(), s.hw(), flag(s.accumulate()));
            case Rows.SumRows s -> g.task(id.next(reduce(s.cols(), s.rows())), TornadoRows::sumRowsGroups, ctx, heap, at(s.src()), s.rows(), s.cols(), s.rowStride(),
                    at(s.dst()), flag(s.accumulate()));
            case Rows.Transpose s -> g.task(id.next(Launch.loops(s.rows(), s.cols(), s.batch())), TornadoRows::transpose, heap, at(s.src()), at(s.dst()),
                    s.batch(), s.rows(), s.cols(), flag(s.accumulate()));
            case BatchNorm.Train s -> g.task(id.next(reduce(s.channels(), s.batch() * s.hw())), TornadoBatchNorm::trainGroups, ctx, heap,
                    at(s.x()), at(s.gamma()), at(s.beta()), at(s.mean()), at(s.rstd()), at(s.runMean()), at(s.runVar()), at(s.y()),
                    s.batch(), s.channels(), s.hw(), s.eps(), s.momentum(), TornadoActivation.code(s.act()));
            case BatchNorm.Eval s -> g.task(id.next(Launch.loops(s.hw(), s.batch() * s.channels())), TornadoBatchNorm::eval, heap, at(s.x()), at(s.gamma()),
                    at(s.beta()), at(s.runMean()), at(s.runVar()), at(s.y()), s.batch(), s.channels(), s.hw(), s.eps(), TornadoActivation.code(s.act()));
            case BatchNorm.Backward s -> g.task(id.next(reduce(s.channels(), s.batch() * s.hw())), TornadoBatchNorm::backwardGroups, ctx,
                    heap, at(s.x()), at(s.dy()), at(s.gamma()), at(s.beta()), at(s.mean()), at(s.rstd()), at(s.dx()), at(s.dgamma()),
                    at(s.dbeta()), s.batch(), s.channels(), s.hw(), flag(s.accumulate()), flag(s.accumulateParams()),
                    TornadoActivation.code(s.act()));
            case LayerNorm.Forward s -> g.task(id.next(reduce(s.rows(), s.cols())), TornadoLayerNorm::forwardGroups, ctx, heap, at(s.x()), at(s.gamma()), at(s.beta()), at(s.y()), at(s.mean()),
                    at(s.rstd()), s.rows(), s.cols(), s.eps());
            case LayerNorm.Backward s -> g.task(id.next(Launch.loops(s.rows())), TornadoLayerNorm::backward, heap, at(s.x()), at(s.dy()),
                    at(s.gamma()), at(s.mean()), at(s.rstd()), at(s.dx()), s.rows(), s.cols(), flag(s.accumulate()));
            case LayerNorm.ParamGrad s -> g.task(id.next(reduce(s.cols(), s.rows())), TornadoLayerNorm::paramGradGroups, ctx, heap, at(s.x()), at(s.dy()), at(s.mean()), at(s.rstd()), at(s.dgamma()),
                    at(s.dbeta()), s.rows(), s.cols(), flag(s.accumulate()));
            case Pool.MaxForward s -> {
                PoolShape p = s.s();
                g.task(id.next(Launch.loops(p.oh() * p.ow(), p.planes())), TornadoPool::maxForward, heap, at(s.x()), at(s.y()), p.planes(), p.h(), p.w(),
                        p.k(), p.stride(), p.pad());
            }
            case Pool.MaxBackward s -> {
                PoolShape p = s.s();
                g.task(id.next(Launch.loops(p.h() * p.w(), p.planes())), TornadoPool::maxBackward, heap, at(s.x()), at(s.y()), at(s.dy()),
                        at(s.dx()), p.planes(), p.h(), p.w(), p.k(), p.stride(), p.pad(), flag(s.accumulate()));
            }
            case Pool.AvgForward s -> {
                PoolShape p = s.s();
                g.task(id.next(Launch.loops(p.oh() * p.ow(), p.planes())), TornadoPool::avgForward, heap, at(s.x()), at(s.y()), p.planes(), p.h(), p.w(),
                        p.k(), p.stride(), p.pad());
            }
            case Pool.AvgBackward s -> {
                PoolShape p = s.s();
                g.task(id.next(Launch.loops(p.h() * p.w(), p.planes())), TornadoPool::avgBackward, heap, at(s.dy()), at(s.dx()), p.planes(), p.h(),
                        p.w(), p.k(), p.stride(), p.pad(), flag(s.accumulate()));
            }
            case Resize.Forward s -> g.task(id.next(Launch.loops(s.oh() * s.ow(), s.planes())), TornadoResize::forward, heap, at(s.x()), at(s.y()),
                    s.planes(), s.h(), s.w(), s.oh(), s.ow());
            case Resize.Backward s -> g.task(id.next(Launch.loops(s.planes())), TornadoResize::backward, heap, at(s.dy()), at(s.dx()),
                    s.planes(), s.h(), s.w(), s.oh(), s.ow(), flag(s.accumulate()));
            case Softmax.Forward s -> softmax(g, id, at(s.x()), at(s.y()), s.outer(), s.n(), s.inner());
            case Softmax.Backward s -> g.task(id.next(Launch.loops(s.outer() * s.inner())), TornadoSoftmax::backward, heap, at(s.y()), at(s.dy()),
                    at(s.dx()), s.outer(), s.n(), s.inner(), flag(s.accumulate()));
            case RelAttention.Forward s -> relAttention(g, id, s);
            case RelAttention.Backward s -> relAttentionBackward(g, id, s);
            case RelAttention.BiasGrad s -> g.task(id.next(Launch.loops((2 * s.s().h() - 1) * (2 * s.s().w() - 1) * s.s().heads())), TornadoRelAttention::biasGrad, heap, at(s.biasSrc()),
                    at(s.dtable()), s.s().batch(), s.s().heads(), s.s().h(), s.s().w(), flag(s.accumulate()));
            case FactorAttention.Forward s -> factorAttention(g, id, s);
            case FactorAttention.Backward s -> factorAttentionBackward(g, id, s);
            case Loss.CrossEntropy s -> g.task(id.next(Launch.loops(s.batch())), TornadoLoss::crossEntropy, heap, at(s.logits()),
                    arenas.ints(s.labels()), s.labels().offset(), at(s.rowLoss()), at(s.rowHit()),
                    off(s.dlogits()), s.batch(), s.classes(), s.smoothing(), s.gradScale());
            case Loss.Sum s -> g.task(id.next(reduce(1, s.batch())), TornadoLoss::sumGroups, ctx, heap, at(s.rowLoss()), at(s.rowHit()),
                    at(s.out()), s.batch());
            case Dropout.Forward s -> g.task(id.next(Launch.loops(s.n())), TornadoDropout::apply, heap, at(s.x()), at(s.y()),
                    at(s.hyper()), s.n(), s.group(), s.keep(), s.site(), 0);
            case Dropout.Backward s -> g.task(id.next(Launch.loops(s.n())), TornadoDropout::apply, heap, at(s.dy()), at(s.dx()),
                    at(s.hyper()), s.n(), s.group(), s.keep(), s.site(), flag(s.accumulate()));
            case Optim.SquarePartials s -> g.task(id.next(reduce((s.grads().length() + Optim.CHUNK - 1) / Optim.CHUNK,
                    Math.min(Optim.CHUNK, s.grads().length()))), TornadoOptim::squarePartialsGroups, ctx, heap, at(s.grads()),
                    s.grads().length(), at(s.partials()));
            case Optim.ClipScale s -> g.task(id.next(reduce(1, s.count())), TornadoOptim::clipScaleGroups, ctx, heap, at(s.partials()), s.count(),
                    at(s.hyper()), s.maxNorm());
            case Optim.AdamW s -> g.task(id.next(Launch.loops(s.params().length())), TornadoOptim::adamW, heap, at(s.params()), at(s.grads()), at(s.m()), at(s.v()), at(s.hyper()),
                    s.params().length(), s.decayEnd(), s.beta1(), s.beta2(), s.eps(), s.weightDecay());
        }
        return id.count();
    }

    /** A product over the batch, or a sum over it when C has no batch stride; the bias added by the same task. */
    private void gemm(TaskGraph g, TaskId.Parts id, Gemm s) {
        MatView a = s.a(), b = s.b(), c = s.c();
        boolean sumBatch = c.batchStride() == 0 && s.batch() > 1;
        int bias = s.biasMode() == Gemm.BiasMode.NONE ? -1 : at(s.bias());
        boolean perRow = s.biasMode() == Gemm.BiasMode.ROW;
        if (tiledGemm) {
            int t = TornadoGemm.TILE;
            int flags = (s.accumulate() ? TornadoGemm.ACCUMULATE : 0) | (sumBatch ? TornadoGemm.SUM_BATCH : 0)
                    | (perRow ? TornadoGemm.BIAS_PER_ROW : 0);
            g.task(id.next(Launch.groups(new int[] {(s.n() + t - 1) / t, (s.m() + t - 1) / t, sumBatch ? 1 : s.batch()},
                            new int[] {TornadoGemm.SIDE, TornadoGemm.SIDE, 1})), TornadoGemm::tiled, ctx,
                    heap, at(a.slice()), a.rowStride(), a.colStride(), a.batchStride(),
                    at(b.slice()), b.rowStride(), b.colStride(), b.batchStride(),
                    at(c.slice()), c.rowStride(), c.colStride(), c.batchStride(),
                    s.batch(), s.m(), s.n(), s.k(), flags, bias);
        } else if (sumBatch) {
            // a bias is refused with a batch sum (Gemm's constructor)
            g.task(id.next(Launch.loops(s.n(), (s.m() + TornadoGemm.TM - 1) / TornadoGemm.TM)), TornadoGemm::gemmSumBatch,
                    heap, at(a.slice()), a.rowStride(), a.colStride(), a.batchStride(),
                    at(b.slice()), b.rowStride(), b.colStride(), b.batchStride(),
                    at(c.slice()), c.rowStride(), c.colStride(),
                    s.batch(), s.m(), s.n(), s.k(), flag(s.accumulate()));
        } else {
            g.task(id.next(Launch.loops(s.n(), (s.m() + TornadoGemm.TM - 1) / TornadoGemm.TM, s.batch())), TornadoGemm::gemm,
                    heap, at(a.slice()), a.rowStride(), a.colStride(), a.batchStride(),
                    at(b.slice()), b.rowStride(), b.colStride(), b.batchStride(),
                    at(c.slice()), c.rowStride(), c.colStride(), c.batchStride(),
                    s.batch(), s.m(), s.n(), s.k(), flag(s.accumulate()), bias, flag(perRow));
        }
        rowNorm(g, id, s.rowNorm(), c.slice(), s.batch(), s.m(), s.n());
    }

    /** A softmax over {@code n} elements {@code inner} apart: one work-group per row when rows are contiguous. */
    private void softmax(TaskGraph g, TaskId.Parts id, int x, int y, int outer, int n, int inner) {
        if (inner == 1) {
            g.task(id.next(reduce(outer, n)), TornadoSoftmax::forwardGroups, ctx, heap, x, y, outer, n);
        } else {
            g.task(id.next(Launch.loops(outer * inner)), TornadoSoftmax::forward, heap, x, y, outer, n, inner);
        }
    }

    /** A kernel's batch-norm epilogue, if any: the JVM applies it per tile, a device as one in-place pass over the map. */
    private void rowNorm(TaskGraph g, TaskId.Parts id, BatchNorm.RowEpilogue bn, Slice map, int batch, int channels, int hw) {
        if (bn != null) {
            g.task(id.next(Launch.loops(hw, batch * channels)), TornadoBatchNorm::eval, heap, at(map), at(bn.gamma()), at(bn.beta()), at(bn.runMean()),
                    at(bn.runVar()), at(map), batch, channels, hw, bn.eps(), TornadoActivation.code(bn.act()));
        }
    }

    private void relAttention(TaskGraph g, TaskId.Parts id, RelAttention.Forward s) {
        RelAttention.Shape sh = s.s();
        int fusion = s.fusion().ordinal(), n = sh.tokens();
        Slice table = s.fusion() == RelAttention.Fusion.NONE ? null : s.table();
        g.task(id.next(Launch.loops(n, n, sh.batch() * sh.heads())), TornadoRelAttention::scores, heap, at(s.qkv()), off(table), at(s.probs()), sh.batch(), sh.heads(), sh.dim(), sh.h(), sh.w(), fusion);
        softmax(g, id, at(s.probs()), at(s.probs()), sh.batch() * sh.heads() * n, n, 1);
        g.task(id.next(Launch.loops(sh.dim(), n, sh.batch() * sh.heads())), TornadoRelAttention::values, heap, at(s.qkv()), off(table), at(s.probs()), at(s.out()), sh.batch(), sh.heads(), sh.dim(), sh.h(), sh.w(), fusion);
    }

    private void relAttentionBackward(TaskGraph g, TaskId.Parts id, RelAttention.Backward s) {
        RelAttention.Shape sh = s.s();
        int fusion = s.fusion().ordinal(), n = sh.tokens(), acc = flag(s.accumulate());
        Slice table = s.fusion() == RelAttention.Fusion.NONE ? null : s.table();
        Slice src = s.fusion() == RelAttention.Fusion.NONE ? null : s.biasSrc();
        g.task(id.next(Launch.loops(sh.dim(), n, sh.batch() * sh.heads())), TornadoRelAttention::valueGrad, heap, off(table), at(s.probs()), at(s.dout()), at(s.dqkv()), sh.batch(), sh.heads(), sh.dim(), sh.h(), sh.w(), fusion, acc);
        g.task(id.next(Launch.loops(n, n, sh.batch() * sh.heads())), TornadoRelAttention::attentionGrad, heap, at(s.qkv()), at(s.dout()),
                ws, sh.batch(), sh.heads(), sh.dim(), sh.h(), sh.w());
        g.task(id.next(Launch.loops(sh.batch() * sh.heads() * n)), TornadoRelAttention::softmaxGrad, heap, at(s.probs()), ws, off(src),
                sh.batch() * sh.heads() * n, n, fusion);
        g.task(id.next(Launch.loops(sh.dim(), n, sh.batch() * sh.heads())), TornadoRelAttention::queryKeyGrad, heap, at(s.qkv()), ws, at(s.dqkv()), sh.batch(), sh.heads(), sh.dim(), sh.h(), sh.w(), acc);
    }

    private void factorAttention(TaskGraph g, TaskId.Parts id, FactorAttention.Forward s) {
        FactorAttention.Shape sh = s.s();
        g.task(id.next(Launch.loops(sh.dim(), sh.batch() * sh.heads())), TornadoFactorAttention::keySoftmax, heap, at(s.qkv()), at(s.ksoft()),
                sh.batch(), sh.tokens(), sh.heads(), sh.dim());
        g.task(id.next(Launch.loops(sh.dim(), sh.dim(), sh.batch() * sh.heads())), TornadoFactorAttention::keyValue, heap, at(s.qkv()), at(s.ksoft()),
                at(s.kv()), sh.batch(), sh.tokens(), sh.heads(), sh.dim());
        g.task(id.next(Launch.loops(sh.dim(), sh.tokens(), sh.batch() * sh.heads())), TornadoFactorAttention::output, heap, at(s.qkv()), at(s.kv()), at(s.out()), s.scale(), sh.batch(), sh.tokens(), sh.heads(), sh.dim());
    }

    private void factorAttentionBackward(TaskGraph g, TaskId.Parts id, FactorAttention.Backward s) {
        FactorAttention.Shape sh = s.s();
        int acc = flag(s.accumulate());
        g.task(id.next(Launch.loops(sh.dim(), sh.dim(), sh.batch() * sh.heads())), TornadoFactorAttention::keyValueGrad, heap, at(s.qkv()), at(s.dout()),
                ws, s.scale(), sh.batch(), sh.tokens(), sh.heads(), sh.dim());
        g.task(id.next(Launch.loops(sh.dim(), sh.tokens(), sh.batch() * sh.heads())), TornadoFactorAttention::queryGrad, heap, at(s.dout()), at(s.kv()), at(s.dqkv()), s.scale(), sh.batch(), sh.tokens(), sh.heads(), sh.dim(), acc);
        g.task(id.next(Launch.loops(sh.dim(), sh.tokens(), sh.batch() * sh.heads())), TornadoFactorAttention::valueGrad, heap, at(s.qkv()), at(s.ksoft()),
                ws, at(s.dqkv()), sh.batch(), sh.tokens(), sh.heads(), sh.dim(), acc);
        g.task(id.next(Launch.loops(sh.dim(), sh.batch() * sh.heads())), TornadoFactorAttention::keyGrad, heap, at(s.ksoft()), ws, at(s.dqkv()), sh.batch(), sh.tokens(), sh.heads(), sh.dim(), acc);
    }
}
