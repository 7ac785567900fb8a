package hybridlab.experiments.data;

import static hybridlab.experiments.data.NpyWriter.f32;
import static hybridlab.experiments.data.NpyWriter.i64;
import static hybridlab.experiments.data.NpyWriter.npy;
import static hybridlab.experiments.data.NpyWriter.u8;
import static hybridlab.experiments.data.NpyWriter.withHeader;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    /** numpy 2.4: {@code np.save('a.npy', np.arange(6, dtype='<f4').reshape(2, 3))}. */
    static final String NUMPY_F4 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAg"
            + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAPwAAAEAAAEBAAACAQAAA"
            + "oEA=";
    /** numpy 2.4: {@code np.save('b.npy', np.array([1, 2, 3], dtype=np.uint8))}. */
    static final String NUMPY_U1 = "k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAg"
            + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAgM=";

    Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    DataException fails(Path p) {
        DataException e = assertThrows(DataException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        return e;
    }

    @Test
    void readsFilesNumpyWrote() throws Exception {
        Npy.Array a = Npy.read(write("a.npy", Base64.getDecoder().decode(NUMPY_F4)));
        assertEquals(Npy.DType.FLOAT32, a.dtype());
        assertArrayEquals(new int[] {2, 3}, a.shape());
        for (int i = 0; i < 6; i++) {
            assertEquals(i, a.data().getFloat(4 * i));
        }
        Npy.Array b = Npy.read(write("b.npy", Base64.getDecoder().decode(NUMPY_U1)));
        assertEquals(Npy.DType.UINT8, b.dtype());
        assertArrayEquals(new int[] {3}, b.shape());
        assertEquals(3, b.integer(2));
    }

    @Test
    void theTestWriterWritesWhatNumpyWrites() {
        // the other tests generate their files with NpyWriter: it must match numpy byte for byte
        assertArrayEquals(Base64.getDecoder().decode(NUMPY_F4), npy("<f4", new int[] {2, 3}, f32(0, 1, 2, 3, 4, 5)));
        assertArrayEquals(Base64.getDecoder().decode(NUMPY_U1), npy("|u1", new int[] {3}, u8(1, 2, 3)));
    }

    @Test
    void versionsTwoAndThreeAndOldStyleHeadersRead() throws Exception {
        for (int major : new int[] {2, 3}) {
            Npy.Array a = Npy.read(write("v" + major + ".npy", npy("<i8", new int[] {2}, i64(-5, 1L << 40), major)));
            assertEquals(Npy.DType.INT64, a.dtype());
            assertEquals(-5, a.integer(0));
            assertEquals(1L << 40, a.integer(1));
        }
        // double quotes, no trailing comma, Python 2's long suffix, a scalar's empty shape
        Npy.Array old = Npy.read(write("old.npy", withHeader("{\"descr\": \"<i4\", \"shape\": (2L,), \"fortran_order\": False}",
                NpyWriter.i32(7, -1), 1)));
        assertArrayEquals(new int[] {2}, old.shape());
        assertEquals(-1, old.integer(1));
        Npy.Array scalar = Npy.read(write("scalar.npy", npy("<f4", new int[0], f32(2.5f))));
        assertEquals(0, scalar.shape().length);
        assertEquals(1, scalar.elements());
    }

    @Test
    void badMagicAndVersionAreNamed() throws Exception {
        assertTrue(fails(write("png.npy", u8(0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0))).getMessage().contains("magic"));
        byte[] v4 = npy("<f4", new int[] {1}, f32(1));
        v4[6] = 4;
        assertTrue(fails(write("v4.npy", v4)).getMessage().contains("version 4.0"));
        assertTrue(fails(write("short.npy", u8(0x93, 'N', 'U'))).getMessage().contains("magic"));
    }

    @Test
    void headerFieldsAreCheckedByName() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{'descr': '<f4', 'shape': (1,), }", "no 'fortran_order'");
        cases.put("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1, }", "'extra'");
        cases.put("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", "'descr' is '>f4': big-endian");
        cases.put("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", "float64");
        cases.put("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", "'descr' is '<c8'");
        cases.put("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", "'descr' is a list of fields");
        cases.put("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", "'fortran_order' is True");
        cases.put("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", "'shape'");
        cases.put("{'descr': '<f4', 'fortran_order': False, 'shape': 1, }", "not a .npy dict");
        cases.put("{'descr': '<f4', 'fortran_order': False, 'shape': (1,) ", "not a .npy dict");
        int i = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path p = write("h" + i++ + ".npy", withHeader(c.getKey(), f32(1), 1));
            String m = fails(p).getMessage();
            assertTrue(m.contains(c.getValue()), c.getKey() + " -> " + m);
        }
    }

    @Test
    void truncatedAndOverlongDataAreErrors() throws Exception {
        byte[] full = npy("<f4", new int[] {4, 2}, f32(1, 2, 3, 4, 5, 6, 7, 8));
        assertTrue(fails(write("cut.npy", Arrays.copyOf(full, full.length - 3))).getMessage().contains("truncated"));
        assertTrue(fails(write("cut-header.npy", Arrays.copyOf(full, 40))).getMessage().contains("truncated inside its header"));
        assertTrue(fails(write("long.npy", Arrays.copyOf(full, full.length + 1))).getMessage().contains("after the 32 data bytes"));
        assertTrue(fails(dir.resolve("absent.npy")).getMessage().contains("missing"));
    }

    @Test
    void npzStoredAndDeflatedEntriesRead() throws Exception {
        for (boolean deflate : new boolean[] {false, true}) {
            Path p = dir.resolve("a" + deflate + ".npz");
            NpyWriter.npz(p, deflate, Map.of("x", npy("|u1", new int[] {2, 2}, u8(1, 2, 3, 250)), "y", npy("<i8", new int[] {2}, i64(0, 1))));
            Npy.Array x = Npy.readNpz(p, "x");
            assertArrayEquals(new int[] {2, 2}, x.shape());
            assertEquals(250, x.integer(3));
            assertEquals(1, Npy.readNpz(p, "y.npy").integer(1));
            assertEquals(p + ":x", x.source());
        }
    }

    @Test
    void npzErrorsNameTheArchiveAndEntry() throws Exception {
        Path p = dir.resolve("a.npz");
        NpyWriter.npz(p, true, Map.of("x_train", npy("|u1", new int[] {1}, u8(1)), "broken", withHeader("{'descr': '<f4'}", f32(1), 1)));
        DataException missing = assertThrows(DataException.class, () -> Npy.readNpz(p, "x_test"));
        assertTrue(missing.getMessage().contains(p.toString()) && missing.getMessage().contains("x_train"), missing.getMessage());
        DataException broken = assertThrows(DataException.class, () -> Npy.readNpz(p, "broken"));
        assertTrue(broken.getMessage().contains(p + ":broken") && broken.getMessage().contains("'fortran_order'"), broken.getMessage());
        Path notZip = write("plain.npz", npy("|u1", new int[] {1}, u8(1)));
        DataException e = assertThrows(DataException.class, () -> Npy.readNpz(notZip, "x"));
        assertTrue(e.getMessage().contains(notZip.toString()) && e.getMessage().contains("zip"), e.getMessage());
        byte[] zip = Files.readAllBytes(p);
        Path cut = write("cut.npz", Arrays.copyOf(zip, zip.length / 2));
        DataException c = assertThrows(DataException.class, () -> Npy.readNpz(cut, "x_train"));
        assertTrue(c.getMessage().contains(cut.toString()), c.getMessage());
    }

    @Test
    void damagedDeflateStreamIsNamed() throws Exception {
        Path p = dir.resolve("d.npz");
        float[] v = new float[4096];
        Arrays.fill(v, 1.5f);
        NpyWriter.npz(p, true, Map.of("x", npy("<f4", new int[] {4096}, f32(v))));
        byte[] zip = Files.readAllBytes(p);
        for (int i = 60; i < 90; i++) {
            zip[i] ^= 0x5a; // inside the compressed data, past the local header
        }
        Path bad = write("bad.npz", zip);
        DataException e = assertThrows(DataException.class, () -> Npy.readNpz(bad, "x"));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    }
}
