package hybridlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import hybridlab.nn.ModelInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelInfoTest {
    /** Forward multiply-adds per image, as the PyTorch reference's hook-based counter reports them (M, 2 decimals). */
    @ParameterizedTest(name = "{0}: {1} M MACs")
    @CsvSource({
        "coatnet-nano-CCCC, 13.35",
        "coatnet-nano-CCCT, 15.27",
        "coatnet-nano-CCTT, 18.27",
        "coatnet-nano-CTTT, 22.10"
    })
    void macsMatchTheReferenceCounter(String name, double millions) {
        ModelInfo info = ModelInfo.of(Zoo.get(name).config().build());
        assertEquals(millions, Math.round(info.macs() / 1e4) / 100.0, 1e-9);
        assertEquals(2 * info.macs(), info.flops());
        long layerParams = info.layers().stream().mapToLong(ModelInfo.Layer::params).sum();
        assertEquals(info.params(), layerParams, "the layer table accounts for every parameter");
    }
}
