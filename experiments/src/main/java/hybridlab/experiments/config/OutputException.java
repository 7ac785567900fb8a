package hybridlab.experiments.config;

/** Something could not be written (a full disk, a folder that went away): names the file and what became of the result. */
public final class OutputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutputException(String message) {
        super(message);
    }
}
