package hybridlab.nn;

/** A classifier: a module tree whose forward pass maps an image batch to logits. */
public abstract class Model extends Module {
    /** Logits {@code (B, classes)} for images {@code (B, C, H, W)}. */
    public abstract Tensor forward(Graph g, Tensor images);

    /** Input image shape {@code (C, H, W)}. */
    public abstract int[] inputShape();

    public abstract int classes();
}
