package hybridlab.experiments.config;

/** How a run steps: epochs of shuffled batches, a cosine learning rate with linear warm-up, evaluation in batches. */
public record ScheduleSpec(
        @Key(def = "2", min = 1, max = 100000, help = "training epochs") int epochs,
        @Key(def = "128", min = 1, max = 1 << 16, help = "training batch size") int batch,
        @Key(def = "0.05", min = 0, max = 1, help = "fraction of all steps spent in linear warm-up") double warmup,
        @Key(def = "0", min = 0, max = 10, help = "learning rate at the end of the cosine schedule") double minLr,
        @Key(def = "500", min = 1, max = 1 << 16, help = "evaluation batch size (changes losses only by float rounding)")
        int evalBatch) {
}
