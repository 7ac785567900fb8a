package hybridlab.experiments.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reader for NumPy's {@code .npy} format (versions 1.0, 2.0 and 3.0) and for arrays inside an
 * {@code .npz} archive (a zip of {@code .npy} files, stored or deflated), as NumPy's
 * {@code numpy.lib.format} writes them: the magic {@code \x93NUMPY}, two version bytes, the header
 * length (2 bytes little-endian in 1.0, 4 in 2.0 and 3.0), then a Python dict literal with exactly
 * the keys {@code descr}, {@code fortran_order} and {@code shape}, then the data. Reads
 * little-endian (or single-byte) integers and float32, in C order. Every error names the array's
 * source and, for the header, the field.
 */
public final class Npy {
    private Npy() {
    }

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** The element types read; {@code code} is NumPy's kind and size ({@code dtype.str} without the byte order). */
    public enum DType {
        UINT8("u1", 1, true), INT8("i1", 1, true), UINT16("u2", 2, true), INT16("i2", 2, true), UINT32("u4", 4, true),
        INT32("i4", 4, true), INT64("i8", 8, true), FLOAT32("f4", 4, false);

        final String code;
        final int bytes;
        final boolean integer;

        DType(String code, int bytes, boolean integer) {
            this.code = code;
            this.bytes = bytes;
            this.integer = integer;
        }

        public boolean integer() {
            return integer;
        }

        /** NumPy's name, for messages. */
        public String numpyName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One array: where it came from (a file, or {@code file:entry}), its type and shape, its data little-endian. */
    public record Array(String source, DType dtype, int[] shape, ByteBuffer data) {
        public long elements() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        /** Element {@code i} of an integer array. */
        public long integer(int i) {
            return switch (dtype) {
                case UINT8 -> data.get(i) & 0xffL;
                case INT8 -> data.get(i);
                case UINT16 -> data.getShort(2 * i) & 0xffffL;
                case INT16 -> data.getShort(2 * i);
                case UINT32 -> data.getInt(4 * i) & 0xffffffffL;
                case INT32 -> data.getInt(4 * i);
                case INT64 -> data.getLong(8 * i);
                case FLOAT32 -> throw new IllegalStateException(source + " holds floats");
            };
        }

        public String shapeText() {
            return shapeText(shape);
        }

        static String shapeText(int[] shape) {
            StringBuilder b = new StringBuilder("(");
            for (int i = 0; i < shape.length; i++) {
                b.append(i > 0 ? ", " : "").append(shape[i]);
            }
            return b.append(shape.length == 1 ? ",)" : ")").toString();
        }
    }

    public static Array read(Path file) throws DataException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(file.toString(), in);
        } catch (NoSuchFileException e) {
            throw new DataException(file, "is missing");
        } catch (IOException e) {
            throw new DataException(file, "cannot be read: " + e.getMessage());
        }
    }

    /** Array {@code name} (with or without its {@code .npy} suffix) of the archive {@code file}. */
    public static Array readNpz(Path file, String name) throws DataException {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file, "is missing");
        }
        String entryName = name.endsWith(".npy") ? name : name + ".npy";
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(entryName);
            if (entry == null) {
                throw new DataException(file, "has no array '" + name + "' (it holds " + arrayNames(zip) + ")");
            }
            String source = file + ":" + name;
            try (InputStream in = new BufferedInputStream(zip.getInputStream(entry), 1 << 16)) {
                return read(source, in);
            } catch (IOException e) {
                throw new DataException(source + " cannot be read (damaged archive entry?): " + e.getMessage());
            }
        } catch (ZipException e) {
            throw new DataException(file, "is not a readable .npz (zip) archive: " + e.getMessage());
        } catch (IOException e) {
            throw new DataException(file, "cannot be read: " + e.getMessage());
        }
    }

    private static List<String> arrayNames(ZipFile zip) {
        List<String> names = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            String n = e.nextElement().getName();
            names.add(n.endsWith(".npy") ? n.substring(0, n.length() - 4) : n);
        }
        return names;
    }

    /** Reads one {@code .npy} stream to its end; {@code source} names it in errors. */
    static Array read(String source, InputStream in) throws IOException, DataException {
        byte[] magic = in.readNBytes(MAGIC.length + 2);
        if (magic.length < MAGIC.length + 2 || !Arrays.equals(magic, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new DataException(source + " is not a .npy array (bad magic: expected \\x93NUMPY)");
        }
        int major = magic[6] & 0xff, minor = magic[7] & 0xff;
        if (major < 1 || major > 3 || minor != 0) {
            throw new DataException(source + " has .npy format version " + major + "." + minor + "; supported: 1.0, 2.0, 3.0");
        }
        int lenBytes = major == 1 ? 2 : 4;
        byte[] len = in.readNBytes(lenBytes);
        if (len.length < lenBytes) {
            throw new DataException(source + " is truncated inside its header");
        }
        long headerLen = lenBytes == 2 ? ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff
                : ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        if (headerLen > 1 << 20) {
            throw new DataException(source + " declares a header of " + headerLen + " bytes; not a .npy array?");
        }
        byte[] header = in.readNBytes((int) headerLen);
        if (header.length < headerLen) {
            throw new DataException(source + " is truncated inside its header (" + header.length + " of " + headerLen + " bytes)");
        }
        Header h = Header.parse(source, new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
        long bytes = h.elements() * h.dtype.bytes;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new DataException(source + " holds " + bytes + " bytes of data; arrays over 2 GiB are not supported");
        }
        byte[] data = in.readNBytes((int) bytes);
        if (data.length < bytes) {
            throw new DataException(source + " is truncated: its header promises " + bytes + " data bytes (shape "
                    + Array.shapeText(h.shape) + ", " + h.dtype.numpyName() + "), it holds " + data.length);
        }
        if (in.read() != -1) {
            throw new DataException(source + " has bytes after the " + bytes + " data bytes its header describes");
        }
        return new Array(source, h.dtype, h.shape, ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN));
    }

    /** The parsed header dict. */
    record Header(DType dtype, int[] shape) {
        long elements() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        static Header parse(String source, String text) throws DataException {
            Map<String, Object> dict = new Literal(source, text).dict();
            for (String key : dict.keySet()) {
                if (!List.of("descr", "fortran_order", "shape").contains(key)) {
                    throw new DataException(source + " header has the unknown field '" + key + "'; expected descr, fortran_order, shape");
                }
            }
            Object descr = field(source, dict, "descr"), fortran = field(source, dict, "fortran_order"), shape = field(source, dict, "shape");
            if (!(descr instanceof String d)) {
                throw new DataException(source + " header field 'descr' is " + descr + ", not a simple type such as '<f4' (structured arrays are not supported)");
            }
            if (!(fortran instanceof Boolean f)) {
                throw new DataException(source + " header field 'fortran_order' is " + fortran + ", expected True or False");
            }
            if (f) {
                throw new DataException(source + " header field 'fortran_order' is True; save the array in C order (numpy.ascontiguousarray)");
            }
            if (!(shape instanceof int[] s)) {
                throw new DataException(source + " header field 'shape' is " + shape + ", expected a tuple of sizes");
            }
            DType t = dtype(source, d);
            try {
                long n = t.bytes;
                for (int dim : s) {
                    n = Math.multiplyExact(n, dim);
                }
            } catch (ArithmeticException e) {
                throw new DataException(source + " header field 'shape' " + Array.shapeText(s) + " is implausibly large");
            }
            return new Header(t, s);
        }

        private static Object field(String source, Map<String, Object> dict, String key) throws DataException {
            if (!dict.containsKey(key)) {
                throw new DataException(source + " header has no '" + key + "' field");
            }
            return dict.get(key);
        }

        private static DType dtype(String source, String descr) throws DataException {
            String supported = "supported: '|u1' (uint8), '<f4' (float32), '<i8', '<i4', '<u4', '<i2', '<u2', '|i1'";
            if (descr.length() < 2) {
                throw new DataException(source + " header field 'descr' is '" + descr + "'; " + supported);
            }
            char order = descr.charAt(0);
            String code = "<>|=".indexOf(order) >= 0 ? descr.substring(1) : descr;
            for (DType t : DType.values()) {
                if (t.code.equals(code)) {
                    if (t.bytes > 1 && order != '<') {
                        throw new DataException(source + " header field 'descr' is '" + descr + "': big-endian or unordered data is not "
                                + "supported; save it little-endian (array.astype('<" + code + "'))");
                    }
                    return t;
                }
            }
            String advice = code.equals("f8") ? " (float64: save it as float32 with array.astype('float32'))" : "";
            throw new DataException(source + " header field 'descr' is '" + descr + "'" + advice + "; " + supported);
        }
    }

    /** The few Python literals a .npy header holds: a dict of strings to strings, booleans and tuples of integers. */
    private static final class Literal {
        /** A structured dtype's field list, which is read only to be refused. */
        static final Object STRUCTURED = new Object() {
            @Override
            public String toString() {
                return "a list of fields";
            }
        };

        private final String source, text;
        private int pos;

        Literal(String source, String text) {
            this.source = source;
            this.text = text;
        }

        Map<String, Object> dict() throws DataException {
            expect('{');
            Map<String, Object> out = new LinkedHashMap<>();
            while (peek() != '}') {
                String key = string();
                expect(':');
                if (out.put(key, value()) != null) {
                    throw error("field '" + key + "' appears twice");
                }
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
            pos++;
            if (peek() != 0) {
                throw error("unexpected text after the dict");
            }
            return out;
        }

        private Object value() throws DataException {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple();
            }
            if (text.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (c == '[') {
                skipList();
                return STRUCTURED;
            }
            throw error("unexpected value");
        }

        /** Steps over a structured dtype's list, only to name it in the error that follows. */
        private void skipList() throws DataException {
            int depth = 0;
            char quote = 0;
            for (; pos < text.length(); pos++) {
                char c = text.charAt(pos);
                if (quote != 0) {
                    quote = c == quote ? 0 : quote;
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '[' || c == '(') {
                    depth++;
                } else if ((c == ']' || c == ')') && --depth == 0) {
                    pos++;
                    return;
                }
            }
            throw error("unterminated list");
        }

        private int[] tuple() throws DataException {
            expect('(');
            List<Integer> dims = new ArrayList<>();
            while (peek() != ')') {
                int start = pos;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
                if (start == pos) {
                    throw error("'shape' holds something other than a non-negative integer");
                }
                long d = Long.parseLong(text.substring(start, Math.min(pos, start + 12)));
                if (pos - start > 10 || d > Integer.MAX_VALUE) {
                    throw error("'shape' has the implausible size " + text.substring(start, pos));
                }
                if (pos < text.length() && text.charAt(pos) == 'L') {
                    pos++; // Python 2's long suffix, in files written long ago
                }
                dims.add((int) d);
                if (peek() == ',') {
                    pos++;
                } else if (peek() != ')') {
                    throw error("expected ',' or ')' in 'shape'");
                }
            }
            pos++;
            return dims.stream().mapToInt(Integer::intValue).toArray();
        }

        private String string() throws DataException {
            char q = peek();
            if (q != '\'' && q != '"') {
                throw error("expected a quoted name");
            }
            int end = text.indexOf(q, ++pos);
            if (end < 0) {
                throw error("unterminated string");
            }
            String s = text.substring(pos, end);
            pos = end + 1;
            return s;
        }

        private void expect(char c) throws DataException {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        /** The next character that is not white space, or 0 at the end. */
        private char peek() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            return pos < text.length() ? text.charAt(pos) : 0;
        }

        private DataException error(String problem) {
            return new DataException(source + " has a header that is not a .npy dict (" + problem + " at character " + pos + " of "
                    + text.strip() + ")");
        }
    }
}
