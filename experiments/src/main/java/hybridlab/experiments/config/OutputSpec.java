package hybridlab.experiments.config;

/** What a run leaves beside its record besides the record itself; none of it changes the numbers. */
public record OutputSpec(
        @Key(def = "false", changesResults = false, help = "save the final model as <run-id>.safetensors beside the record")
        boolean save,
        @Key(changesResults = false, help = "save the whole training state every N epochs, N steps or a time (30s, 10m, 1h), "
                + "so a killed run resumes; unset: never") CheckpointEvery checkpointEvery,
        @Key(def = "false", changesResults = false, help = "keep the last checkpoint of a finished run") boolean keepCheckpoints) {
}
