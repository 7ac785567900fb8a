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
    public static void trainStats(FloatArray mem, int xOff, int meanOff, int rstdOff, int rmOff, int rvOff, int batch,
                                  int channels, int hw, float eps, float momentum) {
        int n = batch * hw;
        for (@Parallel int c = 0; c < Math.max(0, channels); c++) {
            float sum = 0f;
            for (int b = 0; b < batch; b++) {
                int o = xOff + (b * channels + c) * hw;
                float part = 0f;
                for (int p = 0; p < hw; p++) {
                    part += mem.get(o + p);
                }
                sum += part;
            }
            float mu = sum / n, sq = 0f;
            for (int b = 0; b < batch; b++) {
                int o = xOff + (b * channels + c) * hw;
                float part = 0f;
                for (int p = 0; p < hw; p++) {
                    float d = mem.get(o + p) - mu;
                    part += d * d;
                }
                sq += part;
            }
            float var = sq / n;
            mem.set(meanOff + c, mu);
            mem.set(rstdOff + c, TornadoFastMath.rsqrt(var + eps));
            mem.set(rmOff + c, (1f - momentum) * mem.get(rmOff + c) + momentum * mu);
            float unbiased = n > 1 ? var * n / (n - 1) : var;
            mem.set(rvOff + c, (1f - momentum) * mem.get(rvOff + c) + momentum * unbiased);
        }
    }

    /** {@link BatchNorm.Train}, second pass (not named normalize: an OpenCL builtin, which TornadoVM rejects as a kernel name): {@code y = act(x scale + shift)}, {@code scale = rstd gamma}, {@code shift = beta - mean scale}. */
    public static void trainApply(FloatArray mem, int xOff, int gOff, int bOff, int meanOff, int rstdOff, int yOff, int batch,
                                 int channels, int hw, int act) {
        for (@Parallel int p = 0; p < Math.max(0, hw); p++) {
            for (@Parallel int t = 0; t < batch * channels; t++) {
                int c = t % channels;
                float scale = mem.get(rstdOff + c) * mem.get(gOff + c);
                float shift = mem.get(bOff + c) - mem.get(meanOff + c) * scale;
                int o = t * hw + p;
                mem.set(yOff + o, TornadoActivation.apply(act, mem.get(xOff + o) * scale + shift));
            }
        }
    }

    /** {@link BatchNorm.Eval}: {@code y = act(x scale + shift)} from the running statistics. */
    public static void eval(FloatArray mem, int xOff, int gOff, int bOff, int rmOff, int rvOff, int yOff, int batch,
                            int channels, int hw, float eps, int act) {
        for (@Parallel int p = 0; p < Math.max(0, hw); p++) {
            for (@Parallel int t = 0; t < batch * channels; t++) {
                int c = t % channels;
                float scale = TornadoFastMath.rsqrt(mem.get(rvOff + c) + eps) * mem.get(gOff + c);
                float shift = mem.get(bOff + c) - mem.get(rmOff + c) * scale;
                int o = t * hw + p;
                mem.set(yOff + o, TornadoActivation.apply(act, mem.get(xOff + o) * scale + shift));
            }
        }
    }

    /** {@link BatchNorm.Backward}, first pass: per-channel constants into {@code coef}. */
    public static void coefficients(FloatArray mem, int gOff, int bOff, int meanOff, int rstdOff, int cOff, int channels) {
        for (@Parallel int c = 0; c < Math.max(0, channels); c++) {
            float mu = mem.get(meanOff + c), rs = mem.get(rstdOff + c), gam = mem.get(gOff + c);
            float scale = rs * gam;
            int o = cOff + c * COEF;
            mem.set(o + MU, mu);
            mem.set(o + RSTD, rs);
            mem.set(o + SCALE, scale);
            mem.set(o + SHIFT, mem.get(bOff + c) - mu * scale);
            mem.set(o + GAMMA, gam);
        }
    }

    /**
     * {@link BatchNorm.Backward}, second pass, one work-item per channel: with
     * {@code g = act'(z) dy}, {@code dgamma (+)= rstd sum g (x - mean)}, {@code dbeta (+)= sum g},
     * and the constants of {@code dx = gamma rstd / n (n g - sum g - xhat sum(g xhat))}.
     */
    public static void backwardSums(FloatArray mem, int xOff, int dyOff, int cOff, int dgOff, int dbOff, int batch,
                                    int channels, int hw, int accumulateParams, int act) {
        int n = batch * hw;
        for (@Parallel int c = 0; c < Math.max(0, channels); c++) {
            int k0 = cOff + c * COEF;
            float mu = mem.get(k0 + MU), rs = mem.get(k0 + RSTD), scale = mem.get(k0 + SCALE), shift = mem.get(k0 + SHIFT);
            float sg = 0f, sgx = 0f;
            for (int b = 0; b < batch; b++) {
                int o = (b * channels + c) * hw;
                float ps = 0f, pd = 0f;
                for (int p = 0; p < hw; p++) {
                    float xv = mem.get(xOff + o + p);
                    float g = TornadoActivation.grad(act, xv * scale + shift) * mem.get(dyOff + o + p);
                    ps += g;
                    pd += (xv - mu) * g;
                }
                sg += ps;
                sgx += pd;
            }
            sgx *= rs;
            mem.set(dgOff + c, accumulateParams != 0 ? mem.get(dgOff + c) + sgx : sgx);
            mem.set(dbOff + c, accumulateParams != 0 ? mem.get(dbOff + c) + sg : sg);
            float k = mem.get(k0 + GAMMA) * rs / n;
            mem.set(k0 + A, k * n);
            mem.set(k0 + B, -k * rs * sgx);
            mem.set(k0 + C, k * rs * sgx * mu - k * sg);
        }
    }

    /** {@link BatchNorm.Backward}, last pass: {@code dx (+)= a g + b x + c}, elementwise. */
    public static void backwardApply(FloatArray mem, int xOff, int dyOff, int cOff, int dxOff, int batch, int channels, int hw,
                                     int accumulate, int act) {
        for (@Parallel int p = 0; p < Math.max(0, hw); p++) {
            for (@Parallel int t = 0; t < batch * channels; t++) {
                int k0 = cOff + (t % channels) * COEF, o = t * hw + p;
                float xv = mem.get(xOff + o);
                float g = TornadoActivation.grad(act, xv * mem.get(k0 + SCALE) + mem.get(k0 + SHIFT)) * mem.get(dyOff + o);
                float v = g * mem.get(k0 + A) + (xv * mem.get(k0 + B) + mem.get(k0 + C));
                mem.set(dxOff + o, accumulate != 0 ? mem.get(dxOff + o) + v : v);
            }
        }
    }
}
