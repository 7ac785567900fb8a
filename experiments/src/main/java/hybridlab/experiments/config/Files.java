package hybridlab.experiments.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/** YAML input and JSON output: parse errors carry line and column; writes are atomic. */
public final class Files {
    private Files() {
    }

    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final YAMLMapper YAML = new YAMLMapper();

    /** A YAML file whose top level is a map, or a config error naming the file (and line/column). */
    public static Map<String, Object> readYamlMap(Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new ConfigException(file + ": no such file");
        }
        try {
            Object o = YAML.readValue(file.toFile(), Object.class);
            if (o == null) {
                return new LinkedHashMap<>();
            }
            if (!(o instanceof Map<?, ?> m)) {
                throw new ConfigException(file + ": the top level must be a map of keys, not " + o.getClass().getSimpleName());
            }
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String at = l == null ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr();
            throw new ConfigException(file + at + ": YAML syntax error: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage());
        }
    }

    /** Writes {@code value} as JSON to {@code file} atomically (temporary file, then rename). */
    public static void writeJsonAtomic(Path file, Object value) throws IOException {
        writeAtomic(file, JSON.writeValueAsString(value) + "\n");
    }

    public static void writeAtomic(Path file, String text) throws IOException {
        writeAtomic(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static void writeAtomic(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        java.nio.file.Files.createDirectories(dir);
        Path tmp = java.nio.file.Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            java.nio.file.Files.write(tmp, bytes);
            readableByAll(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true); // on disk before the rename, so a power cut cannot leave an empty file behind the new name
            }
            try {
                java.nio.file.Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                java.nio.file.Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
        }
    }

    /** Temporary files are created owner-only; records and reports are meant to be shared. */
    private static void readableByAll(Path file) throws IOException {
        try {
            java.nio.file.Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep its default permissions
        }
    }

    public static <T> T readJson(Path file, Class<T> type) throws IOException {
        return JSON.readValue(file.toFile(), type);
    }

    public static Map<String, Object> readJsonMap(Path file) throws IOException {
        return JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() { });
    }
}
