package hybridlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.models.Zoo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripRestoresEveryParameterAndStatistic() throws IOException {
        ParamStore a = new ParamStore(Zoo.get("coatnet-nano-CCTT").config().build());
        a.initialize(1);
        a.get("blocks.0.norm.running_mean").data().f()[a.get("blocks.0.norm.running_mean").data().offset()] = 0.25f;
        Path f = dir.resolve("w.safetensors");
        Safetensors.save(a, f, Map.of("model", "coatnet-nano-CCTT"));
        ParamStore b = new ParamStore(Zoo.get("coatnet-nano-CCTT").config().build());
        b.initialize(2);
        assertTrue(Safetensors.load(b, f).isEmpty());
        for (Param p : a.byName().values()) {
            Param q = b.get(p.name());
            assertArrayEquals(Arrays.copyOfRange(p.data().f(), p.data().offset(), p.data().end()),
                    Arrays.copyOfRange(q.data().f(), q.data().offset(), q.data().end()), p.name());
        }
    }

    @Test
    void headerFollowsTheFormat() throws IOException {
        ParamStore a = new ParamStore(Zoo.get("coatnet-nano-CCCC").config().build());
        a.initialize(0);
        Path f = dir.resolve("w.safetensors");
        Safetensors.save(a, f, null);
        byte[] all = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(all, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"s0.0.weight\":{\"dtype\":\"F32\",\"shape\":[16,1,3,3],\"data_offsets\":[0,576]}"), header);
        assertEquals(0, (8 + n) % 8, "data starts 8-byte aligned");
        assertEquals(8 + n + 4L * (a.count() + 4 * 0) + stateBytes(a), all.length);
    }

    private static long stateBytes(ParamStore s) {
        return s.byName().values().stream().filter(p -> !p.trainable()).mapToLong(p -> 4L * p.size()).sum();
    }

    @Test
    void shapeMismatchNamesTheTensor() throws IOException {
        ParamStore a = new ParamStore(Zoo.get("coatnet-nano-CCTT").config().build());
        Path f = dir.resolve("w.safetensors");
        Safetensors.save(a, f, null);
        ParamStore other = new ParamStore(Zoo.get("coatnet-nano-CTTT").config().build());
        IOException e = assertThrows(IOException.class, () -> Safetensors.load(other, f));
        assertTrue(e.getMessage().contains("blocks."), e.getMessage());
    }
}
