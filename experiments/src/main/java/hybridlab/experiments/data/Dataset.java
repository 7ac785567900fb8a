package hybridlab.experiments.data;

import java.util.Arrays;

/**
 * Images as one float block {@code (n, channels, size, size)} and their labels. Immutable by
 * convention: loaders build it once, subsets copy.
 */
public record Dataset(String name, float[] images, int[] labels, int channels, int size, int classes) {
    public Dataset {
        if (images.length != (long) labels.length * channels * size * size) {
            throw new IllegalArgumentException("dataset " + name + ": " + images.length + " pixels for " + labels.length + " images");
        }
    }

    public int count() {
        return labels.length;
    }

    public int imageSize() {
        return channels * size * size;
    }

    /** The images at {@code indices}, in that order. */
    public Dataset select(String newName, int[] indices) {
        int per = imageSize();
        float[] img = new float[indices.length * per];
        int[] lab = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(images, indices[i] * per, img, i * per, per);
            lab[i] = labels[indices[i]];
        }
        return new Dataset(newName, img, lab, channels, size, classes);
    }

    /** Per-class counts. */
    public int[] classCounts() {
        int[] c = new int[classes];
        for (int l : labels) {
            c[l]++;
        }
        return c;
    }

    @Override
    public String toString() {
        return name + " (" + count() + " images, " + channels + "x" + size + "x" + size + ", classes " + Arrays.toString(classCounts()) + ")";
    }
}
