package hybridlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The real files, where installed ({@code bin/test} installs Debian's package when it can). */
class FashionMnistTest {
    @Test
    void officialFilesLoadBalancedAndPadded() throws Exception {
        Path dir = FashionMnist.locate(null);
        assumeTrue(Files.isDirectory(dir), "Fashion-MNIST not installed at " + dir + ": " + FashionMnist.howToProvide());
        Dataset train = FashionMnist.train(dir), test = FashionMnist.test(dir);
        assertEquals(60000, train.count());
        assertEquals(10000, test.count());
        int[] perClassTrain = new int[10], perClassTest = new int[10];
        java.util.Arrays.fill(perClassTrain, 6000);
        java.util.Arrays.fill(perClassTest, 1000);
        assertArrayEquals(perClassTrain, train.classCounts());
        assertArrayEquals(perClassTest, test.classCounts());
        assertEquals(32, train.size());
        float[] px = train.images();
        float mean = 0f;
        for (int n = 0; n < 100; n++) {
            int o = n * 32 * 32;
            for (int i = 0; i < 32; i++) {
                // the 2-pixel zero border: first and last two rows and columns
                for (int b : new int[] {0, 1, 30, 31}) {
                    assertEquals(0f, px[o + b * 32 + i], "image " + n);
                    assertEquals(0f, px[o + i * 32 + b], "image " + n);
                }
            }
            for (int i = 0; i < 32 * 32; i++) {
                assertTrue(px[o + i] >= 0f && px[o + i] <= 1f, "pixel in [0, 1]");
                mean += px[o + i];
            }
        }
        assertTrue(mean > 0f, "images are not blank");
    }
}
