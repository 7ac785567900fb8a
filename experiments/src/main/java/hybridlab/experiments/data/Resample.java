package hybridlab.experiments.data;

/**
 * Image resampling and colour conversion on 8-bit samples, in plain arithmetic (not Java2D's, so
 * the result does not depend on the JDK's imaging pipeline). Resizing is separable with a
 * triangle filter whose support grows with the reduction factor, as PIL's antialiased bilinear
 * resize, so shrinking averages every source pixel instead of skipping some; at scale 1 it is the
 * identity.
 */
final class Resample {
    private Resample() {
    }

    /** ITU-R BT.601 luma in 16-bit fixed point (0.299, 0.587, 0.114), rounded; white stays 255. */
    static int luma(int r, int g, int b) {
        return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    }

    /**
     * The window {@code (x0, y0, w, h)} of planar samples {@code src (channels, height, width)}
     * resized to {@code (channels, out, out)}, rounded to 0..255.
     */
    static int[] resize(int[] src, int channels, int width, int height, int x0, int y0, int w, int h, int out) {
        Filter fx = new Filter(x0, w, out), fy = new Filter(y0, h, out);
        double[] rows = new double[h * out];
        int[] dst = new int[channels * out * out];
        for (int c = 0; c < channels; c++) {
            int plane = c * width * height;
            for (int y = 0; y < h; y++) {
                int row = plane + (y0 + y) * width;
                for (int x = 0; x < out; x++) {
                    double acc = 0;
                    for (int k = 0; k < fx.count[x]; k++) {
                        acc += fx.weights[x][k] * src[row + fx.first[x] + k];
                    }
                    rows[y * out + x] = acc;
                }
            }
            for (int y = 0; y < out; y++) {
                for (int x = 0; x < out; x++) {
                    double acc = 0;
                    for (int k = 0; k < fy.count[y]; k++) {
                        acc += fy.weights[y][k] * rows[(fy.first[y] - y0 + k) * out + x];
                    }
                    dst[(c * out + y) * out + x] = (int) Math.max(0, Math.min(255, Math.round(acc)));
                }
            }
        }
        return dst;
    }

    /** Per output coordinate: the first source coordinate, how many follow, and their normalised weights. */
    private static final class Filter {
        final int[] first, count;
        final double[][] weights;

        Filter(int start, int length, int out) {
            first = new int[out];
            count = new int[out];
            weights = new double[out][];
            double scale = (double) length / out, support = Math.max(scale, 1.0);
            for (int i = 0; i < out; i++) {
                double center = (i + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(center - support + 0.5)), hi = Math.min(length, (int) Math.floor(center + support + 0.5));
                double[] w = new double[hi - lo];
                double sum = 0;
                for (int j = lo; j < hi; j++) {
                    double t = Math.abs((j + 0.5 - center) / support);
                    w[j - lo] = t < 1 ? 1 - t : 0;
                    sum += w[j - lo];
                }
                for (int k = 0; k < w.length; k++) {
                    w[k] /= sum;
                }
                first[i] = start + lo;
                count[i] = w.length;
                weights[i] = w;
            }
        }
    }
}
