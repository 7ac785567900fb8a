package hybridlab.backend;

import hybridlab.kernels.Arena;

/** A program compiled for one backend and device: run it, and move arenas to and from the host. */
public interface Executable extends AutoCloseable {
    /** Sends the input arenas, runs every step in order, brings the output arenas back. */
    void run();

    /** Copies the host array of {@code arena} to the device (no-op on the JVM). */
    void upload(Arena arena);

    /** Copies {@code arena} from the device into its host array (no-op on the JVM). */
    void download(Arena arena);

    Program program();

    /** Per-step wall time since the last reset, in nanoseconds, if profiling was asked for. */
    default long[] stepNanos() {
        return new long[0];
    }

    @Override
    default void close() {
    }
}
