package hybridlab.experiments.config;

/** Where a run's images come from and which of them it trains on. */
public record DataSpec(
        @Key(def = "fashion-mnist", help = "the images: fashion-mnist or synthetic") DatasetKind dataset,
        @Key(changesResults = false, help = "the dataset's folder (unset: $HYBRIDLAB_DATA or the Debian package)") String dataDir,
        @Key(def = "1.0", min = 1e-9, max = 1, help = "stratified fraction of the training set, in (0, 1]") double trainFraction,
        @Key(def = "2000", min = 10, max = 1 << 20, datasets = DatasetKind.SYNTHETIC, help = "images in the synthetic training set")
        int syntheticTrain,
        @Key(def = "500", min = 10, max = 1 << 20, datasets = DatasetKind.SYNTHETIC, help = "images in the synthetic test set")
        int syntheticTest,
        @Key(def = "0", min = 0, max = 16, help = "random-crop augmentation: padding in pixels (0: off)") int cropPad,
        @Key(def = "false", help = "random horizontal-flip augmentation") boolean hflip) {

    /** The folder named by {@code data_dir}, or null for the default place. */
    public String dataDirOrNull() {
        return dataDir == null || dataDir.isBlank() ? null : dataDir;
    }
}
