package hybridlab.experiments.slurm;

import hybridlab.experiments.config.ConfigException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Slurm's {@code sbatch} from the PATH, called as a user would call it (no Slurm library). */
public final class Sbatch {
    private final Path command;

    private Sbatch(Path command) {
        this.command = command;
    }

    /** The {@code sbatch} on {@code path} (a PATH value), or a config error saying it is missing. */
    public static Sbatch find(String path) {
        return new Sbatch(onPath("sbatch", path).orElseThrow(() -> ConfigException.at("--submit", null,
                "sbatch is not on the PATH; on a machine without Slurm leave --submit out and submit the written scripts where Slurm is")));
    }

    static Optional<Path> onPath(String name, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Submits {@code script} with {@code options} before it and returns the job id. A refusal
     * (an unknown partition, a limit exceeded) is a config error quoting sbatch's message.
     */
    public String submit(List<String> options, Path script, String what) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command.toString(), "--parsable"));
        cmd.addAll(options);
        cmd.add(script.toString());
        // answers go to files, so neither a full pipe nor a hung sbatch can block past the time limit
        Path out = Files.createTempFile("hybridlab-sbatch", ".out"), err = Files.createTempFile("hybridlab-sbatch", ".err");
        String stdout, stderr;
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw ConfigException.at("sbatch", null, what + ": no answer in 5 minutes (is slurmctld reachable?)");
            }
            stdout = new String(Files.readAllBytes(out), StandardCharsets.UTF_8).strip();
            stderr = new String(Files.readAllBytes(err), StandardCharsets.UTF_8).strip();
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
        if (p.exitValue() != 0) {
            throw ConfigException.at("sbatch", null, what + " refused (exit " + p.exitValue() + "): "
                    + (stderr.isEmpty() ? stdout : stderr).replace('\n', ' '));
        }
        return jobId(stdout, what);
    }

    /** The job id in {@code sbatch --parsable}'s answer: {@code id} or {@code id;cluster}, after any warnings. */
    static String jobId(String parsable, String what) {
        List<String> lines = parsable.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        String id = last.contains(";") ? last.substring(0, last.indexOf(';')) : last;
        if (!id.matches("\\d+")) {
            throw ConfigException.at("sbatch", null, what + ": no job id in its answer '" + parsable + "'");
        }
        return id;
    }
}
