package hybridlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hybridlab.experiments.data.Cifar.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small sets in the official binary layouts: 3 records per training file, 4 test records. */
class CifarTest {
    static final int PER_FILE = 3, TEST = 4;

    @TempDir
    Path dir;

    /** Byte {@code j} of record {@code r}'s 3,072 pixels, in file {@code f}. */
    static int pixel(int f, int r, int j) {
        return (f * 101 + r * 17 + j * 7 + j / 1024 * 40) % 256;
    }

    static byte[] records(int f, int count, int... labelBytes) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int per = labelBytes.length / count;
        for (int r = 0; r < count; r++) {
            for (int k = 0; k < per; k++) {
                b.write(labelBytes[r * per + k]);
            }
            for (int j = 0; j < Cifar.PIXELS; j++) {
                b.write(pixel(f, r, j));
            }
        }
        return b.toByteArray();
    }

    Path cifar10() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        for (int f = 1; f <= 5; f++) {
            Files.write(folder.resolve("data_batch_" + f + ".bin"), records(f, PER_FILE, f, (f + 3) % 10, 9));
        }
        Files.write(folder.resolve("test_batch.bin"), records(0, TEST, 0, 1, 2, 3));
        Files.writeString(folder.resolve("batches.meta.txt"),
                "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n");
        return folder;
    }

    Path cifar100() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("cifar-100-binary"));
        Files.write(folder.resolve("train.bin"), records(1, PER_FILE, 19, 99, 0, 0, 4, 42));
        Files.write(folder.resolve("test.bin"), records(0, TEST, 1, 5, 2, 6, 3, 7, 4, 8));
        return folder;
    }

    DataException fails(Kind kind, Path file, String... expected) {
        DataException e = assertThrows(DataException.class, () -> Cifar.load(kind, dir, PER_FILE, TEST));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        for (String s : expected) {
            assertTrue(e.getMessage().contains(s), e.getMessage());
        }
        return e;
    }

    @Test
    void cifar10LoadsShapesLabelsPixelsAndNames() throws Exception {
        Path folder = cifar10();
        for (Path where : List.of(dir, folder)) {
            Splits s = Cifar.load(Kind.CIFAR10, where, PER_FILE, TEST);
            Dataset train = s.train();
            assertEquals(15, train.count());
            assertEquals(3, train.channels());
            assertEquals(32, train.size());
            assertEquals(10, train.classes());
            assertArrayEquals(new int[] {1, 4, 9, 2, 5, 9, 3, 6, 9, 4, 7, 9, 5, 8, 9}, train.labels());
            assertArrayEquals(new int[] {0, 1, 2, 3}, s.test().labels());
            // image 4 is record 1 of data_batch_2; channel c, row y, column x is byte c*1024 + y*32 + x
            for (int j : new int[] {0, 31, 32, 1023, 1024, 2047, 2048, 3071}) {
                assertEquals(pixel(2, 1, j) / 255f, train.images()[4 * Cifar.PIXELS + j], "byte " + j);
            }
            assertEquals(pixel(0, 3, 5) / 255f, s.test().images()[3 * Cifar.PIXELS + 5]);
            assertEquals("cat", s.classNames().get(3));
        }
    }

    @Test
    void cifar100UsesTheFineLabels() throws Exception {
        cifar100();
        Splits s = Cifar.load(Kind.CIFAR100, dir, PER_FILE, TEST);
        assertEquals(100, s.train().classes());
        assertArrayEquals(new int[] {99, 0, 42}, s.train().labels());
        assertArrayEquals(new int[] {5, 6, 7, 8}, s.test().labels());
        assertEquals(pixel(1, 2, 3071) / 255f, s.train().images()[3 * Cifar.PIXELS - 1], "the pixels follow two label bytes");
        assertEquals(Splits.indexNames(100), s.classNames(), "no fine_label_names.txt: indices");
    }

    @Test
    void fileSizesAreChecked() throws Exception {
        Path folder = cifar10();
        Path batch3 = folder.resolve("data_batch_3.bin");
        byte[] good = Files.readAllBytes(batch3);
        Files.write(batch3, Arrays.copyOf(good, good.length - 100));
        fails(Kind.CIFAR10, batch3, "not a whole number of 3073-byte", "truncated");
        Files.write(batch3, Arrays.copyOf(good, 2 * 3073));
        fails(Kind.CIFAR10, batch3, "holds 2 records", "expected 3");
        Files.write(batch3, good);
        Cifar.load(Kind.CIFAR10, dir, PER_FILE, TEST);
        DataException official = assertThrows(DataException.class, () -> Cifar.load(Kind.CIFAR10, dir));
        assertTrue(official.getMessage().contains("data_batch_1.bin") && official.getMessage().contains("expected 10000"), official.getMessage());

        cifar100();
        Path train = dir.resolve("cifar-100-binary/train.bin");
        byte[] good100 = Files.readAllBytes(train);
        Files.write(train, Arrays.copyOf(good100, 3 * 3073));
        fails(Kind.CIFAR100, train, "not a whole number of 3074-byte");
        Files.write(train, good100);
        DataException big = assertThrows(DataException.class, () -> Cifar.load(Kind.CIFAR100, dir));
        assertTrue(big.getMessage().contains("train.bin") && big.getMessage().contains("expected 50000"), big.getMessage());
    }

    @Test
    void labelsOutOfRangeAreNamed() throws Exception {
        Path folder = cifar10();
        Path test = folder.resolve("test_batch.bin");
        Files.write(test, records(0, TEST, 0, 1, 10, 3));
        fails(Kind.CIFAR10, test, "record 2 has label 10 outside 0..9");

        Path f100 = cifar100();
        Path train = f100.resolve("train.bin");
        Files.write(train, records(1, PER_FILE, 19, 99, 0, 100, 4, 42));
        fails(Kind.CIFAR100, train, "record 1 has fine label 100 outside 0..99");
        Files.write(train, records(1, PER_FILE, 19, 99, 20, 0, 4, 42));
        fails(Kind.CIFAR100, train, "record 1 has coarse label 20 outside 0..19");
    }

    @Test
    void missingFilesSayWhereToGetThem() throws Exception {
        DataException none = assertThrows(DataException.class, () -> Cifar.load(Kind.CIFAR10, dir.resolve("nowhere")));
        assertTrue(none.getMessage().contains(Cifar.HOME) && none.getMessage().contains("nowhere"), none.getMessage());
        Path folder = cifar10();
        Files.delete(folder.resolve("data_batch_5.bin"));
        fails(Kind.CIFAR10, folder.resolve("data_batch_5.bin"), "missing", "cifar-10-binary.tar.gz", Cifar.HOME);
        cifar10();
        Files.writeString(folder.resolve("batches.meta.txt"), "airplane\nautomobile\n");
        fails(Kind.CIFAR10, folder.resolve("batches.meta.txt"), "lists 2 class names, expected 10");
    }
}
