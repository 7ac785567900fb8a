package hybridlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.nn.Init;
import hybridlab.nn.ModelInfo;
import hybridlab.nn.Param;
import hybridlab.nn.ParamStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZooTest {
    static Knobs knobs(Map<Integer, Integer> windows, Boolean cpe, Integer parallel, List<Integer> dilations, Boolean pcm) {
        return new Knobs(null, null, null, windows, cpe, parallel, dilations, pcm);
    }

    static String error(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void coatLiteNanoMatchesTheReference() {
        ModelInfo info = ModelInfo.of(Zoo.get("coat-lite-nano").config().build());
        assertEquals(1_281_546, info.params(), "PyTorch reference count");
        assertEquals(25.89, Math.round(info.macs() / 1e4) / 100.0, 1e-9, "flops.py M MACs");
    }

    /** Parameter counts of the paper configurations within 5% of the papers (ViTAE-T, CoaT) or explained in model-zoo.md. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"coat-lite-tiny", "coat-lite-mini", "coat-tiny", "coat-mini", "coatnet-0", "vitae-t"})
    void paperParameterCountsWithinFivePercent(String name) {
        Preset p = Zoo.get(name);
        double params = ModelInfo.of(p.config().build()).params() / 1e6;
        assertTrue(Math.abs(params / p.paper().paramsM() - 1) <= 0.05, name + ": " + params + "M vs " + p.paper().paramsM() + "M");
    }

    @Test
    void crpeWindowsAreValidated() {
        ModelConfig c = Zoo.get("coat-lite-nano").config();
        Map<Integer, Integer> even = new LinkedHashMap<>(Map.of(4, 4));
        assertTrue(error(() -> c.with(knobs(even, null, null, null, null))).startsWith("crpe_windows: window 4 must be a positive odd size"));
        Map<Integer, Integer> sum = new LinkedHashMap<>();
        sum.put(3, 1);
        sum.put(5, 1);
        assertTrue(error(() -> c.with(knobs(sum, null, null, null, null))).contains("sum to 2, not to the 4 heads"));
        long withCrpe = c.build().parameterCount();
        long off = c.with(knobs(Map.of(), null, null, null, null)).build().parameterCount();
        assertTrue(off < withCrpe, "CRPE off removes its convs");
        long noCpe = c.with(knobs(null, false, null, null, null)).build().parameterCount();
        assertEquals(withCrpe - (32 + 64 + 128 + 160) * 10, noCpe, "CPE is one 3x3 depthwise conv with bias per stage");
    }

    @Test
    void parallelBlocksNeedEqualWidths() {
        ModelConfig lite = Zoo.get("coat-lite-nano").config();
        assertTrue(error(() -> lite.with(knobs(null, null, 1, null, null))).startsWith("parallel_depth:"));
        ModelConfig coat = Zoo.get("coat-nano").config();
        assertTrue(coat.with(knobs(null, null, 0, null, null)).build().parameterCount() < coat.build().parameterCount());
    }

    @Test
    void vitaeKnobs() {
        ModelConfig v = Zoo.get("vitae-nano").config();
        long base = v.build().parameterCount();
        long noPcm = v.with(knobs(null, null, null, null, false)).build().parameterCount();
        assertTrue(noPcm < base);
        long fewer = v.with(knobs(null, null, null, List.of(1, 2), null)).build().parameterCount();
        assertTrue(fewer < base, "one pyramid conv fewer");
        assertTrue(error(() -> v.with(knobs(null, null, null, List.of(0), null))).startsWith("prm_dilations:"));
    }

    @Test
    void vitaeNanoStartsItsLinearsAtFanInAndVitaeTAtThePapersStd() {
        assertEquals(List.of(new Init.FanIn()), linearInits("vitae-nano"));
        assertEquals(List.of(Init.LINEAR), linearInits("vitae-t"));
    }

    @Test
    void vitRelNanoStartsItsLinearsAtFanInAndTheS16AtThePapersStd() {
        assertEquals(List.of(new Init.FanIn()), linearInits("vit-rel-nano"));
        assertEquals(List.of(Init.LINEAR), linearInits("vit-rel-s16"));
    }

    /** The distinct initialisers of a preset's linear weights (its 2-D parameters other than bias tables). */
    private static List<Init> linearInits(String preset) {
        List<Param> linears = new ParamStore(Zoo.get(preset).config().build()).byName().values().stream()
                .filter(p -> p.shape().length == 2 && !p.name().endsWith(".table")).toList();
        assertTrue(linears.size() > 10, preset + ": qkv, proj, MLP and head weights");
        return linears.stream().map(Param::init).distinct().toList();
    }

    @Test
    void knobsOfAnotherFamilyAreRejectedByName() {
        String m = error(() -> Zoo.get("coatnet-nano-CCTT").config().with(knobs(null, false, null, null, null)));
        assertTrue(m.startsWith("cpe: does not apply to coatnet models"), m);
        m = error(() -> Zoo.get("coat-lite-nano").config().with(new Knobs("CCCC", null, null, null, null, null, null, null)));
        assertTrue(m.startsWith("layout: does not apply to coat models"), m);
    }
}
