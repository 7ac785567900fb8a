package hybridlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.nn.Model;
import hybridlab.nn.ParamStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CoAtNetTest {

    /** Counts printed by the PyTorch reference ({@code torch_compare.py params} and the PyTorch reference of the pinned presets). */
    @ParameterizedTest(name = "{0} has {1} parameters")
    @CsvSource({
        "coatnet-nano-CCCC, 594746",
        "coatnet-nano-CCCT, 1048450",
        "coatnet-nano-CCTT, 1187850",
        "coatnet-nano-CTTT, 1221390"
    })
    void nanoParameterCountsMatchReference(String name, long expected) {
        Model m = Zoo.get(name).config().build();
        assertEquals(expected, m.parameterCount());
        assertEquals(expected, new ParamStore(m).count());
    }

    @Test
    void fusionNoneDropsTheBiasTables() {
        long pre = Zoo.get("coatnet-nano-CCTT").config().build().parameterCount();
        long none = Zoo.get("coatnet-nano-CCTT").config().with(new Knobs(null, "none", null, null, null, null, null, null)).build().parameterCount();
        // tables: S3 two blocks 7x7x4 heads, S4 one block 3x3x8 heads
        assertEquals(2 * 49 * 4 + 9 * 8, pre - none);
    }

    @Test
    void badKnobsAreRejectedWithTheKeyName() {
        ModelConfig c = Zoo.get("coatnet-nano-CCTT").config();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.with(new Knobs("CCXT", null, null, null, null, null, null, null)));
        assertTrue(e.getMessage().startsWith("layout:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.with(new Knobs(null, "middle", null, null, null, null, null, null)));
        assertTrue(e.getMessage().startsWith("fusion:"), e.getMessage());
    }
}
