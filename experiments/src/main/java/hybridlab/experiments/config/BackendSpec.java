package hybridlab.experiments.config;

/** Where and how a run computes; none of it changes the numbers, except the backend itself. */
public record BackendSpec(
        @Key(def = "jvm", help = "compute backend (experiments devices)") String backend,
        @Key(help = "backend device, e.g. tornado:0:0 (unset: the backend's default)") String device,
        @Key(def = "0", min = 0, max = 4096, changesResults = false, help = "host threads (0: all cores); never changes results")
        int threads) {

    /** Host threads to use: {@code threads}, or every core when it is 0. */
    public int hostThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** The device named by {@code device}, or empty for the backend's default. */
    public String deviceOrDefault() {
        return device == null ? "" : device;
    }
}
