package hybridlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SubsetsTest {
    static final Dataset D = Synthetic.make("s", 1000, 3);

    @Test
    void stratifiedKeepsClassProportionsAndIsSeeded() {
        Dataset a = Subsets.stratified(D, 0.1, 7), b = Subsets.stratified(D, 0.1, 7), c = Subsets.stratified(D, 0.1, 8);
        assertEquals(100, a.count());
        assertArrayEquals(new int[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, a.classCounts());
        assertArrayEquals(a.images(), b.images());
        assertTrue(!Arrays.equals(a.images(), c.images()), "another seed picks other images");
    }

    @Test
    void smallerFractionIsContainedInLarger() {
        Dataset small = Subsets.stratified(D, 0.1, 1), big = Subsets.stratified(D, 0.5, 1);
        int per = D.imageSize();
        for (int i = 0; i < small.count(); i++) {
            float[] img = Arrays.copyOfRange(small.images(), i * per, (i + 1) * per);
            boolean found = false;
            for (int j = 0; j < big.count() && !found; j++) {
                found = Arrays.equals(img, Arrays.copyOfRange(big.images(), j * per, (j + 1) * per));
            }
            assertTrue(found, "image " + i + " of the 10% subset is in the 50% subset");
        }
    }

    @Test
    void sizeCountsTheSubsetWithoutBuildingIt() {
        Dataset uneven = Synthetic.make("u", 256, 3);
        for (double f : new double[] {0.01, 0.1, 0.25, 0.5, 1.0}) {
            assertEquals(Subsets.stratified(uneven, f, 1).count(), Subsets.size(uneven.classCounts(), f), "fraction " + f);
        }
    }

    @Test
    void fractionOutsideRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Subsets.stratified(D, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Subsets.stratified(D, 1.5, 1));
    }

    @Test
    void epochOrderIsAPermutationThatDependsOnSeedAndEpoch() {
        int[] o = Subsets.epochOrder(50, 3, 0);
        int[] sorted = o.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, sorted[i]);
        }
        assertArrayEquals(o, Subsets.epochOrder(50, 3, 0));
        assertTrue(!Arrays.equals(o, Subsets.epochOrder(50, 3, 1)));
    }
}
