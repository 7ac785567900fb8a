package hybridlab.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * Device twins of {@link BatchNorm}, each step split into a per-channel reduction (one work-item
 * per channel, images summed in order, each image's positions in order) and an elementwise pass
 * (one work-item per element) that applies the fused activation ({@link TornadoActivation} code,
 * {@link TornadoActivation#NONE} for none).
 *
 * <p>The backward pass keeps its per-channel constants in a small device workspace
 * ({@link #COEF} floats per channel): {@code mu, rstd, scale, shift, gamma} from
 * {@link #coefficients}, then {@code a, b, c} of {@code dx = a g + b x + c} from
 * {@link #backwardSums}.
 */
public final class TornadoBatchNorm {
    private TornadoBatchNorm() {
    }

    /** Workspace floats per channel for the backward pass. */
    public static final int COEF = 8;
    static final int MU = 0, RSTD = 1, SCALE = 2, SHIFT = 3, GAMMA = 4, A = 5, B = 6, C = 7;

    /** {@link BatchNorm.Train}, first pass: batch mean and 1/std per channel, and the running statistics. */
    public static void trainStats(FloatArray x, int xOff, FloatArray mean, int meanOff, FloatArray rstd, int rstdOff,
                                  FloatArray runMean, int rmOff, FloatArray runVar, int rvOff,
                                  int batch, int channels, int hw, float eps, float momentum) {
        int n = batch * hw;
        for (@Parallel int c = 0; c < channels; c++) {
            float sum = 0f;
            for (int b = 0; b < batch; b++) {
                int o = xOff + (b * channels + c) * hw;
                float part = 0f;
                for (int p = 0; p < hw; p++) {
                    part += x.get(o + p);
                }
                sum += part;
            }
            float mu = sum / n, sq = 0f;
            for (int b = 0; b < batch; b++) {
                int o = xOff + (b * channels + c) * hw;
                float part = 0f;
                for (int p = 0; p < hw; p++) {
                    float d = x.get(o + p) - mu;
                    part += d * d;
                }
                sq += part;
            }
            float var = sq / n;
            mean.set(meanOff + c, mu);
            rstd.set(rstdOff + c, TornadoFastMath.rsqrt(var + eps));
            runMean.set(rmOff + c, (1f - momentum) * runMean.get(rmOff + c) + momentum * mu);
            float unbiased = n > 1 ? var * n / (n - 1) : var;
            runVar.set(rvOff + c, (1f - momentum) * runVar.get(rvOff + c) + momentum * unbiased);
        }
    }

    /** {@link BatchNorm.Train}, second pass: {@code y = act(x scale + shift)}, {@code scale = rstd gamma}, {@code shift = beta - mean scale}. */
    public static void normalize(FloatArray x, int xOff, FloatArray gamma, int gOff, FloatArray beta, int bOff,
                                 FloatArray mean, int meanOff, FloatArray rstd, int rstdOff, FloatArray y, int yOff,
                                 int batch, int channels, int hw, int act) {
        for (@Parallel int p = 0; p < hw; p++) {
            for (@Parallel int t = 0; t < batch * channels; t++) {
                int c = t % channels;
                float scale = rstd.get(rstdOff + c) * gamma.get(gOff + c);
                float shift = beta.get(bOff + c) - mean.get(meanOff + c) * scale;
                int o = t * hw + p;
                y.set(yOff + o, TornadoActivation.apply(act, x.get(xOff + o) * scale + shift));
            }
        }
    }

    /** {@link BatchNorm.Eval}: {@code y = act(x scale + shift)} from the running statistics. */
    public static void eval(FloatArray x, int xOff, FloatArray gamma, int gOff, FloatArray beta, int bOff,
                            FloatArray runMean, int rmOff, FloatArray runVar, int rvOff, FloatArray y, int yOff,
                            int batch, int channels, int hw, float eps, int act) {
        for (@Parallel int p = 0; p < hw; p++) {
            for (@Parallel int t = 0; t < batch * channels; t++) {
                int c = t % channels;
                float scale = TornadoFastMath.rsqrt(runVar.get(rvOff + c) + eps) * gamma.get(gOff + c);
                float shift = beta.get(bOff + c) - runMean.get(rmOff + c) * scale;
                int o = t * hw + p;
                y.set(yOff + o, TornadoActivation.apply(act, x.get(xOff + o) * scale + shift));
            }
        }
    }

    /** {@link BatchNorm.Backward}, first pass: per-channel constants into {@code coef}. */
    public static void coefficients(FloatArray gamma, int gOff, FloatArray beta, int bOff, FloatArray mean, int meanOff,
                                    FloatArray rstd, int rstdOff, FloatArray coef, int cOff, int channels) {
        for (@Parallel int c = 0; c < channels; c++) {
            float mu = mean.get(meanOff + c), rs = rstd.get(rstdOff + c), gam = gamma.get(gOff + c);
            float scale = rs * gam;
            int o = cOff + c * COEF;
            coef.set(o + MU, mu);
            coef.set(o + RSTD, rs);
            coef.set(o + SCALE, scale);
            coef.set(o + SHIFT, beta.get(bOff + c) - mu * scale);
            coef.set(o + GAMMA, gam);
        }
    }

    /**
     * {@link BatchNorm.Backward}, second pass, one work-item per channel: with
     * {@code g = act'(z) dy}, {@code dgamma (+)= rstd sum g (x - mean)}, {@code dbeta (+)= sum g},
     * and the constants of {@code dx = gamma rstd / n (n g - sum g - xhat sum(g xhat))}.
     */
    public static void backwardSums(FloatArray x, int xOff, FloatArray dy, int dyOff, FloatArray coef, int cOff,
                                    FloatArray dgamma, int dgOff, FloatArray dbeta, int dbOff,
                                    int batch, int channels, int hw, int accumulateParams, int act) {
        int n = batch * hw;
        for (@Parallel int c = 0; c < channels; c++) {
            int k0 = cOff + c * COEF;
            float mu = coef.get(k0 + MU), rs = coef.get(k0 + RSTD), scale = coef.get(k0 + SCALE), shift = coef.get(k0 + SHIFT);
            float sg = 0f, sgx = 0f;
            for (int b = 0; b < batch; b++) {
                int o = (b * channels + c) * hw;
                float ps = 0f, pd = 0f;
                for (int p = 0; p < hw; p++) {
                    float xv = x.get(xOff + o + p);
                    float g = TornadoActivation.grad(act, xv * scale + shift) * dy.get(dyOff + o + p);
                    ps += g;
                    pd += (xv - mu) * g;
                }
                sg += ps;
                sgx += pd;
            }
            sgx *= rs;
            dgamma.set(dgOff + c, accumulateParams != 0 ? dgamma.get(dgOff + c) + sgx : sgx);
            dbeta.set(dbOff + c, accumulateParams != 0 ? dbeta.get(dbOff + c) + sg : sg);
            float k = coef.get(k0 + GAMMA) * rs / n;
            coef.set(k0 + A, k * n);
            coef.set(k0 + B, -k * rs * sgx);
            coef.set(k0 + C, k * rs * sgx * mu - k * sg);
        }
    }

    /** {@link BatchNorm.Backward}, last pass: {@code dx (+)= a g + b x + c}, elementwise. */
    public static void backwardApply(FloatArray x, int xOff, FloatArray dy, int dyOff, FloatArray coef, int cOff,
                                     FloatArray dx, int dxOff, int batch, int channels, int hw, int accumulate, int act) {
        for (@Parallel int p = 0; p < hw; p++) {
            for (@Parallel int t = 0; t < batch * channels; t++) {
                int k0 = cOff + (t % channels) * COEF, o = t * hw + p;
                float xv = x.get(xOff + o);
                float g = TornadoActivation.grad(act, xv * coef.get(k0 + SCALE) + coef.get(k0 + SHIFT)) * dy.get(dyOff + o);
                float v = g * coef.get(k0 + A) + (xv * coef.get(k0 + B) + coef.get(k0 + C));
                dx.set(dxOff + o, accumulate != 0 ? dx.get(dxOff + o) + v : v);
            }
        }
    }
}
