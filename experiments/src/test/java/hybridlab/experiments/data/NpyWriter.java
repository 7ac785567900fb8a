package hybridlab.experiments.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes .npy and .npz files the way numpy.save / numpy.savez do, for the loader tests. */
final class NpyWriter {
    private NpyWriter() {
    }

    /** {@code numpy.save}'s bytes: the header dict padded with spaces to a multiple of 64 bytes, ending in a newline. */
    static byte[] npy(String descr, int[] shape, byte[] data, int major) {
        return withHeader("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape(shape) + ", }", data, major);
    }

    static byte[] npy(String descr, int[] shape, byte[] data) {
        return npy(descr, shape, data, 1);
    }

    /** Any header text, padded as numpy pads it. */
    static byte[] withHeader(String dict, byte[] data, int major) {
        int lenBytes = major == 1 ? 2 : 4, prefix = 8 + lenBytes;
        byte[] text = dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int pad = (64 - (prefix + text.length + 1) % 64) % 64;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        int len = text.length + pad + 1;
        ByteBuffer l = ByteBuffer.allocate(lenBytes).order(ByteOrder.LITTLE_ENDIAN);
        if (lenBytes == 2) {
            l.putShort((short) len);
        } else {
            l.putInt(len);
        }
        b.writeBytes(l.array());
        b.writeBytes(text);
        b.writeBytes(" ".repeat(pad).getBytes(StandardCharsets.ISO_8859_1));
        b.write('\n');
        b.writeBytes(data);
        return b.toByteArray();
    }

    static String shape(int[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }

    static byte[] u8(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    static byte[] i64(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putLong(x);
        }
        return b.array();
    }

    static byte[] i32(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putInt(x);
        }
        return b.array();
    }

    /** An archive of {@code NAME.npy} entries, stored (numpy.savez) or deflated (numpy.savez_compressed). */
    static void npz(Path file, boolean deflate, Map<String, byte[]> arrays) throws IOException {
        try (OutputStream o = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(o)) {
            for (Map.Entry<String, byte[]> a : arrays.entrySet()) {
                ZipEntry e = new ZipEntry(a.getKey() + ".npy");
                if (!deflate) {
                    CRC32 crc = new CRC32();
                    crc.update(a.getValue());
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(a.getValue().length);
                    e.setCompressedSize(a.getValue().length);
                    e.setCrc(crc.getValue());
                }
                z.putNextEntry(e);
                z.write(a.getValue());
                z.closeEntry();
            }
        }
    }
}
