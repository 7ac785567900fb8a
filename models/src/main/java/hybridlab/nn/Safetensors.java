package hybridlab.nn;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model weights in the safetensors format (8-byte little-endian header length, a JSON header
 * of {@code name -> dtype, shape, data_offsets}, then raw little-endian data), so they can be
 * opened by PyTorch's {@code safetensors.torch.load_file} and compared tensor by tensor.
 * Parameters and running statistics are stored as F32 under their module-tree names.
 */
public final class Safetensors {
    private Safetensors() {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void save(ParamStore store, Path file, Map<String, String> metadata) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            header.put("__metadata__", metadata);
        }
        long offset = 0;
        List<Param> params = new ArrayList<>(store.byName().values());
        for (Param p : params) {
            long bytes = 4L * p.size();
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("dtype", "F32");
            e.put("shape", p.shape());
            e.put("data_offsets", new long[] {offset, offset + bytes});
            header.put(p.name(), e);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int pad = (8 - json.length % 8) % 8;  // keep the data 8-byte aligned, as the format recommends
        byte[] padded = new byte[json.length + pad];
        System.arraycopy(json, 0, padded, 0, json.length);
        java.util.Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded.length).flip();
            ch.write(head);
            ch.write(ByteBuffer.wrap(padded));
            for (Param p : params) {
                ByteBuffer b = ByteBuffer.allocate(4 * p.size()).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(p.data().f(), p.data().offset(), p.size());
                ch.write(b);
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The {@code __metadata__} map of a safetensors file (empty when it has none); reads only the header. */
    public static Map<String, String> metadata(Path file) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] len = in.readNBytes(8);
            if (len.length < 8) {
                throw new IOException(file + ": not a safetensors file (too short)");
            }
            long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n <= 0 || n > Files.size(file) - 8) {
                throw new IOException(file + ": not a safetensors file (header length " + n + ")");
            }
            Map<String, Object> header = JSON.readValue(in.readNBytes((int) n), new TypeReference<LinkedHashMap<String, Object>>() { });
            Map<String, String> out = new LinkedHashMap<>();
            if (header.get("__metadata__") instanceof Map<?, ?> m) {
                m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
            }
            return out;
        }
    }

    /**
     * Loads every parameter and running statistic of {@code store} from {@code file}; names
     * and shapes must match. Extra tensors in the file (such as PyTorch's
     * {@code num_batches_tracked}) are returned, not loaded.
     */
    public static List<String> load(ParamStore store, Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 8) {
            throw new IOException(file + ": not a safetensors file (too short)");
        }
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n <= 0 || 8 + n > all.length) {
            throw new IOException(file + ": bad safetensors header length " + n);
        }
        Map<String, Object> header = JSON.readValue(new String(all, 8, (int) n, StandardCharsets.UTF_8),
                new TypeReference<LinkedHashMap<String, Object>>() { });
        long base = 8 + n;
        List<String> extra = new ArrayList<>();
        for (String name : header.keySet()) {
            if (!name.equals("__metadata__") && !store.byName().containsKey(name)) {
                extra.add(name);
            }
        }
        for (Param p : store.byName().values()) {
            Object o = header.get(p.name());
            if (!(o instanceof Map<?, ?> e)) {
                throw new IOException(file + ": tensor '" + p.name() + "' is missing");
            }
            if (!"F32".equals(e.get("dtype"))) {
                throw new IOException(file + ": tensor '" + p.name() + "' has dtype " + e.get("dtype") + ", expected F32");
            }
            List<?> shape = (List<?>) e.get("shape");
            int[] want = p.shape();
            boolean same = shape.size() == want.length;
            for (int i = 0; same && i < want.length; i++) {
                same = ((Number) shape.get(i)).intValue() == want[i];
            }
            if (!same) {
                throw new IOException(file + ": tensor '" + p.name() + "' has shape " + shape + ", expected "
                        + java.util.Arrays.toString(want));
            }
            List<?> off = (List<?>) e.get("data_offsets");
            long begin = ((Number) off.get(0)).longValue(), end = ((Number) off.get(1)).longValue();
            if (end - begin != 4L * p.size() || base + end > all.length) {
                throw new IOException(file + ": tensor '" + p.name() + "' has bad data offsets " + off);
            }
            ByteBuffer.wrap(all, (int) (base + begin), 4 * p.size()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                    .get(p.data().f(), p.data().offset(), p.size());
        }
        return extra;
    }
}
