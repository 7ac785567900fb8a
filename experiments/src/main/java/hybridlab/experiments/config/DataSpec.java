package hybridlab.experiments.config;

import static hybridlab.experiments.config.DatasetKind.IDX;
import static hybridlab.experiments.config.DatasetKind.IMAGE_FOLDER;
import static hybridlab.experiments.config.DatasetKind.NUMPY;
import static hybridlab.experiments.config.DatasetKind.SYNTHETIC;

/** Where a run's images come from, which of them it trains, validates and tests on, and how they are augmented. */
public record DataSpec(
        @Key(def = "fashion-mnist", help = "the images") DatasetKind dataset,
        @Key(changesResults = false, changesResultsFor = {IDX, IMAGE_FOLDER, NUMPY},
                help = "the dataset's folder (or .npz file); unset: $HYBRIDLAB_DATA or the Debian package (Fashion-MNIST)")
        String dataDir,
        @Key(def = "1.0", min = 1e-9, max = 1, help = "stratified fraction of the training set trained on, in (0, 1]") double trainFraction,
        @Key(def = "0", min = 0, max = 0.5, help = "stratified fraction of the training set held out for validation (model selection)")
        double valFraction,
        @Key(def = "2000", min = 10, max = 1 << 20, datasets = SYNTHETIC, help = "images in the synthetic training set")
        int syntheticTrain,
        @Key(def = "500", min = 10, max = 1 << 20, datasets = SYNTHETIC, help = "images in the synthetic test set")
        int syntheticTest,
        @Key(def = "32", min = 4, max = 1024, datasets = IMAGE_FOLDER, help = "side every image is resized or cropped to")
        int imageSize,
        @Key(def = "3", min = 1, max = 3, datasets = IMAGE_FOLDER, help = "1: gray (luma), 3: RGB (gray repeated)") int channels,
        @Key(def = "center-crop", datasets = IMAGE_FOLDER, help = "scale the central square, or the whole image") ImageFit imageFit,
        @Key(def = "0", min = 0, max = 0.9, datasets = IMAGE_FOLDER,
                help = "stratified test share of a folder without train/ and test/ sub-folders") double testFraction,
        @Key(def = "0", min = 0, max = 1 << 24, datasets = IMAGE_FOLDER,
                help = "seed of that test split (not the run's, so every run tests on the same images)") int splitSeed,
        @Key(datasets = IDX, help = "file-name prefix of one IDX set in a folder of several, e.g. emnist-balanced-") String idxPrefix,
        @Key(def = "2", min = 0, max = 64, datasets = IDX, help = "zero pixels added per side (2 makes 28x28 the presets' 32x32)")
        int idxPad,
        @Key(def = "false", datasets = IDX, help = "turn EMNIST's transposed images upright") boolean idxTranspose,
        @Key(def = "x_train", datasets = NUMPY, help = "training images: NAME, FILE.npy or FILE.npz:NAME") String numpyTrainImages,
        @Key(def = "y_train", datasets = NUMPY, help = "training labels, likewise") String numpyTrainLabels,
        @Key(def = "x_test", datasets = NUMPY, help = "test images, likewise") String numpyTestImages,
        @Key(def = "y_test", datasets = NUMPY, help = "test labels, likewise") String numpyTestLabels,
        @Key(def = "auto", datasets = NUMPY, help = "channel axis of 4-d image arrays") ArrayLayout numpyLayout,
        @Key(def = "0", min = 0, max = 16, help = "random-crop augmentation: padding in pixels (0: off)") int cropPad,
        @Key(def = "false", help = "random horizontal-flip augmentation") boolean hflip) {

    /** The folder named by {@code data_dir}, or null for the default place. */
    public String dataDirOrNull() {
        return dataDir == null || dataDir.isBlank() ? null : dataDir;
    }
}
