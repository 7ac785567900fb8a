package hybridlab.experiments.sweep;

import hybridlab.experiments.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sweep's output folder: checked before training, created when the first run starts. */
final class OutputFolder {
    private OutputFolder() {
    }

    /** Fails unless {@code dir} is a writable folder or could be created as one; changes nothing. */
    static void checkWritable(Path dir, String where) {
        Path p = dir.toAbsolutePath();
        if (Files.exists(p)) {
            if (!Files.isDirectory(p)) {
                throw ConfigException.at(where, null, dir + ": exists and is not a folder");
            }
            if (!Files.isWritable(p)) {
                throw ConfigException.at(where, null, dir + ": folder is not writable");
            }
            return;
        }
        Path parent = p.getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
            throw ConfigException.at(where, null, dir + ": cannot be created (" + parent
                    + (parent != null && !Files.isDirectory(parent) ? " is not a folder)" : " is not writable)"));
        }
    }

    /** Creates {@code sub} inside {@code dir}, or a config error naming the folder. */
    static Path create(Path dir, String sub, String where) {
        Path p = dir.resolve(sub);
        try {
            Files.createDirectories(p);
            Path probe = Files.createTempFile(p, ".probe", ".tmp");
            Files.delete(probe);
            return p;
        } catch (IOException e) {
            throw ConfigException.at(where, null, p + ": cannot be written (" + e + ")");
        }
    }
}
