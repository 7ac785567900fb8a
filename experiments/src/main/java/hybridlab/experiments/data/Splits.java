package hybridlab.experiments.data;

import java.util.List;

/**
 * A loaded source's training and test sets, with one name per class index (folder names for
 * image folders, the official names where the files carry them, else the indices).
 */
public record Splits(Dataset train, Dataset test, List<String> classNames) {
    public Splits {
        if (train.channels() != test.channels() || train.size() != test.size() || train.classes() != test.classes()) {
            throw new IllegalArgumentException("splits differ: " + train + " vs " + test);
        }
        if (classNames.size() != train.classes()) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + train.classes() + " classes");
        }
        classNames = List.copyOf(classNames);
    }

    /** {@code "0", "1", ...}: the names of classes known only by their index. */
    public static List<String> indexNames(int classes) {
        return java.util.stream.IntStream.range(0, classes).mapToObj(String::valueOf).toList();
    }

    /** Classes as one more than the largest label of either split; a negative label is an error naming its source. */
    static int classCount(int[] trainLabels, String trainSource, int[] testLabels, String testSource) throws DataException {
        int max = -1;
        for (int[] labels : new int[][] {trainLabels, testLabels}) {
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0) {
                    throw new DataException((labels == trainLabels ? trainSource : testSource) + " has label " + labels[i] + " at index " + i
                            + "; labels must be 0 or more");
                }
                max = Math.max(max, labels[i]);
            }
        }
        return max + 1;
    }
}
