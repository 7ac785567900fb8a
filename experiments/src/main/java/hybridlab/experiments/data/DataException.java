package hybridlab.experiments.data;

import java.nio.file.Path;

/** A dataset file that is missing, truncated or not what it claims to be. */
public final class DataException extends Exception {
    private static final long serialVersionUID = 1L;

    public DataException(Path file, String problem) {
        super(file + " " + problem);
    }

    public DataException(String message) {
        super(message);
    }
}
