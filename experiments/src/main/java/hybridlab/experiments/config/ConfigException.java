package hybridlab.experiments.config;

/** Bad input, reported before any work starts: names the file, the key and what is allowed. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    /** {@code where: key: problem}. */
    public static ConfigException at(String where, String key, String problem) {
        return new ConfigException((where == null ? "" : where + ": ") + (key == null ? "" : key + ": ") + problem);
    }
}
