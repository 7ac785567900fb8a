package hybridlab.nn;

/** A classifier: a module tree whose forward pass maps an image batch to logits. */
public abstract class Model extends Module {
    private final int channels, imageSize, classes;

    protected Model(int channels, int imageSize, int classes) {
        this.channels = channels;
        this.imageSize = imageSize;
        this.classes = classes;
    }

    /** Logits {@code (B, classes)} for images {@code (B, C, H, W)}. */
    public abstract Tensor forward(Graph g, Tensor images);

    /** Input image shape {@code (C, H, W)}: square images. */
    public final int[] inputShape() {
        return new int[] {channels, imageSize, imageSize};
    }

    public final int classes() {
        return classes;
    }
}
