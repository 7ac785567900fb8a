package hybridlab.kernels;

/**
 * Layout of the small per-step float block the host writes before each training step (and
 * steps read on the device): learning rate, bias corrections, RNG seed and step, clip results.
 * Writing these values, instead of baking them into steps, lets one compiled plan serve every
 * step of a schedule.
 */
public final class Hyper {
    private Hyper() {
    }

    /** Learning rate of this step. */
    public static final int LR = 0;
    /** 1 - beta1^t and 1 - beta2^t for Adam's bias correction. */
    public static final int BIAS1 = 1;
    public static final int BIAS2 = 2;
    /** Seed of this run's random stream and the step index (dropout masks). */
    public static final int SEED = 3;
    public static final int STEP = 4;
    /** Written by the plan: gradient scale after clipping and the global gradient norm. */
    public static final int CLIP = 5;
    public static final int GRAD_NORM = 6;
    /** Number of valid samples in the batch (the rest are padding and count for nothing). */
    public static final int VALID = 7;
    public static final int SIZE = 8;
}
