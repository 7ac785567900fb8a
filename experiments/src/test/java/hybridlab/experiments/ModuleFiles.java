package hybridlab.experiments;

import java.nio.file.Path;

/** Files of this module's checkout, wherever the test JVM runs (the tornado profile runs it in target/tornado-cwd). */
public final class ModuleFiles {
    private ModuleFiles() {
    }

    /** {@code first/more...} under the module folder: surefire's {@code basedir}, else the working directory. */
    public static Path path(String first, String... more) {
        return Path.of(System.getProperty("basedir", "."), first).resolve(Path.of("", more));
    }
}
