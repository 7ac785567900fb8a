package hybridlab.experiments.config;

/** AdamW and the loss. */
public record OptimSpec(
        @Key(def = "0.002", min = 1e-8, max = 1e4, help = "peak learning rate (AdamW)") double lr,
        @Key(def = "0.05", min = 0, max = 10, help = "AdamW decoupled weight decay (weights only)") double weightDecay,
        @Key(def = "0", min = 0, max = 0.99, help = "label smoothing of the cross-entropy") double labelSmoothing,
        @Key(def = "0", min = 0, max = 1e9, help = "global gradient-norm clip (0: off)") double clipNorm) {
}
