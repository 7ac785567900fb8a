package hybridlab.experiments.data;

/** Per-channel mean and standard deviation of a training set, applied to every split. */
public record Normalizer(float mean, float std) {
    public static Normalizer of(Dataset train) {
        double sum = 0, sq = 0;
        float[] px = train.images();
        for (float v : px) {
            sum += v;
        }
        double mean = sum / px.length;
        for (float v : px) {
            sq += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(sq / px.length);
        return new Normalizer((float) mean, (float) Math.max(std, 1e-6));
    }

    public Dataset apply(Dataset d) {
        float[] out = new float[d.images().length];
        float inv = 1f / std;
        for (int i = 0; i < out.length; i++) {
            out[i] = (d.images()[i] - mean) * inv;
        }
        return new Dataset(d.name(), out, d.labels(), d.channels(), d.size(), d.classes());
    }
}
