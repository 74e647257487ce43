package io.facerec.model.gallery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NpyCodecTest {

    /** Builds a .npy file by hand: header dict padded with spaces to a multiple of 64, then data. */
    static byte[] npy(int major, String dict, byte[] data) {
        int lenBytes = major == 1 ? 2 : 4;
        int unpadded = 6 + 2 + lenBytes + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        byte[] h = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(6 + 2 + lenBytes + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'}).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) h.length);
        } else {
            b.putInt(h.length);
        }
        return b.put(h).put(data).array();
    }

    static byte[] floats(ByteOrder order, float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(order);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    static byte[] doubles(double... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) {
            b.putDouble(d);
        }
        return b.array();
    }

    @Test
    void roundTripKeepsShapeAndValues() throws Exception {
        FloatMatrix m = new FloatMatrix(3, 4, new float[] {1, 2, 3, 4, -1, -2.5f, 0, 7, 1e-7f, 3e7f, 9, 10});
        byte[] bytes = NpyCodec.write(m);
        assertEquals(0, (bytes.length - 12 * 4) % 64, "header padded to 64 bytes as numpy does");
        assertEquals(m, NpyCodec.read(bytes, "m.npy"));
    }

    @Test
    void roundTripOfEmptyGallery() throws Exception {
        FloatMatrix m = new FloatMatrix(0, 512, new float[0]);
        assertEquals(m, NpyCodec.read(NpyCodec.write(m), "empty.npy"));
    }

    @Test
    void readsVersion1Header() throws Exception {
        byte[] f = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }",
                floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4));
        FloatMatrix m = NpyCodec.read(f, "v1.npy");
        assertEquals(2, m.rows());
        assertArrayEquals(new float[] {1, 2, 3, 4}, m.data());
    }

    @Test
    void readsVersion2HeaderWithFloat64() throws Exception {
        byte[] f = npy(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 3), }", doubles(0.5, -0.25, 2));
        assertArrayEquals(new float[] {0.5f, -0.25f, 2f}, NpyCodec.read(f, "v2.npy").data());
    }

    @Test
    void readsVersion3HeaderWithDoubleQuotesAndBigEndian() throws Exception {
        byte[] f = npy(3, "{\"descr\": \">f4\", \"fortran_order\": False, \"shape\": (1, 2)}",
                floats(ByteOrder.BIG_ENDIAN, 1.5f, -3f));
        assertArrayEquals(new float[] {1.5f, -3f}, NpyCodec.read(f, "v3.npy").data());
    }

    @Test
    void refusesFortranOrder() {
        byte[] f = npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16]);
        var e = assertThrows(GalleryFormatException.class, () -> NpyCodec.read(f, "enc.npy"));
        assertTrue(e.getMessage().startsWith("enc.npy: Fortran-order"), e.getMessage());
    }

    @Test
    void refusesIntegerDtype() {
        byte[] f = npy(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }", new byte[16]);
        var e = assertThrows(GalleryFormatException.class, () -> NpyCodec.read(f, "enc.npy"));
        assertEquals("enc.npy: dtype '<i4' is not supported (float32 '<f4' or float64 '<f8' are)", e.getMessage());
    }

    @Test
    void refusesOneAndThreeDimensions() {
        byte[] one = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new byte[16]);
        byte[] three = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 2), }", new byte[16]);
        assertTrue(assertThrows(GalleryFormatException.class, () -> NpyCodec.read(one, "a.npy"))
                .getMessage().contains("not 2-D"));
        assertTrue(assertThrows(GalleryFormatException.class, () -> NpyCodec.read(three, "b.npy"))
                .getMessage().contains("not 2-D"));
    }

    @Test
    void refusesTruncatedAndOverlongData() {
        byte[] shortData = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", new byte[12]);
        byte[] longData = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", new byte[20]);
        assertEquals("t.npy: shape (2, 2) of <f4 needs 16 data bytes, the file has 12 (truncated)",
                assertThrows(GalleryFormatException.class, () -> NpyCodec.read(shortData, "t.npy")).getMessage());
        assertTrue(assertThrows(GalleryFormatException.class, () -> NpyCodec.read(longData, "t.npy"))
                .getMessage().contains("the file has 20"));
    }

    @Test
    void refusesNonNpyAndUnknownVersion() {
        var e = assertThrows(GalleryFormatException.class,
                () -> NpyCodec.read("[1, 2, 3]".getBytes(StandardCharsets.UTF_8), "x.npy"));
        assertTrue(e.getMessage().contains("not a NumPy .npy file"));
        byte[] v4 = npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }", new byte[4]);
        v4[6] = 4;
        assertTrue(assertThrows(GalleryFormatException.class, () -> NpyCodec.read(v4, "x.npy"))
                .getMessage().contains("version 4.0 is not supported"));
    }

    @Test
    void refusesHeaderWithoutShape() {
        byte[] f = npy(1, "{'descr': '<f4', 'fortran_order': False, }", new byte[0]);
        assertTrue(assertThrows(GalleryFormatException.class, () -> NpyCodec.read(f, "x.npy"))
                .getMessage().contains("no valid 'shape'"));
    }

    @Test
    void refusesHeaderLongerThanFile() {
        byte[] f = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }", new byte[4]);
        byte[] cut = java.util.Arrays.copyOf(f, 30);
        assertTrue(assertThrows(GalleryFormatException.class, () -> NpyCodec.read(cut, "x.npy"))
                .getMessage().contains("truncated .npy header"));
    }

    @Test
    void refusesShapesWhoseSizeOverflowsByName() {
        // 2^32 x 2^32 wraps to 0 elements in 64-bit arithmetic: an empty file must not pass for it
        byte[] wraps = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", new byte[0]);
        assertEquals("w.npy: shape (4294967296, 4294967296) is too large (at most 65536 numbers a row and "
                        + "2147483639 in all)",
                assertThrows(GalleryFormatException.class, () -> NpyCodec.read(wraps, "w.npy")).getMessage());
        // the product overflows a long and turns negative
        byte[] negative = npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3037000500, 3037000500), }", new byte[0]);
        assertTrue(assertThrows(GalleryFormatException.class, () -> NpyCodec.read(negative, "n.npy"))
                .getMessage().startsWith("n.npy: shape (3037000500, 3037000500) is too large"));
        // each dimension alone is held to its limit, whatever the data
        byte[] wide = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 65537), }", new byte[0]);
        byte[] tall = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 0), }", new byte[0]);
        assertTrue(assertThrows(GalleryFormatException.class, () -> NpyCodec.read(tall, "t.npy"))
                .getMessage().startsWith("t.npy: shape (4294967296, 0) is too large"));
        assertTrue(assertThrows(GalleryFormatException.class, () -> NpyCodec.read(wide, "d.npy"))
                .getMessage().startsWith("d.npy: shape (0, 65537) is too large"));
        byte[] huge = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999, 2), }", new byte[0]);
        assertTrue(assertThrows(GalleryFormatException.class, () -> NpyCodec.read(huge, "h.npy"))
                .getMessage().startsWith("h.npy: .npy shape"));
    }
}
