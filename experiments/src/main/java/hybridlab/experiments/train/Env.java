package hybridlab.experiments.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Facts about where a run happened: git commit, JVM, OS, CPU. */
public final class Env {
    private Env() {
    }

    private static String commit;

    /**
     * {@code git rev-parse HEAD} of the working directory, with {@code -dirty} for local changes,
     * read once per JVM: at its first call, which {@link Trainer} makes before training, so a
     * checkout changing under a long sweep does not relabel its runs.
     */
    public static synchronized String gitCommit() {
        if (commit == null) {
            String head = run("git", "rev-parse", "HEAD");
            if (head == null || head.isBlank()) {
                commit = "unknown";
            } else {
                // results/ is what runs write (a sweep rewrites its committed manifest): not code
                String status = run("git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)results");
                commit = head.trim() + (status != null && !status.isBlank() ? "-dirty" : "");
            }
        }
        return commit;
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) { // read after exit: git's answers here are short
                p.destroyForcibly();
                return null;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public static String jvm() {
        return System.getProperty("java.vm.name") + " " + Runtime.version();
    }

    public static String os() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    }

    /** CPU model name from /proc/cpuinfo where available, and the core count. */
    public static String cpu() {
        String name = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    name = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: keep the generic name
        }
        return name + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    }
}
