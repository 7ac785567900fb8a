package hybridlab.experiments.data;

import java.util.SplittableRandom;

/**
 * A small deterministic 10-class dataset of 1x32x32 images for tests and smoke runs: each class
 * is a fixed random template (smoothed blobs), each sample that template shifted by up to two
 * pixels with Gaussian noise. Learnable in an epoch, not trivially.
 */
public final class Synthetic {
    private Synthetic() {
    }

    public static Dataset make(String name, int count, long seed) {
        int size = 32, classes = 10;
        float[][] templates = new float[classes][size * size];
        SplittableRandom t = new SplittableRandom(0x5EEDL);
        for (int c = 0; c < classes; c++) {
            for (int blob = 0; blob < 4; blob++) {
                double cy = 6 + t.nextDouble() * 20, cx = 6 + t.nextDouble() * 20, r = 2 + t.nextDouble() * 5;
                double sign = blob % 2 == 0 ? 1 : -0.6;
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double d2 = (y - cy) * (y - cy) + (x - cx) * (x - cx);
                        templates[c][y * size + x] += (float) (sign * Math.exp(-d2 / (2 * r * r)));
                    }
                }
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        float[] images = new float[count * size * size];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++) {
            int c = n % classes;
            labels[n] = c;
            int dy = rng.nextInt(5) - 2, dx = rng.nextInt(5) - 2;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int sy = Math.floorMod(y - dy, size), sx = Math.floorMod(x - dx, size);
                    images[n * size * size + y * size + x] = templates[c][sy * size + sx] + (float) (0.35 * gaussian(rng));
                }
            }
        }
        return new Dataset(name, images, labels, 1, size, classes);
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
