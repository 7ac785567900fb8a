package hybridlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NormalizerTest {
    /** The single-channel statistics every committed result was trained with, as they were computed. */
    record Legacy(float mean, float std) {
        static Legacy of(Dataset train) {
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
            return new Legacy((float) mean, (float) Math.max(std, 1e-6));
        }

        float[] apply(Dataset d) {
            float[] out = new float[d.images().length];
            float inv = 1f / std;
            for (int i = 0; i < out.length; i++) {
                out[i] = (d.images()[i] - mean) * inv;
            }
            return out;
        }
    }

    static void assertBitIdentical(Dataset train, Dataset test) {
        Legacy old = Legacy.of(train);
        Normalizer n = Normalizer.of(train);
        assertEquals(1, n.channels());
        assertEquals(Float.floatToRawIntBits(old.mean()), Float.floatToRawIntBits(n.mean()[0]), "mean of " + train.name());
        assertEquals(Float.floatToRawIntBits(old.std()), Float.floatToRawIntBits(n.std()[0]), "std of " + train.name());
        for (Dataset d : new Dataset[] {train, test}) {
            float[] expected = old.apply(d), got = n.apply(d).images();
            for (int i = 0; i < expected.length; i++) {
                if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(got[i])) {
                    throw new AssertionError(d.name() + " pixel " + i + ": " + expected[i] + " became " + got[i]);
                }
            }
        }
    }

    static Dataset random(String name, int n, int channels, int size, long seed, double[] offsets) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] px = new float[n * channels * size * size];
        for (int i = 0; i < px.length; i++) {
            int c = i / (size * size) % channels;
            px[i] = (float) (offsets[c] + r.nextDouble() * (c + 1));
        }
        int[] labels = new int[n];
        return new Dataset(name, px, labels, channels, size, 1);
    }

    @Test
    void grayStatisticsAndOutputAreBitIdenticalToTheSingleChannelNormalizer() {
        assertBitIdentical(Synthetic.make("synthetic/train", 700, 1), Synthetic.make("synthetic/test", 300, 2));
        assertBitIdentical(random("r", 257, 1, 7, 5, new double[] {0.3}), random("t", 10, 1, 7, 6, new double[] {0.3}));
    }

    @Test
    void fashionMnistStatisticsAreBitIdentical() throws Exception {
        Path dir = FashionMnist.locate(null);
        assumeTrue(Files.isDirectory(dir), "Fashion-MNIST not installed at " + dir);
        assertBitIdentical(Subsets.stratified(FashionMnist.train(dir), 0.1, 0), FashionMnist.test(dir));
    }

    @Test
    void eachChannelGetsTheStatisticsOfItsOwnPlanes() {
        Dataset rgb = random("rgb", 40, 3, 5, 9, new double[] {0.1, 10, -4});
        Normalizer n = Normalizer.of(rgb);
        Dataset out = n.apply(rgb);
        int plane = 25;
        for (int c = 0; c < 3; c++) {
            // channel c alone, as a 1-channel set: its statistics must equal channel c's
            float[] only = new float[40 * plane];
            for (int i = 0; i < 40; i++) {
                System.arraycopy(rgb.images(), (i * 3 + c) * plane, only, i * plane, plane);
            }
            Dataset gray = new Dataset("c" + c, only, rgb.labels(), 1, 5, 1);
            Legacy expected = Legacy.of(gray);
            assertEquals(expected.mean(), n.mean()[c], "mean of channel " + c);
            assertEquals(expected.std(), n.std()[c], "std of channel " + c);
            float[] normalized = expected.apply(gray);
            for (int i = 0; i < 40; i++) {
                for (int p = 0; p < plane; p++) {
                    assertEquals(normalized[i * plane + p], out.images()[(i * 3 + c) * plane + p]);
                }
            }
        }
        assertEquals(11, n.mean()[1], 0.2, "channel 1 is 10 + uniform(0, 2)");
        assertEquals(2 / Math.sqrt(12), n.std()[1], 0.05);
    }

    @Test
    void statisticsOfOtherChannelCountsAreRefused() {
        Normalizer n = Normalizer.of(random("g", 4, 1, 3, 1, new double[] {0}));
        assertThrows(IllegalArgumentException.class, () -> n.apply(random("rgb", 4, 3, 3, 1, new double[] {0, 0, 0})));
        assertArrayEquals(n.mean(), Normalizer.of(random("g", 4, 1, 3, 1, new double[] {0})).mean());
    }
}
