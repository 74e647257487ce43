package io.facerec.model.gallery;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} reader and writer for 2-D float matrices, the format of the old system's
 * {@code encodings.npy}. Reads format 1.0, 2.0 and 3.0 headers, {@code <f4}/{@code <f8} (and their
 * big-endian forms), C order only. Writes format 1.0, {@code <f4}, 64-byte aligned as NumPy does.
 */
public final class NpyCodec {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    /** The most numbers one Java array holds. */
    public static final long MAX_VALUES = Integer.MAX_VALUE - 8;
    /** Far above any face embedding (dlib 128, ArcFace 512): a wider row is not a gallery. */
    public static final long MAX_DIMENSION = 65_536;

    private NpyCodec() {
    }

    /** Parses {@code bytes}; {@code source} names the file in error messages. */
    public static FloatMatrix read(byte[] bytes, String source) throws GalleryFormatException {
        if (bytes.length < 10 || !startsWithMagic(bytes)) {
            throw new GalleryFormatException(source + ": not a NumPy .npy file (no \\x93NUMPY magic)");
        }
        int major = bytes[6] & 0xff;
        int minor = bytes[7] & 0xff;
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int headerStart;
        switch (major) {
            case 1 -> {
                headerLen = in.getShort(8) & 0xffff;
                headerStart = 10;
            }
            case 2, 3 -> {
                if (bytes.length < 12) {
                    throw new GalleryFormatException(source + ": truncated .npy header");
                }
                headerLen = in.getInt(8) & 0xffffffffL;
                headerStart = 12;
            }
            default -> throw new GalleryFormatException(
                    source + ": .npy format version " + major + "." + minor + " is not supported (1.0, 2.0, 3.0 are)");
        }
        if (headerStart + headerLen > bytes.length) {
            throw new GalleryFormatException(source + ": truncated .npy header");
        }
        String header = new String(bytes, headerStart, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        String descr = group(DESCR, header, source, "descr");
        String fortran = group(FORTRAN, header, source, "fortran_order");
        String shapeText = group(SHAPE, header, source, "shape");
        if (fortran.equals("True")) {
            throw new GalleryFormatException(source + ": Fortran-order arrays are not supported; save with C order "
                    + "(numpy.ascontiguousarray)");
        }
        ByteOrder order;
        int width;
        switch (descr) {
            case "<f4", "=f4" -> { order = ByteOrder.LITTLE_ENDIAN; width = 4; }
            case ">f4" -> { order = ByteOrder.BIG_ENDIAN; width = 4; }
            case "<f8", "=f8" -> { order = ByteOrder.LITTLE_ENDIAN; width = 8; }
            case ">f8" -> { order = ByteOrder.BIG_ENDIAN; width = 8; }
            default -> throw new GalleryFormatException(
                    source + ": dtype '" + descr + "' is not supported (float32 '<f4' or float64 '<f8' are)");
        }
        long[] shape = parseShape(shapeText, source);
        if (shape.length != 2) {
            throw new GalleryFormatException(source + ": shape (" + shapeText.strip() + ") is not 2-D (rows, dimension)");
        }
        long count;
        try {
            count = Math.multiplyExact(shape[0], shape[1]);
        } catch (ArithmeticException e) {
            count = Long.MAX_VALUE;
        }
        if (shape[0] > MAX_VALUES || shape[1] > MAX_DIMENSION || count > MAX_VALUES) {
            throw new GalleryFormatException(source + ": shape (" + shape[0] + ", " + shape[1] + ") is too large (at most "
                    + MAX_DIMENSION + " numbers a row and " + MAX_VALUES + " in all)");
        }
        long dataStart = headerStart + headerLen;
        long expected = Math.multiplyExact(count, (long) width); // cannot overflow now: count < 2^31, width <= 8
        long actual = bytes.length - dataStart;
        if (actual != expected) {
            throw new GalleryFormatException(source + ": shape (" + shape[0] + ", " + shape[1] + ") of " + descr
                    + " needs " + expected + " data bytes, the file has " + actual
                    + (actual < expected ? " (truncated)" : ""));
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) dataStart, (int) expected).slice().order(order);
        float[] values = new float[(int) count];
        if (width == 4) {
            data.asFloatBuffer().get(values);
        } else {
            var doubles = data.asDoubleBuffer();
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) doubles.get(i);
            }
        }
        return new FloatMatrix((int) shape[0], (int) shape[1], values);
    }

    /** Writes a format 1.0 {@code <f4} C-order file, as {@code numpy.save} of a float32 array does. */
    public static byte[] write(FloatMatrix matrix) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + matrix.rows() + ", " + matrix.cols() + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + matrix.data().length * 4)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        out.asFloatBuffer().put(matrix.data());
        return out.array();
    }

    private static boolean startsWithMagic(byte[] bytes) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static String group(Pattern p, String header, String source, String key) throws GalleryFormatException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new GalleryFormatException(source + ": .npy header has no valid '" + key + "' entry");
        }
        return m.group(1);
    }

    private static long[] parseShape(String text, String source) throws GalleryFormatException {
        List<Long> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            if (p.endsWith("L")) { // Python 2 longs
                p = p.substring(0, p.length() - 1);
            }
            try {
                long d = Long.parseLong(p);
                if (d < 0) {
                    throw new NumberFormatException();
                }
                dims.add(d);
            } catch (NumberFormatException e) {
                throw new GalleryFormatException(source + ": .npy shape (" + text.strip() + ") is not a tuple of sizes");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }
}
