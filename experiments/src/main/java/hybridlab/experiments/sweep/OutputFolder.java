package hybridlab.experiments.sweep;

import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.config.Files;
import java.io.IOException;
import java.nio.file.Path;

/** The sweep's output folder: checked before training (dry runs too), created when the first run starts. */
final class OutputFolder {
    private OutputFolder() {
    }

    /** Fails unless {@code dir} is a writable folder or could be created as one. */
    static void checkWritable(Path dir, String where) {
        Files.checkWritableFolder(dir, where);
    }

    /** Creates {@code sub} inside {@code dir}, or a config error naming the folder. */
    static Path create(Path dir, String sub, String where) {
        Path p = dir.resolve(sub);
        try {
            java.nio.file.Files.createDirectories(p);
        } catch (IOException e) {
            throw ConfigException.at(where, null, p + ": cannot be created (" + Files.reason(e) + ")");
        }
        Files.checkWritableFolder(p, where);
        return p;
    }
}
