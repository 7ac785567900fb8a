package hybridlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchesTest {
    static final int N = 64, SIZE = 8, PAD = 4;

    /** Distinct random pixels, so a crop and flip of an image can be recovered from its output. */
    static Dataset random(int channels, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] px = new float[N * channels * SIZE * SIZE];
        for (int i = 0; i < px.length; i++) {
            px[i] = 1 + (float) r.nextDouble();
        }
        int[] labels = new int[N];
        Arrays.setAll(labels, i -> i % 10);
        return new Dataset("r", px, labels, channels, SIZE, 10);
    }

    /** Image {@code src} shifted by (dy, dx) (zero outside) after an optional mirror, plane by plane. */
    static float[] expected(Dataset d, int src, int dy, int dx, boolean flip) {
        int plane = SIZE * SIZE;
        float[] out = new float[d.imageSize()];
        for (int c = 0; c < d.channels(); c++) {
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int sy = y + dy, sx = (flip ? SIZE - 1 - x : x) + dx;
                    out[c * plane + y * SIZE + x] = sy >= 0 && sy < SIZE && sx >= 0 && sx < SIZE
                            ? d.images()[src * d.imageSize() + c * plane + sy * SIZE + sx] : 0f;
                }
            }
        }
        return out;
    }

    @Test
    void rgbImagesGetOneCropAndFlipForAllChannels() {
        Dataset d = random(3, 1);
        int[] order = new int[N];
        Arrays.setAll(order, i -> (i * 7) % N);
        float[] dst = new float[N * d.imageSize()];
        int[] labels = new int[N];
        Batches.fill(d, order, 0, N, N, dst, 0, labels, 0, PAD, true, 42, 3);
        Set<String> seen = new HashSet<>();
        int flips = 0;
        for (int i = 0; i < N; i++) {
            float[] got = Arrays.copyOfRange(dst, i * d.imageSize(), (i + 1) * d.imageSize());
            String match = null;
            for (int dy = -PAD; dy <= PAD; dy++) {
                for (int dx = -PAD; dx <= PAD; dx++) {
                    for (boolean flip : new boolean[] {false, true}) {
                        if (Arrays.equals(got, expected(d, order[i], dy, dx, flip))) {
                            assertTrue(match == null, "image " + i + " matches two transforms");
                            match = dy + "," + dx + "," + flip;
                        }
                    }
                }
            }
            assertTrue(match != null, "image " + i + ": all three channels are one shifted (and perhaps mirrored) copy of the source");
            seen.add(match);
            flips += match.endsWith("true") ? 1 : 0;
            assertEquals(d.labels()[order[i]], labels[i]);
        }
        assertTrue(seen.size() > N / 2, "crops vary: " + seen.size() + " distinct of " + N);
        assertTrue(flips > N / 4 && flips < 3 * N / 4, flips + " of " + N + " flipped");
    }

    @Test
    void eachRgbChannelIsAugmentedAsTheGrayPathAugmentsItsPlane() {
        Dataset rgb = random(3, 2);
        int[] order = new int[N];
        Arrays.setAll(order, i -> N - 1 - i);
        int batch = 40, from = 10, count = 30; // a partial batch: the rest is padding
        float[] dst = new float[batch * rgb.imageSize()];
        int[] labels = new int[batch];
        Batches.fill(rgb, order, from, count, batch, dst, 0, labels, 0, PAD, true, 7, 1);
        int plane = SIZE * SIZE;
        for (int c = 0; c < 3; c++) {
            float[] px = new float[N * plane];
            for (int i = 0; i < N; i++) {
                System.arraycopy(rgb.images(), (i * 3 + c) * plane, px, i * plane, plane);
            }
            Dataset gray = new Dataset("c" + c, px, rgb.labels(), 1, SIZE, 10);
            float[] g = new float[batch * plane];
            int[] gl = new int[batch];
            Batches.fill(gray, order, from, count, batch, g, 0, gl, 0, PAD, true, 7, 1);
            assertArrayEquals(labels, gl);
            for (int i = 0; i < batch; i++) {
                assertArrayEquals(Arrays.copyOfRange(g, i * plane, (i + 1) * plane),
                        Arrays.copyOfRange(dst, i * rgb.imageSize() + c * plane, i * rgb.imageSize() + (c + 1) * plane), "image " + i + " channel " + c);
            }
        }
        for (int i = count; i < batch; i++) {
            assertEquals(-1, labels[i]);
        }
    }

    @Test
    void withoutAugmentationImagesAreCopied() {
        Dataset rgb = random(3, 3);
        int[] order = new int[N];
        Arrays.setAll(order, i -> i);
        float[] dst = new float[N * rgb.imageSize()];
        Batches.fill(rgb, order, 0, N, N, dst, 0, new int[N], 0, 0, false, 1, 0);
        assertArrayEquals(rgb.images(), dst);
    }
}
