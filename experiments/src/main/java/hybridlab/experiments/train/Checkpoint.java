package hybridlab.experiments.train;

import com.fasterxml.jackson.core.JacksonException;
import hybridlab.experiments.config.Files;
import hybridlab.kernels.Arena;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's whole training state between two steps, written atomically as {@code <run-id>.ckpt}:
 * every arena of the model's store (parameters, gradients, AdamW moments, running statistics)
 * and where the loop stands (epoch, step, the epoch's running sums, the epochs done, the best
 * so far). The data order, augmentation and dropout are functions of the seed, epoch and step,
 * so nothing else is needed to go on exactly where the run was. The file: 8 magic bytes, an
 * 8-byte little-endian header length, a JSON header, then the arenas as little-endian floats.
 */
final class Checkpoint {
    private Checkpoint() {
    }

    static final String SUFFIX = ".ckpt";
    private static final byte[] MAGIC = "HLCKPT01".getBytes(StandardCharsets.US_ASCII);

    /** Where the loop stands before step {@code step} of epoch {@code epoch} ({@code global} steps done in all). */
    record State(int epoch, int step, long global, double lossSum, double hits, double normSum, float lr,
                 List<RunRecord.Epoch> epochs, double bestTestAcc, Double bestValAcc, Integer bestValEpoch, Double testAccAtBestVal) {
        State {
            epochs = List.copyOf(epochs);
        }
    }

    /** The header: whose state this is, where the loop stands, and the arenas that follow. */
    record Header(String runId, String identity, State state, List<ArenaEntry> arenas) {
    }

    record ArenaEntry(String name, int floats) {
    }

    static Path file(Path dir, String runId) {
        return dir.resolve(runId + SUFFIX);
    }

    static void write(Path file, String runId, String identity, State state, List<Arena> arenas) throws IOException {
        List<ArenaEntry> entries = new ArrayList<>();
        long floats = 0;
        for (Arena a : arenas) {
            entries.add(new ArenaEntry(a.name(), a.size()));
            floats += a.size();
        }
        byte[] header = Files.JSON.writeValueAsBytes(new Header(runId, identity, state, entries));
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(MAGIC.length + 8 + header.length + 4 * floats)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putLong(header.length).put(header);
        for (Arena a : arenas) {
            b.asFloatBuffer().put(a.floats(), 0, a.size());
            b.position(b.position() + 4 * a.size());
        }
        Files.writeAtomic(file, b.array());
    }

    /** Thrown when a checkpoint cannot be used: another run's, another layout's, or cut short. */
    static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(Path file, String problem) {
            super(file + ": " + problem);
        }
    }

    /**
     * Reads {@code file} into {@code arenas} (same names and sizes, in order) and returns the loop's
     * state; the checkpoint must be of this run ({@code runId}) and identity.
     */
    static State read(Path file, String runId, String identity, List<Arena> arenas) throws IOException, Unusable {
        byte[] all = java.nio.file.Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (all.length < MAGIC.length + 8 || !java.util.Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new Unusable(file, "not a checkpoint");
        }
        long n = b.getLong(MAGIC.length);
        int start = MAGIC.length + 8;
        if (n <= 0 || start + n > all.length) {
            throw new Unusable(file, "cut short (header)");
        }
        Header h;
        try {
            h = Files.JSON.readValue(all, start, (int) n, Header.class);
        } catch (JacksonException e) {
            throw new Unusable(file, "unreadable header");
        }
        if (!runId.equals(h.runId()) || !identity.equals(h.identity())) {
            throw new Unusable(file, "belongs to run " + h.runId() + ", not to this one");
        }
        if (h.arenas().size() != arenas.size()) {
            throw new Unusable(file, "holds " + h.arenas().size() + " arenas, the model " + arenas.size());
        }
        long floats = 0;
        for (int i = 0; i < arenas.size(); i++) {
            ArenaEntry e = h.arenas().get(i);
            if (!e.name().equals(arenas.get(i).name()) || e.floats() != arenas.get(i).size()) {
                throw new Unusable(file, "arena " + e.name() + " of " + e.floats() + " floats does not match the model's "
                        + arenas.get(i).name() + " of " + arenas.get(i).size());
            }
            floats += e.floats();
        }
        int data = start + (int) n;
        if (all.length != data + 4 * floats) {
            throw new Unusable(file, "cut short (" + all.length + " bytes, expected " + (data + 4 * floats) + ")");
        }
        b.position(data);
        for (Arena a : arenas) {
            b.asFloatBuffer().get(a.floats(), 0, a.size());
            b.position(b.position() + 4 * a.size());
        }
        return h.state();
    }
}
