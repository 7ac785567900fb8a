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
import hybridlab.kernels.TornadoLayerNorm;
import hybridlab.kernels.TornadoLoss;
import hybridlab.kernels.TornadoOptim;
import hybridlab.kernels.TornadoPool;
import hybridlab.kernels.TornadoRelAttention;
import hybridlab.kernels.TornadoResize;
import hybridlab.kernels.TornadoRows;
import hybridlab.kernels.TornadoSoftmax;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * Binds program steps to TornadoVM kernels: an exhaustive switch over the sealed {@link Step}
 * hierarchy (a step type without a device kernel does not compile), each case adding the
 * step's tasks to a task graph with the arena mirrors and offsets of its slices.
 *
 * <p>Most steps are one task; a few are passes over a device workspace (batch-norm backward,
 * attention backward) or two tasks (a GEMM with bias, batch-norm training). {@link #MAX_TASKS}
 * bounds the tasks of any step, so a graph is cut between steps.
 */
final class StepTasks {
    /** The most tasks one step adds. */
    static final int MAX_TASKS = 4;

    private final DeviceArenas arenas;
    private final FloatArray workspace;

    StepTasks(DeviceArenas arenas, FloatArray workspace) {
        this.arenas = arenas;
        this.workspace = workspace;
    }

    /** Floats of device workspace the step needs (0 for most). */
    static int workspaceFloats(Step step) {
        return switch (step) {
            case BatchNorm.Backward b -> b.channels() * TornadoBatchNorm.COEF;
            case RelAttention.Backward r -> r.s().batch() * r.s().heads() * r.s().tokens() * r.s().tokens();
            case FactorAttention.Backward f -> f.s().batch() * f.s().heads() * (f.s().dim() * f.s().dim() + f.s().tokens() * f.s().dim());
            default -> 0;
        };
    }

    private FloatArray f(Slice s) {
        return arenas.floats(s);
    }

    /** Mirror of an optional slice (the workspace stands in for an absent one). */
    private FloatArray opt(Slice s) {
        return s == null ? workspace : arenas.floats(s);
    }

    /** Offset of an optional slice; -1 when absent. */
    private static int off(Slice s) {
        return s == null ? -1 : s.offset();
    }

    private static int flag(boolean b) {
        return b ? 1 : 0;
    }

    /** Adds the tasks of program step {@code index} to {@code g}; returns how many. */
    int add(TaskGraph g, int index, Step step) {
        TaskId.Parts id = new TaskId.Parts(index);
        FloatArray ws = workspace;
        switch (step) {
            case Elementwise.Fill s -> g.task(id.next(), TornadoElementwise::fill, f(s.dst()), s.dst().offset(), s.dst().length(), s.value());
            case Elementwise.Copy s -> g.task(id.next(), TornadoElementwise::copy, f(s.src()), s.src().offset(), s.srcStride(),
                    f(s.dst()), s.dst().offset(), s.dstStride(), s.blocks(), s.len(), flag(s.accumulate()));
            case Elementwise.Add s -> g.task(id.next(), TornadoElementwise::add, f(s.a()), s.a().offset(), f(s.b()), s.b().offset(),
                    f(s.y()), s.y().offset(), s.n());
            case Elementwise.Scale s -> g.task(id.next(), TornadoElementwise::scale, f(s.x()), s.x().offset(), f(s.y()), s.y().offset(),
                    s.n(), s.alpha(), flag(s.accumulate()));
            case Elementwise.Mul s -> g.task(id.next(), TornadoElementwise::mul, f(s.a()), s.a().offset(), f(s.b()), s.b().offset(),
                    f(s.y()), s.y().offset(), s.n(), flag(s.accumulate()));
            case Activation.Forward s -> g.task(id.next(), TornadoActivation::forward, TornadoActivation.code(s.kind()),
                    f(s.x()), s.x().offset(), f(s.y()), s.y().offset(), s.n());
            case Activation.Backward s -> g.task(id.next(), TornadoActivation::backward, TornadoActivation.code(s.kind()),
                    f(s.x()), s.x().offset(), f(s.dy()), s.dy().offset(), f(s.dx()), s.dx().offset(), s.n(), flag(s.accumulate()));
            case Gemm s -> gemm(g, id, s);
            case Conv.Forward s -> {
                ConvShape c = s.s();
                g.task(id.next(), TornadoConv::forward, f(s.x()), s.x().offset(), f(s.w()), s.w().offset(), opt(s.bias()), off(s.bias()),
                        f(s.y()), s.y().offset(), c.batch(), c.cin(), c.h(), c.w(), c.cout(), c.k(), c.stride(), c.pad(), c.dil(), c.groups());
            }
            case Conv.BackwardData s -> {
                ConvShape c = s.s();
                g.task(id.next(), TornadoConv::backwardData, f(s.dy()), s.dy().offset(), f(s.w()), s.w().offset(), f(s.dx()), s.dx().offset(),
                        c.batch(), c.cin(), c.h(), c.w(), c.cout(), c.k(), c.stride(), c.pad(), c.dil(), c.groups(), flag(s.accumulate()));
            }
            case Conv.BackwardWeight s -> {
                ConvShape c = s.s();
                g.task(id.next(), TornadoConv::backwardWeight, f(s.x()), s.x().offset(), f(s.dy()), s.dy().offset(), f(s.partials()),
                        s.partials().offset(), s.parts(), c.batch(), c.cin(), c.h(), c.w(), c.cout(), c.k(), c.stride(), c.pad(), c.dil(),
                        c.groups());
            }
            case DepthwiseConv.Forward s -> {
                ConvShape c = s.s();
                g.task(id.next(), TornadoDepthwiseConv::forward, f(s.x()), s.x().offset(), f(s.w()), s.w().offset(), opt(s.bias()),
                        off(s.bias()), f(s.y()), s.y().offset(), c.batch(), c.cin(), c.h(), c.w(), c.k(), c.stride(), c.pad(), c.dil());
            }
            case DepthwiseConv.BackwardData s -> {
                ConvShape c = s.s();
                g.task(id.next(), TornadoDepthwiseConv::backwardData, f(s.dy()), s.dy().offset(), f(s.w()), s.w().offset(), f(s.dx()),
                        s.dx().offset(), c.batch(), c.cin(), c.h(), c.w(), c.k(), c.stride(), c.pad(), c.dil(), flag(s.accumulate()));
            }
            case DepthwiseConv.BackwardWeight s -> {
                ConvShape c = s.s();
                g.task(id.next(), TornadoDepthwiseConv::backwardWeight, f(s.x()), s.x().offset(), f(s.dy()), s.dy().offset(), f(s.dw()),
                        s.dw().offset(), c.batch(), c.cin(), c.h(), c.w(), c.k(), c.stride(), c.pad(), c.dil(), flag(s.accumulate()));
            }
            case Channels.BiasGrad s -> g.task(id.next(), TornadoChannels::biasGrad, f(s.dy()), s.dy().offset(), f(s.db()), s.db().offset(),
                    s.batch(), s.channels(), s.hw(), flag(s.accumulate()));
            case Channels.Scale s -> g.task(id.next(), TornadoChannels::scale, f(s.x()), s.x().offset(), f(s.s()), s.s().offset(),
                    f(s.y()), s.y().offset(), s.batch() * s.channels(), s.hw(), flag(s.accumulate()));
            case Channels.ScaleGrad s -> g.task(id.next(), TornadoChannels::scaleGrad, f(s.x()), s.x().offset(), f(s.dy()), s.dy().offset(),
                    f(s.ds()), s.ds().offset(), s.batch() * s.channels(), s.hw(), flag(s.accumulate()));
            case Channels.Mean s -> g.task(id.next(), TornadoChannels::mean, f(s.x()), s.x().offset(), f(s.y()), s.y().offset(),
                    s.batch() * s.channels(), s.hw());
            case Channels.MeanGrad s -> g.task(id.next(), TornadoChannels::meanGrad, f(s.dy()), s.dy().offset(), f(s.dx()), s.dx().offset(),
                    s.batch() * s.channels(), s.hw(), flag(s.accumulate()));
            case Rows.SumRows s -> g.task(id.next(), TornadoRows::sumRows, f(s.src()), s.src().offset(), s.rows(), s.cols(), s.rowStride(),
                    f(s.dst()), s.dst().offset(), flag(s.accumulate()));
            case Rows.Transpose s -> g.task(id.next(), TornadoRows::transpose, f(s.src()), s.src().offset(), f(s.dst()), s.dst().offset(),
                    s.batch(), s.rows(), s.cols(), flag(s.accumulate()));
            case BatchNorm.Train s -> {
                g.task(id.next(), TornadoBatchNorm::trainStats, f(s.x()), s.x().offset(), f(s.mean()), s.mean().offset(), f(s.rstd()),
                        s.rstd().offset(), f(s.runMean()), s.runMean().offset(), f(s.runVar()), s.runVar().offset(),
                        s.batch(), s.channels(), s.hw(), s.eps(), s.momentum());
                g.task(id.next(), TornadoBatchNorm::normalize, f(s.x()), s.x().offset(), f(s.gamma()), s.gamma().offset(), f(s.beta()),
                        s.beta().offset(), f(s.mean()), s.mean().offset(), f(s.rstd()), s.rstd().offset(), f(s.y()), s.y().offset(),
                        s.batch(), s.channels(), s.hw(), TornadoActivation.code(s.act()));
            }
            case BatchNorm.Eval s -> g.task(id.next(), TornadoBatchNorm::eval, f(s.x()), s.x().offset(), f(s.gamma()), s.gamma().offset(),
                    f(s.beta()), s.beta().offset(), f(s.runMean()), s.runMean().offset(), f(s.runVar()), s.runVar().offset(), f(s.y()),
                    s.y().offset(), s.batch(), s.channels(), s.hw(), s.eps(), TornadoActivation.code(s.act()));
            case BatchNorm.Backward s -> {
                int act = TornadoActivation.code(s.act());
                g.task(id.next(), TornadoBatchNorm::coefficients, f(s.gamma()), s.gamma().offset(), f(s.beta()), s.beta().offset(),
                        f(s.mean()), s.mean().offset(), f(s.rstd()), s.rstd().offset(), ws, 0, s.channels());
                g.task(id.next(), TornadoBatchNorm::backwardSums, f(s.x()), s.x().offset(), f(s.dy()), s.dy().offset(), ws, 0,
                        f(s.dgamma()), s.dgamma().offset(), f(s.dbeta()), s.dbeta().offset(), s.batch(), s.channels(), s.hw(),
                        flag(s.accumulateParams()), act);
                g.task(id.next(), TornadoBatchNorm::backwardApply, f(s.x()), s.x().offset(), f(s.dy()), s.dy().offset(), ws, 0,
                        f(s.dx()), s.dx().offset(), s.batch(), s.channels(), s.hw(), flag(s.accumulate()), act);
            }
            case LayerNorm.Forward s -> g.task(id.next(), TornadoLayerNorm::forward, f(s.x()), s.x().offset(), f(s.gamma()),
                    s.gamma().offset(), f(s.beta()), s.beta().offset(), f(s.y()), s.y().offset(), f(s.mean()), s.mean().offset(),
                    f(s.rstd()), s.rstd().offset(), s.rows(), s.cols(), s.eps());
            case LayerNorm.Backward s -> g.task(id.next(), TornadoLayerNorm::backward, f(s.x()), s.x().offset(), f(s.dy()), s.dy().offset(),
                    f(s.gamma()), s.gamma().offset(), f(s.mean()), s.mean().offset(), f(s.rstd()), s.rstd().offset(), f(s.dx()),
                    s.dx().offset(), s.rows(), s.cols(), flag(s.accumulate()));
            case LayerNorm.ParamGrad s -> g.task(id.next(), TornadoLayerNorm::paramGrad, f(s.x()), s.x().offset(), f(s.dy()),
                    s.dy().offset(), f(s.mean()), s.mean().offset(), f(s.rstd()), s.rstd().offset(), f(s.dgamma()), s.dgamma().offset(),
                    f(s.dbeta()), s.dbeta().offset(), s.rows(), s.cols(), flag(s.accumulate()));
            case Pool.MaxForward s -> {
                PoolShape p = s.s();
                g.task(id.next(), TornadoPool::maxForward, f(s.x()), s.x().offset(), f(s.y()), s.y().offset(), p.planes(), p.h(), p.w(),
                        p.k(), p.stride(), p.pad());
            }
            case Pool.MaxBackward s -> {
                PoolShape p = s.s();
                g.task(id.next(), TornadoPool::maxBackward, f(s.x()), s.x().offset(), f(s.y()), s.y().offset(), f(s.dy()), s.dy().offset(),
                        f(s.dx()), s.dx().offset(), p.planes(), p.h(), p.w(), p.k(), p.stride(), p.pad(), flag(s.accumulate()));
            }
            case Pool.AvgForward s -> {
                PoolShape p = s.s();
                g.task(id.next(), TornadoPool::avgForward, f(s.x()), s.x().offset(), f(s.y()), s.y().offset(), p.planes(), p.h(), p.w(),
                        p.k(), p.stride(), p.pad());
            }
            case Pool.AvgBackward s -> {
                PoolShape p = s.s();
                g.task(id.next(), TornadoPool::avgBackward, f(s.dy()), s.dy().offset(), f(s.dx()), s.dx().offset(), p.planes(), p.h(),
                        p.w(), p.k(), p.stride(), p.pad(), flag(s.accumulate()));
            }
            case Resize.Forward s -> g.task(id.next(), TornadoResize::forward, f(s.x()), s.x().offset(), f(s.y()), s.y().offset(),
                    s.planes(), s.h(), s.w(), s.oh(), s.ow());
            case Resize.Backward s -> g.task(id.next(), TornadoResize::backward, f(s.dy()), s.dy().offset(), f(s.dx()), s.dx().offset(),
                    s.planes(), s.h(), s.w(), s.oh(), s.ow(), flag(s.accumulate()));
            case Softmax.Forward s -> g.task(id.next(), TornadoSoftmax::forward, f(s.x()), s.x().offset(), f(s.y()), s.y().offset(),
                    s.outer(), s.n(), s.inner());
            case Softmax.Backward s -> g.task(id.next(), TornadoSoftmax::backward, f(s.y()), s.y().offset(), f(s.dy()), s.dy().offset(),
                    f(s.dx()), s.dx().offset(), s.outer(), s.n(), s.inner(), flag(s.accumulate()));
            case RelAttention.Forward s -> relAttention(g, id, s);
            case RelAttention.Backward s -> relAttentionBackward(g, id, s);
            case RelAttention.BiasGrad s -> g.task(id.next(), TornadoRelAttention::biasGrad, f(s.biasSrc()), s.biasSrc().offset(),
                    f(s.dtable()), s.dtable().offset(), s.s().batch(), s.s().heads(), s.s().h(), s.s().w(), flag(s.accumulate()));
            case FactorAttention.Forward s -> factorAttention(g, id, s);
            case FactorAttention.Backward s -> factorAttentionBackward(g, id, s);
            case Loss.CrossEntropy s -> g.task(id.next(), TornadoLoss::crossEntropy, f(s.logits()), s.logits().offset(),
                    arenas.ints(s.labels()), s.labels().offset(), f(s.rowLoss()), s.rowLoss().offset(), f(s.rowHit()), s.rowHit().offset(),
                    opt(s.dlogits()), off(s.dlogits()), s.batch(), s.classes(), s.smoothing(), s.gradScale());
            case Loss.Sum s -> g.task(id.next(), TornadoLoss::sum, f(s.rowLoss()), s.rowLoss().offset(), f(s.rowHit()), s.rowHit().offset(),
                    f(s.out()), s.out().offset(), s.batch());
            case Dropout.Forward s -> g.task(id.next(), TornadoDropout::apply, f(s.x()), s.x().offset(), f(s.y()), s.y().offset(),
                    f(s.hyper()), s.hyper().offset(), s.n(), s.group(), s.keep(), s.site(), 0);
            case Dropout.Backward s -> g.task(id.next(), TornadoDropout::apply, f(s.dy()), s.dy().offset(), f(s.dx()), s.dx().offset(),
                    f(s.hyper()), s.hyper().offset(), s.n(), s.group(), s.keep(), s.site(), flag(s.accumulate()));
            case Optim.SquarePartials s -> g.task(id.next(), TornadoOptim::squarePartials, f(s.grads()), s.grads().offset(),
                    s.grads().length(), f(s.partials()), s.partials().offset());
            case Optim.ClipScale s -> g.task(id.next(), TornadoOptim::clipScale, f(s.partials()), s.partials().offset(), s.count(),
                    f(s.hyper()), s.hyper().offset(), s.maxNorm());
            case Optim.AdamW s -> g.task(id.next(), TornadoOptim::adamW, f(s.params()), s.params().offset(), f(s.grads()),
                    s.grads().offset(), f(s.m()), s.m().offset(), f(s.v()), s.v().offset(), f(s.hyper()), s.hyper().offset(),
                    s.params().length(), s.decayEnd(), s.beta1(), s.beta2(), s.eps(), s.weightDecay());
        }
        return id.count();
    }

    /** A product over the batch, or a sum over it when C has no batch stride; the bias as a second task. */
    private void gemm(TaskGraph g, TaskId.Parts id, Gemm s) {
        MatView a = s.a(), b = s.b(), c = s.c();
        if (c.batchStride() == 0 && s.batch() > 1) {
            g.task(id.next(), TornadoGemm::gemmSumBatch,
                    f(a.slice()), a.slice().offset(), a.rowStride(), a.colStride(), a.batchStride(),
                    f(b.slice()), b.slice().offset(), b.rowStride(), b.colStride(), b.batchStride(),
                    f(c.slice()), c.slice().offset(), c.rowStride(), c.colStride(),
                    s.batch(), s.m(), s.n(), s.k(), flag(s.accumulate()));
        } else {
            g.task(id.next(), TornadoGemm::gemm,
                    f(a.slice()), a.slice().offset(), a.rowStride(), a.colStride(), a.batchStride(),
                    f(b.slice()), b.slice().offset(), b.rowStride(), b.colStride(), b.batchStride(),
                    f(c.slice()), c.slice().offset(), c.rowStride(), c.colStride(), c.batchStride(),
                    s.batch(), s.m(), s.n(), s.k(), flag(s.accumulate()));
        }
        if (s.biasMode() != Gemm.BiasMode.NONE) {
            g.task(id.next(), TornadoGemm::bias, f(c.slice()), c.slice().offset(), c.rowStride(), c.colStride(), c.batchStride(),
                    s.batch(), s.m(), s.n(), f(s.bias()), s.bias().offset(), flag(s.biasMode() == Gemm.BiasMode.ROW));
        }
    }

    private void relAttention(TaskGraph g, TaskId.Parts id, RelAttention.Forward s) {
        RelAttention.Shape sh = s.s();
        int fusion = s.fusion().ordinal(), n = sh.tokens();
        Slice table = s.fusion() == RelAttention.Fusion.NONE ? null : s.table();
        g.task(id.next(), TornadoRelAttention::scores, f(s.qkv()), s.qkv().offset(), opt(table), off(table), f(s.probs()),
                s.probs().offset(), sh.batch(), sh.heads(), sh.dim(), sh.h(), sh.w(), fusion);
        g.task(id.next(), TornadoSoftmax::forward, f(s.probs()), s.probs().offset(), f(s.probs()), s.probs().offset(),
                sh.batch() * sh.heads() * n, n, 1);
        g.task(id.next(), TornadoRelAttention::values, f(s.qkv()), s.qkv().offset(), opt(table), off(table), f(s.probs()),
                s.probs().offset(), f(s.out()), s.out().offset(), sh.batch(), sh.heads(), sh.dim(), sh.h(), sh.w(), fusion);
    }

    private void relAttentionBackward(TaskGraph g, TaskId.Parts id, RelAttention.Backward s) {
        RelAttention.Shape sh = s.s();
        int fusion = s.fusion().ordinal(), n = sh.tokens(), acc = flag(s.accumulate());
        Slice table = s.fusion() == RelAttention.Fusion.NONE ? null : s.table();
        Slice src = s.fusion() == RelAttention.Fusion.NONE ? null : s.biasSrc();
        g.task(id.next(), TornadoRelAttention::valueGrad, opt(table), off(table), f(s.probs()), s.probs().offset(), f(s.dout()),
                s.dout().offset(), f(s.dqkv()), s.dqkv().offset(), sh.batch(), sh.heads(), sh.dim(), sh.h(), sh.w(), fusion, acc);
        g.task(id.next(), TornadoRelAttention::attentionGrad, f(s.qkv()), s.qkv().offset(), f(s.dout()), s.dout().offset(),
                workspace, 0, sh.batch(), sh.heads(), sh.dim(), sh.h(), sh.w());
        g.task(id.next(), TornadoRelAttention::softmaxGrad, f(s.probs()), s.probs().offset(), workspace, 0, opt(src), off(src),
                sh.batch() * sh.heads() * n, n, fusion);
        g.task(id.next(), TornadoRelAttention::queryKeyGrad, f(s.qkv()), s.qkv().offset(), workspace, 0, f(s.dqkv()),
                s.dqkv().offset(), sh.batch(), sh.heads(), sh.dim(), sh.h(), sh.w(), acc);
    }

    private void factorAttention(TaskGraph g, TaskId.Parts id, FactorAttention.Forward s) {
        FactorAttention.Shape sh = s.s();
        g.task(id.next(), TornadoFactorAttention::keySoftmax, f(s.qkv()), s.qkv().offset(), f(s.ksoft()), s.ksoft().offset(),
                sh.batch(), sh.tokens(), sh.heads(), sh.dim());
        g.task(id.next(), TornadoFactorAttention::keyValue, f(s.qkv()), s.qkv().offset(), f(s.ksoft()), s.ksoft().offset(),
                f(s.kv()), s.kv().offset(), sh.batch(), sh.tokens(), sh.heads(), sh.dim());
        g.task(id.next(), TornadoFactorAttention::output, f(s.qkv()), s.qkv().offset(), f(s.kv()), s.kv().offset(), f(s.out()),
                s.out().offset(), s.scale(), sh.batch(), sh.tokens(), sh.heads(), sh.dim());
    }

    private void factorAttentionBackward(TaskGraph g, TaskId.Parts id, FactorAttention.Backward s) {
        FactorAttention.Shape sh = s.s();
        int acc = flag(s.accumulate());
        g.task(id.next(), TornadoFactorAttention::keyValueGrad, f(s.qkv()), s.qkv().offset(), f(s.dout()), s.dout().offset(),
                workspace, 0, s.scale(), sh.batch(), sh.tokens(), sh.heads(), sh.dim());
        g.task(id.next(), TornadoFactorAttention::queryGrad, f(s.dout()), s.dout().offset(), f(s.kv()), s.kv().offset(), f(s.dqkv()),
                s.dqkv().offset(), s.scale(), sh.batch(), sh.tokens(), sh.heads(), sh.dim(), acc);
        g.task(id.next(), TornadoFactorAttention::valueGrad, f(s.qkv()), s.qkv().offset(), f(s.ksoft()), s.ksoft().offset(),
                workspace, 0, f(s.dqkv()), s.dqkv().offset(), sh.batch(), sh.tokens(), sh.heads(), sh.dim(), acc);
        g.task(id.next(), TornadoFactorAttention::keyGrad, f(s.ksoft()), s.ksoft().offset(), workspace, 0, f(s.dqkv()),
                s.dqkv().offset(), sh.batch(), sh.tokens(), sh.heads(), sh.dim(), acc);
    }
}
