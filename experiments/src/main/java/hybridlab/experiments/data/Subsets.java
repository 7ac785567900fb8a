package hybridlab.experiments.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Stratified, seeded subsets and per-epoch shuffles. */
public final class Subsets {
    private Subsets() {
    }

    /**
     * The first {@code round(fraction * count_c)} images of each class c in a seeded shuffle,
     * kept in dataset order: the same seed and fraction always give the same subset, and a
     * smaller fraction's subset is contained in a larger one's.
     */
    public static Dataset stratified(Dataset d, double fraction, long seed) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("train_fraction must be in (0, 1], got " + fraction);
        }
        if (fraction == 1.0) {
            return d;
        }
        List<List<Integer>> byClass = byClass(d);
        List<Integer> keep = new ArrayList<>();
        for (int c = 0; c < d.classes(); c++) {
            int[] idx = byClass.get(c).stream().mapToInt(Integer::intValue).toArray();
            shuffle(idx, new SplittableRandom(seed * 1_000_003L + c));
            int k = perClass(fraction, idx.length);
            for (int i = 0; i < k; i++) {
                keep.add(idx[i]);
            }
        }
        int[] sel = keep.stream().mapToInt(Integer::intValue).sorted().toArray();
        return d.select(d.name() + "@" + fraction, sel);
    }

    /** A training set split into the images trained on ({@code rest}) and a held-out validation set. */
    public record HoldOut(Dataset rest, Dataset held) {
    }

    /**
     * Holds out {@code round(fraction * count_c)} images of each class c, the first of a seeded
     * shuffle of that class (a stream apart from {@link #stratified}'s), for validation; both
     * parts keep dataset order. The same seed and fraction always hold out the same images.
     */
    public static HoldOut holdOut(Dataset d, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("val_fraction must be in (0, 1), got " + fraction);
        }
        boolean[] held = new boolean[d.count()];
        List<List<Integer>> byClass = byClass(d);
        for (int c = 0; c < d.classes(); c++) {
            int[] idx = byClass.get(c).stream().mapToInt(Integer::intValue).toArray();
            shuffle(idx, new SplittableRandom((seed * 1_000_003L + c) ^ HOLD_OUT_STREAM));
            for (int i = 0; i < perClass(fraction, idx.length); i++) {
                held[idx[i]] = true;
            }
        }
        int[] rest = java.util.stream.IntStream.range(0, d.count()).filter(i -> !held[i]).toArray();
        int[] val = java.util.stream.IntStream.range(0, d.count()).filter(i -> held[i]).toArray();
        return new HoldOut(d.select(d.name(), rest), d.select(d.name() + "/val", val));
    }

    /** Sets the hold-out's shuffles apart from the subset's, which use the same seed and classes. */
    private static final long HOLD_OUT_STREAM = 0x76616C69646174L;

    /** Indices of each class's images, in dataset order. */
    private static List<List<Integer>> byClass(Dataset d) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < d.classes(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < d.count(); i++) {
            byClass.get(d.labels()[i]).add(i);
        }
        return byClass;
    }

    /** Class counts left for training once {@link #holdOut} has taken its share. */
    public static int[] afterHoldOut(int[] classCounts, double fraction) {
        int[] out = classCounts.clone();
        if (fraction > 0) {
            for (int c = 0; c < out.length; c++) {
                out[c] -= perClass(fraction, out[c]);
            }
        }
        return out;
    }

    /** How many images {@link #holdOut} holds out of a dataset with these class counts. */
    public static int heldOut(int[] classCounts, double fraction) {
        return fraction > 0 ? size(classCounts, fraction) : 0;
    }

    /** How many images {@link #stratified} keeps from a dataset with these class counts. */
    public static int size(int[] classCounts, double fraction) {
        int n = 0;
        for (int c : classCounts) {
            n += perClass(fraction, c);
        }
        return n;
    }

    private static int perClass(double fraction, int classCount) {
        return (int) Math.round(fraction * classCount);
    }

    /** Fisher-Yates with the given stream. */
    public static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** The order of epoch {@code epoch} for run seed {@code seed}. */
    public static int[] epochOrder(int n, long seed, int epoch) {
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        shuffle(order, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch));
        return order;
    }
}
