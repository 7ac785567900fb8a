package hybridlab.experiments.bench;

import com.fasterxml.jackson.databind.JsonNode;
import hybridlab.experiments.config.Files;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The optional PyTorch side of a throughput comparison, and of the check that the twins compute
 * the Java models' functions: runs the project's PyTorch twins of the nano presets
 * ({@code experiments/src/main/python/torch_compare.py}) with the system Python.
 */
public final class TorchComparison {
    private final String python;
    private final Path script;
    private final String version;

    private TorchComparison(String python, Path script, String version) {
        this.python = python;
        this.script = script;
        this.version = version;
    }

    /** The comparison, or empty with the reason when Python, PyTorch or the script is missing. */
    public static Optional<TorchComparison> find(StringBuilder whyNot) {
        Path script = locateScript();
        if (script == null) {
            whyNot.append("the comparison script experiments/src/main/python/torch_compare.py was not found");
            return Optional.empty();
        }
        for (String py : List.of("/usr/bin/python3", "python3")) {
            String v = run(List.of(py, "-c", "import torch; print(torch.__version__)"), 120);
            if (v != null) {
                return Optional.of(new TorchComparison(py, script, v.trim()));
            }
        }
        whyNot.append("PyTorch is not installed (Debian: apt-get install python3-torch libopenblas0-pthread)");
        return Optional.empty();
    }

    static Path locateScript() {
        String root = System.getProperty("hybridlab.root");
        for (String base : root == null ? List.of(".", "..") : List.of(root, ".", "..")) {
            Path p = Path.of(base, "experiments", "src", "main", "python", "torch_compare.py");
            if (java.nio.file.Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    public String version() {
        return version;
    }

    /** PyTorch training and inference images/s for one preset, or null if the run failed. */
    public double[] bench(String model, int batch, int threads, int warmup, int steps) {
        return bench(model, batch, threads, warmup, steps, "cpu");
    }

    /** As above, on a torch device ({@code cpu}, {@code cuda}). */
    public double[] bench(String model, int batch, int threads, int warmup, int steps, String device) {
        String out = run(List.of(python, script.toString(), "bench", "--model", model, "--batch", String.valueOf(batch),
                "--threads", String.valueOf(threads), "--warmup", String.valueOf(warmup), "--steps", String.valueOf(steps),
                "--device", device), 3600);
        if (out == null) {
            return null;
        }
        try {
            JsonNode n = Files.JSON.readTree(out.strip().lines().reduce((a, b) -> b).orElse("{}"));
            return new double[] {n.get("train_img_s").asDouble(), n.get("infer_img_s").asDouble()};
        } catch (IOException | NullPointerException e) {
            return null;
        }
    }

    /** The SGEMM ceiling through PyTorch's BLAS (n = 2048), GFLOP/s, or 0 if the run failed. */
    public double sgemm(int threads) {
        String out = run(List.of(python, script.toString(), "sgemm", "--threads", String.valueOf(threads)), 600);
        try {
            return out == null ? 0 : Files.JSON.readTree(out.strip()).get("gflops").asDouble();
        } catch (IOException | NullPointerException e) {
            return 0;
        }
    }

    /** Eval-mode logits {@code (batch, classes)} and mean cross-entropy of a batch, from a twin with saved weights. */
    public record Logits(float[][] logits, double loss) {
    }

    /**
     * Runs {@code torch_compare.py logits}: the twin of {@code model} (with {@code fusion}, or the
     * preset's when null) loads {@code weights} (safetensors, the Java model's names) and evaluates
     * {@code images} (raw little-endian float32, {@code (labels.length, 1, 32, 32)}) in eval mode.
     *
     * @throws IOException with the script's error output when it fails
     */
    public Logits logits(String model, String fusion, Path weights, Path images, int[] labels) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "logits", "--model", model,
                "--weights", weights.toString(), "--input", images.toString(), "--labels",
                Arrays.stream(labels).mapToObj(String::valueOf).collect(Collectors.joining(","))));
        if (fusion != null) {
            cmd.addAll(List.of("--fusion", fusion));
        }
        Path out = java.nio.file.Files.createTempFile("torch-logits", ".json");
        Path err = java.nio.file.Files.createTempFile("torch-logits", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": no answer within 600 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " exited with " + p.exitValue() + ": "
                        + java.nio.file.Files.readString(err).strip());
            }
            JsonNode n = Files.JSON.readTree(java.nio.file.Files.readString(out).strip().lines().reduce((a, b) -> b).orElse("{}"));
            JsonNode rows = n.get("logits");
            if (rows == null || !rows.isArray() || n.get("loss") == null) {
                throw new IOException(String.join(" ", cmd) + " printed no logits and loss: " + n);
            }
            float[][] logits = new float[rows.size()][];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = new float[rows.get(i).size()];
                for (int c = 0; c < logits[i].length; c++) {
                    logits[i][c] = (float) rows.get(i).get(c).asDouble();
                }
            }
            return new Logits(logits, n.get("loss").asDouble());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + String.join(" ", cmd), e);
        } finally {
            java.nio.file.Files.deleteIfExists(out);
            java.nio.file.Files.deleteIfExists(err);
        }
    }

    /** Standard output of a command that exited 0, else null. */
    static String run(List<String> cmd, int timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
