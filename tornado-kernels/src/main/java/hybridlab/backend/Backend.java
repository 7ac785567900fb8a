package hybridlab.backend;

/** An open device that compiles programs: the JVM thread pool, or a TornadoVM device. */
public interface Backend extends AutoCloseable {
    /** Backend family, e.g. {@code jvm} or {@code tornado}. */
    String name();

    /** Device identifier as the user selects it, e.g. {@code jvm:2} or {@code tornado:0:0}. */
    String device();

    /** Human-readable description of the device (for run records). */
    String description();

    Executable compile(Program program, boolean profile);

    default Executable compile(Program program) {
        return compile(program, false);
    }

    @Override
    void close();
}
