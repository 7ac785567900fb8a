package hybridlab.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.backend.Backend;
import hybridlab.backend.Executable;
import hybridlab.backend.JvmBackend;
import hybridlab.backend.Program;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThroughputTableTest {
    /** A device that cannot compile one model's plans: the other models are still measured, the failure is reported. */
    @Test
    void aModelThatFailsOnTheDeviceLeavesTheOthersMeasured() {
        String bad = "vit-rel-nano";
        String[] current = new String[1];
        List<String> models = List.of("coatnet-nano-CCCC", bad);
        java.util.Iterator<String> order = models.iterator();
        ThroughputTable.Report r = ThroughputTable.measure(models, () -> {
            current[0] = order.next();
            JvmBackend jvm = new JvmBackend(1);
            if (!current[0].equals(bad)) {
                return jvm;
            }
            return new Backend() {
                public String name() {
                    return "jvm";
                }

                public String device() {
                    return jvm.device();
                }

                public String description() {
                    return jvm.description();
                }

                public Executable compile(Program program, boolean profile) {
                    throw new IllegalStateException("kernel does not compile for this device");
                }

                public void close() {
                    jvm.close();
                }
            };
        }, 2, 1, 1, 1, false, "bin/experiments bench --all");

        assertEquals(2, r.rows().size());
        ThroughputTable.Row ok = r.rows().get(0), failed = r.rows().get(1);
        assertNull(ok.error());
        assertTrue(ok.trainImgS() > 0 && ok.inferImgS() > 0 && ok.compileSeconds() >= 0, ok.toString());
        assertEquals(0.0, failed.trainImgS());
        assertTrue(failed.error().contains("kernel does not compile for this device"), failed.error());
        String md = ThroughputTable.markdown(r, "x.json");
        assertTrue(md.contains("| `" + bad + "` |") && md.contains("failed"), md);
        assertTrue(md.contains("`" + bad + "` failed on this backend: IllegalStateException: kernel does not compile"), md);
    }
}
