package hybridlab.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/** Device twins of {@link LayerNorm} over the last dimension of {@code (rows, cols)} matrices. */
public final class TornadoLayerNorm {
    private TornadoLayerNorm() {
    }

    /** {@link LayerNorm.Forward}: one work-item per row; saves mean and rstd. */
    public static void forward(FloatArray x, int xOff, FloatArray gamma, int gOff, FloatArray beta, int bOff, FloatArray y, int yOff,
                               FloatArray mean, int meanOff, FloatArray rstd, int rstdOff, int rows, int cols, float eps) {
        for (@Parallel int i = 0; i < rows; i++) {
            int xo = xOff + i * cols, yo = yOff + i * cols;
            float sum = 0f;
            for (int j = 0; j < cols; j++) {
                sum += x.get(xo + j);
            }
            float mu = sum / cols, sq = 0f;
            for (int j = 0; j < cols; j++) {
                float d = x.get(xo + j) - mu;
                sq += d * d;
            }
            float rs = TornadoFastMath.rsqrt(sq / cols + eps);
            mean.set(meanOff + i, mu);
            rstd.set(rstdOff + i, rs);
            for (int j = 0; j < cols; j++) {
                y.set(yo + j, (x.get(xo + j) - mu) * rs * gamma.get(gOff + j) + beta.get(bOff + j));
            }
        }
    }

    /** {@link LayerNorm.Backward}: {@code dx (+)= rstd (g - mean(g) - xhat mean(g xhat))}, {@code g = dy gamma}; one work-item per row. */
    public static void backward(FloatArray x, int xOff, FloatArray dy, int dyOff, FloatArray gamma, int gOff,
                                FloatArray mean, int meanOff, FloatArray rstd, int rstdOff, FloatArray dx, int dxOff,
                                int rows, int cols, int accumulate) {
        for (@Parallel int i = 0; i < rows; i++) {
            int xo = xOff + i * cols, yo = dyOff + i * cols, o = dxOff + i * cols;
            float mu = mean.get(meanOff + i), rs = rstd.get(rstdOff + i);
            float sg = 0f, sgx = 0f;
            for (int j = 0; j < cols; j++) {
                float g = dy.get(yo + j) * gamma.get(gOff + j);
                sg += g;
                sgx += g * (x.get(xo + j) - mu) * rs;
            }
            sg /= cols;
            sgx /= cols;
            for (int j = 0; j < cols; j++) {
                float xhat = (x.get(xo + j) - mu) * rs;
                float v = rs * (dy.get(yo + j) * gamma.get(gOff + j) - sg - xhat * sgx);
                dx.set(o + j, accumulate != 0 ? dx.get(o + j) + v : v);
            }
        }
    }

    /** {@link LayerNorm.ParamGrad}: {@code dgamma[j] (+)= sum_i dy xhat}, {@code dbeta[j] (+)= sum_i dy}; one work-item per column. */
    public static void paramGrad(FloatArray x, int xOff, FloatArray dy, int dyOff, FloatArray mean, int meanOff,
                                 FloatArray rstd, int rstdOff, FloatArray dgamma, int dgOff, FloatArray dbeta, int dbOff,
                                 int rows, int cols, int accumulate) {
        for (@Parallel int j = 0; j < cols; j++) {
            float g = 0f, b = 0f;
            for (int i = 0; i < rows; i++) {
                float d = dy.get(dyOff + i * cols + j);
                g += d * (x.get(xOff + i * cols + j) - mean.get(meanOff + i)) * rstd.get(rstdOff + i);
                b += d;
            }
            dgamma.set(dgOff + j, accumulate != 0 ? dgamma.get(dgOff + j) + g : g);
            dbeta.set(dbOff + j, accumulate != 0 ? dbeta.get(dbOff + j) + b : b);
        }
    }
}
