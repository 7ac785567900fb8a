package hybridlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.backend.JvmBackend;
import hybridlab.experiments.config.RunConfig;
import hybridlab.experiments.train.RunRecord;
import hybridlab.experiments.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One epoch of a nano preset on every dataset format, from files the test writes in the official
 * layouts, through the run keys as a user sets them: the model takes its channels and classes
 * from the data. The images are the synthetic set's, turned into bytes (and into colour).
 */
class DatasetFormatsTrainTest {
    @TempDir
    Path dir;

    private static final Dataset TRAIN = Synthetic.make("g/train", 600, 1), TEST = Synthetic.make("g/test", 200, 2);

    /** Pixel {@code p} of image {@code n} in channel {@code c}, as a byte: the synthetic value, tinted per channel. */
    private static int pixel(Dataset d, int n, int c, int p) {
        float v = d.images()[n * 1024 + p];
        return Math.max(0, Math.min(255, Math.round(128 + 50 * v + 20 * c)));
    }

    private static RunRecord train(Map<String, Object> keys) throws Exception {
        Map<String, Object> all = new LinkedHashMap<>(Map.of("model", "coatnet-nano-CCCC", "epochs", 1, "batch", 50, "eval_batch", 100,
                "threads", 2));
        all.putAll(keys);
        RunConfig cfg = RunConfig.defaults().withAll(all, "test");
        try (JvmBackend b = new JvmBackend(cfg.backend().hostThreads())) {
            RunRecord r = Trainer.run(cfg, Data.load(cfg), b, new Trainer.Listener() { });
            assertEquals(RunRecord.FINISHED, r.status(), keys.toString());
            assertTrue(Double.isFinite(r.epochs().get(0).trainLoss()));
            return r;
        }
    }

    @Test
    void idxSetsOfAnySizeAndCount() throws Exception {
        Path idx = Files.createDirectories(dir.resolve("idx"));
        for (String split : List.of("train", "t10k")) {
            Dataset d = split.equals("train") ? TRAIN : TEST;
            ByteArrayOutputStream img = new ByteArrayOutputStream(), lab = new ByteArrayOutputStream();
            DataOutputStream i = new DataOutputStream(img), l = new DataOutputStream(lab);
            i.writeInt(0x803);
            i.writeInt(d.count());
            i.writeInt(28);
            i.writeInt(28);
            l.writeInt(0x801);
            l.writeInt(d.count());
            for (int n = 0; n < d.count(); n++) {
                for (int y = 2; y < 30; y++) {
                    for (int x = 2; x < 30; x++) {
                        i.writeByte(pixel(d, n, 0, y * 32 + x));
                    }
                }
                l.writeByte(d.labels()[n]);
            }
            Files.write(idx.resolve(split + "-images-idx3-ubyte"), img.toByteArray());
            Files.write(idx.resolve(split + "-labels-idx1-ubyte"), lab.toByteArray());
        }
        RunRecord r = train(Map.of("dataset", "idx", "data_dir", idx.toString()));
        assertEquals(List.of(600, 200), List.of(r.result().trainImages(), r.result().testImages()));
    }

    @Test
    void imageFoldersInColour() throws Exception {
        Path root = dir.resolve("folders");
        for (String split : List.of("train", "test")) {
            Dataset d = split.equals("train") ? TRAIN : TEST;
            for (int n = 0; n < 100; n++) {
                java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(40, 40, java.awt.image.BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 40; y++) {
                    for (int x = 0; x < 40; x++) {
                        int p = Math.min(31, y * 32 / 40) * 32 + Math.min(31, x * 32 / 40);
                        img.setRGB(x, y, pixel(d, n, 0, p) << 16 | pixel(d, n, 1, p) << 8 | pixel(d, n, 2, p));
                    }
                }
                Path f = root.resolve(split).resolve("class-" + d.labels()[n]).resolve(n + ".png");
                Files.createDirectories(f.getParent());
                javax.imageio.ImageIO.write(img, "png", f.toFile());
            }
        }
        RunRecord r = train(Map.of("dataset", "image-folder", "data_dir", root.toString(), "image_size", 32, "channels", 3,
                "image_fit", "resize"));
        assertEquals(100, r.result().trainImages());
        assertTrue(r.model().params() > 0);
    }

    @Test
    void numpyArraysNhwc() throws Exception {
        Path np = Files.createDirectories(dir.resolve("numpy"));
        Map<String, byte[]> arrays = new LinkedHashMap<>();
        for (String split : List.of("train", "test")) {
            Dataset d = split.equals("train") ? TRAIN : TEST;
            byte[] px = new byte[d.count() * 32 * 32 * 3];
            long[] labels = new long[d.count()];
            for (int n = 0; n < d.count(); n++) {
                for (int p = 0; p < 1024; p++) {
                    for (int c = 0; c < 3; c++) {
                        px[(n * 1024 + p) * 3 + c] = (byte) pixel(d, n, c, p);
                    }
                }
                labels[n] = d.labels()[n];
            }
            arrays.put("x_" + split, NpyWriter.npy("|u1", new int[] {d.count(), 32, 32, 3}, px));
            arrays.put("y_" + split, NpyWriter.npy("<i8", new int[] {d.count()}, NpyWriter.i64(labels)));
        }
        NpyWriter.npz(np.resolve("data.npz"), true, arrays);
        RunRecord r = train(Map.of("dataset", "numpy", "data_dir", np.resolve("data.npz").toString()));
        assertEquals(600, r.result().trainImages());
    }

    /** CIFAR-100's official layout: train.bin (50,000 records) and test.bin (10,000), coarse and fine label bytes first. */
    @Test
    void cifar100TrainsANanoPresetWithThreeChannelsAndAHundredClasses() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("cifar").resolve("cifar-100-binary"));
        for (String file : List.of("train.bin", "test.bin")) {
            int records = file.equals("train.bin") ? 50_000 : 10_000;
            Dataset d = file.equals("train.bin") ? TRAIN : TEST;
            try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(folder.resolve(file)), 1 << 20)) {
                for (int r = 0; r < records; r++) {
                    int n = r % d.count(), fine = d.labels()[n] * 10 + r % 10;
                    o.write(fine / 5);
                    o.write(fine);
                    for (int c = 0; c < 3; c++) {
                        for (int p = 0; p < 1024; p++) {
                            o.write(pixel(d, n, c, p));
                        }
                    }
                }
            }
        }
        RunRecord r = train(Map.of("dataset", "cifar100", "data_dir", dir.resolve("cifar").toString(), "train_fraction", 0.01));
        assertEquals(500, r.result().trainImages(), "1% of 50,000");
        assertEquals(10_000, r.result().testImages());
        assertTrue(r.model().config().contains("in=3") && r.model().config().contains("classes=100"), r.model().config());
    }
}
