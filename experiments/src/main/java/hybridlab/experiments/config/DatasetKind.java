package hybridlab.experiments.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a run's images come from. */
public enum DatasetKind {
    /** Fashion-MNIST's IDX files: Debian's package, $HYBRIDLAB_DATA or data_dir. */
    FASHION_MNIST("fashion-mnist"),
    /** Any MNIST-style IDX set in data_dir (MNIST, KMNIST, EMNIST). */
    IDX("idx"),
    CIFAR10("cifar10"),
    CIFAR100("cifar100"),
    /** One sub-folder of PNG/JPEG images per class. */
    IMAGE_FOLDER("image-folder"),
    /** NumPy .npy/.npz image and label arrays. */
    NUMPY("numpy"),
    /** Generated in memory, for tests and smoke runs. */
    SYNTHETIC("synthetic");

    private final String key;

    DatasetKind(String key) {
        this.key = key;
    }

    @JsonValue
    @Override
    public String toString() {
        return key;
    }
}
