package io.facerec.dlibmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfjsWeightsTest {
    @TempDir
    Path dir;

    private void write(String weightsJson, byte[] bin) throws IOException {
        Files.writeString(dir.resolve(TfjsWeights.MANIFEST),
                "[{\"paths\":[\"w.bin\"],\"weights\":[" + weightsJson + "]}]");
        Files.write(dir.resolve("w.bin"), bin);
    }

    private static byte[] bin(byte[] codes, float... floats) {
        ByteBuffer b = ByteBuffer.allocate(codes.length + 4 * floats.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(codes);
        for (float f : floats) {
            b.putFloat(f);
        }
        return b.array();
    }

    static final String Q = "{\"name\":\"q\",\"shape\":[2,2],\"dtype\":\"float32\","
            + "\"quantization\":{\"dtype\":\"uint8\",\"scale\":0.5,\"min\":-1.0}}";
    static final String F = "{\"name\":\"f\",\"shape\":[3],\"dtype\":\"float32\"}";

    @Test
    void readsCodesAndFloatsInManifestOrder() throws IOException {
        write(Q + "," + F, bin(new byte[] {0, 1, 2, (byte) 255}, 1.5f, -2f, 3.25f));
        Map<String, TfjsWeights.Tensor> w = TfjsWeights.read(dir);
        assertEquals(java.util.List.of("q", "f"), java.util.List.copyOf(w.keySet()));
        assertArrayEquals(new float[] {-1f, -0.5f, 0f, 126.5f}, w.get("q").values(), "q * scale + min");
        assertArrayEquals(new int[] {2, 2}, w.get("q").shape());
        assertArrayEquals(new float[] {1.5f, -2f, 3.25f}, w.get("f").values());
    }

    @Test
    void aShortOrLongShardIsRefusedNamingFileAndTensor() throws IOException {
        write(Q + "," + F, bin(new byte[] {0, 1, 2, 3}, 1.5f, -2f));
        IOException e = assertThrows(IOException.class, () -> TfjsWeights.read(dir));
        assertTrue(e.getMessage().contains("w.bin") && e.getMessage().contains("tensor f"), e.getMessage());

        write(Q, bin(new byte[] {0, 1, 2, 3, 4}));
        e = assertThrows(IOException.class, () -> TfjsWeights.read(dir));
        assertTrue(e.getMessage().contains("1 bytes left"), e.getMessage());
    }

    @Test
    void otherQuantisationsAreRefused() throws IOException {
        write(Q.replace("uint8", "uint16"), bin(new byte[8]));
        IOException e = assertThrows(IOException.class, () -> TfjsWeights.read(dir));
        assertTrue(e.getMessage().contains("expected uint8"), e.getMessage());
    }
}
