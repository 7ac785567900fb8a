package hybridlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.train.RunRecord;
import hybridlab.experiments.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress lines driven by a fake clock: what they say, and when they are printed. */
class ProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long now;

    /** 2 epochs of 100 steps of 64 images; 10 test batches of 192 per epoch, 20 training batches at the end. */
    private static final Trainer.Work WORK = new Trainer.Work(2, 100, 64, 192, 10, 20);

    private Progress progress(boolean terminal) {
        Progress p = new Progress("m", out, terminal, 120, Duration.ofSeconds(30), () -> now);
        p.start(WORK);
        return p;
    }

    /** {@code steps} training steps of one second each. */
    private void steps(Progress p, int from, int steps) {
        for (int s = from; s < from + steps; s++) {
            now += 1_000_000_000L;
            p.step(s, 0.5, 0.75);
        }
    }

    @Test
    void awayFromATerminalALineEveryThirtySecondsWithTheSameFigures() {
        Progress p = progress(false);
        p.epochStart(0);
        steps(p, 0, 65);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), "at 30 s and 60 s: " + lines);
        // 1 s a step of 64 images; before any evaluation, an evaluation batch of 192 images is taken as one step's time
        assertEquals("m epoch 1/2 [######..............] step 30/100 loss 0.5000 acc 0.7500 | 64 img/s | epoch ETA 1:20 | run ETA 3:30",
                lines.get(0));
        assertTrue(lines.get(1).contains("step 60/100"), lines.get(1));
        assertTrue(lines.get(1).endsWith("| epoch ETA 0:50 | run ETA 3:00"), lines.get(1));
    }

    @Test
    void evaluationShowsItsOwnBarAndMeasuredTimesReplaceTheEstimate() {
        Progress p = progress(false);
        p.epochStart(0);
        steps(p, 0, 100);
        for (int b = 0; b < 10; b++) {
            now += 4_000_000_000L; // evaluation turns out slower than estimated: 4 s a batch
            p.evaluated("test", b, 10);
        }
        p.epochEnd(new RunRecord.Epoch(1, 0.4, 0.8, 0.45, 0.78, 1e-3, 1.0));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("m epoch 1/2 evaluating test [##") && l.contains("batch ")), lines.toString());
        // 100 steps and 20 + 10 batches left: 100 s + 30 x 4 s
        assertEquals("m epoch 1/2: train loss 0.4000 acc 0.8000 | test loss 0.4500 acc 0.7800 | run ETA 3:40", lines.get(lines.size() - 1));
    }

    @Test
    void onATerminalOneLineIsRedrawnInPlaceAtMostFourTimesASecond() {
        Progress p = progress(true);
        p.epochStart(1);
        for (int s = 0; s < 40; s++) {
            now += 100_000_000L; // ten steps a second
            p.step(s, 0.5, 0.75);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(-1, text.indexOf('\n'), "no new lines: " + text);
        long redraws = text.chars().filter(c -> c == '\r').count();
        assertTrue(redraws >= 10 && redraws <= 16, redraws + " redraws in 4 s");
        assertTrue(text.contains("m epoch 2/2 [#"), text);
        assertTrue(text.contains("640 img/s"), text);
    }

    @Test
    void clockTimesAndBars() {
        assertEquals("0:00", Progress.clockTime(-5));
        assertEquals("1:05", Progress.clockTime(65_000_000_000L));
        assertEquals("2:03:04", Progress.clockTime((2 * 3600 + 3 * 60 + 4) * 1_000_000_000L));
        assertEquals("[##########..........]", Progress.bar(5, 10));
        assertEquals("[####################]", Progress.bar(10, 10));
    }
}
