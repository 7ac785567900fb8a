package hybridlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpansionTest {
    @TempDir
    Path dir;

    private static List<String> values(SweepPlan p, String key) {
        return p.runs().stream().map(r -> String.valueOf(r.config().get(key))).toList();
    }

    @Test
    void gridTakesEveryCombinationLastAxisFastestSeedsOutermost() {
        SweepPlan p = SweepFiles.prepare(dir, SweepFiles.GRID).plan();
        assertEquals(4, p.variants().size());
        assertEquals(8, p.runs().size());
        assertEquals(List.of("pre", "post", "pre", "post", "pre", "post", "pre", "post"), values(p, "fusion"));
        assertEquals(List.of("0", "0", "0", "0", "1", "1", "1", "1"), values(p, "seed"));
        assertEquals("coatnet-nano-CCTT", p.runs().get(2).config().model().name());
        assertEquals(8, new HashSet<>(p.runs().stream().map(SweepRun::runId).toList()).size(), "one run id per run");
        assertEquals(List.of(p.runs().get(1).runId(), p.runs().get(5).runId()), p.variants().get(1).runIds());
    }

    @Test
    void pointsAreCrossedWithTheGridAndOverrideTheBase() {
        SweepPlan p = SweepFiles.prepare(dir, "name: pts\n" + SweepFiles.TINY_BASE
                + "points:\n  - {model: coatnet-nano-CCCC}\n  - {model: coatnet-nano-CTTT, fusion: post, epochs: 1}\n"
                + "axes: {train_fraction: [0.5, 1.0]}\n").plan();
        assertEquals(4, p.runs().size());
        assertEquals(List.of("coatnet-nano-CCCC", "coatnet-nano-CCCC", "coatnet-nano-CTTT", "coatnet-nano-CTTT"), values(p, "model"));
        assertEquals(List.of("0.5", "1.0", "0.5", "1.0"), values(p, "train_fraction"));
        assertEquals(List.of("2", "2", "1", "1"), values(p, "epochs"));
        assertEquals("{model: coatnet-nano-CTTT, fusion: post, epochs: 1, train_fraction: 0.5}", p.variants().get(2).origin());
    }

    @Test
    void keysThatVaryButAreNotNamedInTheReportBecomeRows() {
        SweepPlan p = SweepFiles.prepare(dir, "name: r\n" + SweepFiles.TINY_BASE
                + "points:\n  - {model: coatnet-nano-CCCC}\n  - {model: coatnet-nano-CTTT, fusion: post}\n"
                + "axes: {train_fraction: [0.5, 1.0]}\nreport: {columns: [train_fraction]}\n").plan();
        assertEquals(List.of("model", "fusion"), p.report().rows());
        assertEquals(List.of("train_fraction"), p.report().columns());
        Map<String, String> coords = p.variants().get(0).coordinates();
        assertEquals("coatnet-nano-CCCC", coords.get("model"));
        assertEquals(null, coords.get("fusion"), "unset knob");
        assertEquals("0.5", coords.get("train_fraction"));
    }

    @Test
    void aKeyThatFollowsFromTheColumnsIsNoRowButOneThatVariesWithinAColumnIs() {
        String points = "points:\n  - {model: coatnet-nano-CCCC, train_fraction: 0.5, epochs: 2}\n"
                + "  - {model: coatnet-nano-CCCC, train_fraction: 1.0, epochs: 1}\n"
                + "  - {model: coatnet-nano-CTTT, train_fraction: 0.5, epochs: 2}\n"
                + "  - {model: coatnet-nano-CTTT, train_fraction: 1.0, epochs: 1}\n";
        SweepPlan follows = SweepFiles.prepare(dir, "name: f\n" + SweepFiles.TINY_BASE + points
                + "report: {rows: [model], columns: [train_fraction]}\n").plan();
        assertEquals(List.of("model", "train_fraction"), follows.report().keys());
        SweepPlan varies = SweepFiles.prepare(dir, "name: v\n" + SweepFiles.TINY_BASE + points.replace("CTTT, train_fraction: 1.0, epochs: 1", "CTTT, train_fraction: 1.0, epochs: 2")
                + "report: {rows: [model], columns: [train_fraction]}\n").plan();
        assertEquals(List.of("model", "epochs", "train_fraction"), varies.report().keys());
    }

    @Test
    void setOverridesTheBaseForEveryRun() {
        SweepPlan p = SweepFiles.prepare(dir, SweepFiles.GRID, "epochs=1", "threads=2").plan();
        assertEquals(List.of("1"), values(p, "epochs").stream().distinct().toList());
        SweepPlan q = SweepFiles.prepare(dir, SweepFiles.GRID).plan();
        assertNotEquals(p.runs().get(0).runId(), q.runs().get(0).runId(), "epochs is part of a run's identity");
        SweepPlan r = SweepFiles.prepare(dir, SweepFiles.GRID, "threads=2").plan();
        assertEquals(q.runs().get(0).runId(), r.runs().get(0).runId(), "threads is not");
    }

    @Test
    void backendsAddVariants() {
        SweepPlan p = SweepFiles.prepare(dir, "name: b\n" + SweepFiles.TINY_BASE
                + "axes: {fusion: [pre, post]}\nbackends: [jvm, {backend: jvm, device: \"jvm\"}]\n").plan();
        assertEquals(4, p.variants().size());
        assertEquals(List.of("fusion", "device"), p.report().keys());
    }

    @Test
    void gridWithoutAxesIsOnePoint() {
        assertEquals(List.of(Map.of()), Expansion.grid(Map.of()));
        SweepPlan p = SweepFiles.prepare(dir, "name: one\n" + SweepFiles.TINY_BASE + "seeds: [3, 4, 5]\n").plan();
        assertEquals(1, p.variants().size());
        assertEquals(List.of("3", "4", "5"), values(p, "seed"));
        assertEquals("the base config", p.variants().get(0).origin());
    }
}
