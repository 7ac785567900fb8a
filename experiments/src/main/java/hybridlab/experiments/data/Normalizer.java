package hybridlab.experiments.data;

import java.util.Arrays;

/**
 * Per-channel mean and standard deviation of a training set, applied to every split. Each
 * channel's sums run over the images in order and, within an image, over its plane in order,
 * in double; a 1-channel set therefore sums in array order.
 */
public record Normalizer(float[] mean, float[] std) {
    public Normalizer {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException(mean.length + " means for " + std.length + " deviations");
        }
        mean = mean.clone();
        std = std.clone();
    }

    public static Normalizer of(Dataset train) {
        int channels = train.channels(), plane = train.size() * train.size(), n = train.count();
        float[] px = train.images();
        float[] mean = new float[channels], std = new float[channels];
        double count = (double) n * plane;
        for (int c = 0; c < channels; c++) {
            double sum = 0, sq = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0, o = (i * channels + c) * plane; p < plane; p++) {
                    sum += px[o + p];
                }
            }
            double m = sum / count;
            for (int i = 0; i < n; i++) {
                for (int p = 0, o = (i * channels + c) * plane; p < plane; p++) {
                    sq += (px[o + p] - m) * (px[o + p] - m);
                }
            }
            mean[c] = (float) m;
            std[c] = (float) Math.max(Math.sqrt(sq / count), 1e-6);
        }
        return new Normalizer(mean, std);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    public int channels() {
        return mean.length;
    }

    public Dataset apply(Dataset d) {
        if (d.channels() != channels()) {
            throw new IllegalArgumentException("statistics of " + channels() + " channels applied to " + d);
        }
        int plane = d.size() * d.size();
        float[] in = d.images(), out = new float[in.length];
        for (int i = 0; i < d.count(); i++) {
            for (int c = 0; c < channels(); c++) {
                float m = mean[c], inv = 1f / std[c];
                for (int p = 0, o = (i * channels() + c) * plane; p < plane; p++) {
                    out[o + p] = (in[o + p] - m) * inv;
                }
            }
        }
        return new Dataset(d.name(), out, d.labels(), d.channels(), d.size(), d.classes());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalizer n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalizer[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
