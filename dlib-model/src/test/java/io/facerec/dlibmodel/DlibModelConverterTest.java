package io.facerec.dlibmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The converter on the real face-api weights (fetched into .cache/models by this module's build). */
class DlibModelConverterTest {
    static final Path WEIGHTS = Path.of(System.getProperty("facerec.root", ".."), ".cache/models/face-api-1.7.15");

    @Test
    void theSameWeightsGiveTheSameBytes() throws Exception {
        byte[] a = DlibModelConverter.convert(WEIGHTS);
        byte[] b = DlibModelConverter.convert(WEIGHTS);
        assertArrayEquals(a, b);
        // 8-bit codes inside: about a quarter of the 22.4 MB a float graph would take
        assertTrue(a.length < 7_000_000, "model bytes: " + a.length);
    }

    @Test
    void aWrongPinStopsTheBuildWithTheSumAndWritesNothing(@TempDir Path out) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                DlibModelConverter.main(new String[] {WEIGHTS.toString(), out.toString(), "0".repeat(64)}));
        assertTrue(e.getMessage().contains("has SHA-256 ") && e.getMessage().contains("dlib.onnx.sha256"), e.getMessage());
        assertFalse(Files.exists(out.resolve(DlibModelConverter.FILE)));
    }

    @Test
    void theRightPinWritesTheModelAndItsLicence(@TempDir Path out) throws Exception {
        String sum = DlibModelConverter.sha256(DlibModelConverter.convert(WEIGHTS));
        DlibModelConverter.main(new String[] {WEIGHTS.toString(), out.toString(), sum});
        assertEquals(sum, DlibModelConverter.sha256(Files.readAllBytes(out.resolve(DlibModelConverter.FILE))));
        assertTrue(Files.readString(out.resolve("LICENSE")).contains("MIT License"));
    }

    @Test
    void varintsAreLittleEndianBase128() {
        assertArrayEquals(new byte[] {0x08, (byte) 0xAC, 0x02}, new OnnxProto().varint(1, 300).toByteArray());
        assertArrayEquals(new byte[] {0x12, 0x02, 'h', 'i'}, new OnnxProto().string(2, "hi").toByteArray());
    }
}
