package hybridlab.nn.optim;

/**
 * AdamW settings (decoupled weight decay, applied to weights only) and global gradient-norm
 * clipping ({@code clipNorm <= 0} turns it off).
 */
public record AdamW(float beta1, float beta2, float eps, float weightDecay, float clipNorm) {
    public AdamW {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0) || weightDecay < 0) {
            throw new IllegalArgumentException("bad AdamW settings: beta1 " + beta1 + ", beta2 " + beta2 + ", eps " + eps
                    + ", weight decay " + weightDecay);
        }
    }

    public static AdamW defaults(float weightDecay, float clipNorm) {
        return new AdamW(0.9f, 0.999f, 1e-8f, weightDecay, clipNorm);
    }

    /** {@code 1 - beta^t} for Adam's bias correction at 1-based step t. */
    public float bias1(long step) {
        return (float) (1.0 - Math.pow(beta1, step));
    }

    public float bias2(long step) {
        return (float) (1.0 - Math.pow(beta2, step));
    }
}
