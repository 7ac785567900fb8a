package hybridlab.experiments.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON records and atomic writes (a temporary file renamed into place), and the checks that an
 * output place can be written, made before any work starts.
 */
public final class Files {
    private Files() {
    }

    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

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

    /** {@link #writeAtomic(Path, byte[])}, with a failure as an {@link OutputException} naming the file. */
    public static void write(Path file, byte[] bytes) {
        try {
            writeAtomic(file, bytes);
        } catch (IOException e) {
            throw new OutputException(file + ": cannot be written (" + reason(e) + ")");
        }
    }

    public static void write(Path file, String text) {
        write(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** An I/O failure in a few words: the system's reason rather than the exception's class. */
    public static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or folder: " + e.getMessage();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "a file is in the way: " + e.getMessage();
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * Fails with a config error at {@code where} unless {@code dir} is a folder that can be
     * written, or one that can be created: a file is made and removed in it (or in its nearest
     * existing parent), so read-only file systems and full disks show here, before any work.
     */
    public static void checkWritableFolder(Path dir, String where) {
        Path p = dir.toAbsolutePath();
        Path existing = p;
        while (existing != null && !java.nio.file.Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw ConfigException.at(where, null, dir + ": cannot be created (no parent folder exists)");
        }
        if (!java.nio.file.Files.isDirectory(existing)) {
            throw ConfigException.at(where, null, dir + ": " + (existing.equals(p) ? "exists and is not a folder"
                    : "cannot be created: " + existing + " is a file, not a folder"));
        }
        try {
            Path probe = java.nio.file.Files.createTempFile(existing, ".hybridlab-probe", ".tmp");
            java.nio.file.Files.write(probe, new byte[] {1});
            java.nio.file.Files.delete(probe);
        } catch (IOException e) {
            throw ConfigException.at(where, null, dir + ": " + (existing.equals(p) ? "cannot be written" : "cannot be created in "
                    + existing) + " (" + reason(e) + ")");
        }
    }

    /** Fails with a config error unless {@code file} can be written: not a folder, and its folder writable. */
    public static void checkWritableFile(Path file, String where) {
        Path p = file.toAbsolutePath();
        if (java.nio.file.Files.isDirectory(p)) {
            throw ConfigException.at(where, null, file + ": is a folder, not a file");
        }
        checkWritableFolder(p.getParent(), where);
    }

    public static <T> T readJson(Path file, Class<T> type) throws IOException {
        return JSON.readValue(file.toFile(), type);
    }

    public static Map<String, Object> readJsonMap(Path file) throws IOException {
        return JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() { });
    }
}
