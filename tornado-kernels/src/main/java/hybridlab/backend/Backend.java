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

    /**
     * An estimate of the device's single-precision peak in GFLOP/s (compute units x clock x
     * FP32 lanes per unit x 2 for a fused multiply-add), with how it was made; NaN where the
     * backend cannot tell.
     */
    default Peak fp32Peak() {
        return new Peak(Double.NaN, "not known");
    }

    /** A peak estimate and the formula behind it. */
    record Peak(double gflops, String how) {
    }

    default Executable compile(Program program) {
        return compile(program, false);
    }

    @Override
    void close();
}
