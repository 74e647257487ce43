package io.facerec.model.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameMetadataTest {
    static final FrameKey KEY = new FrameKey("cam1", 1_000_000, 7);

    static FrameMetadata withUrl(String url) {
        return new FrameMetadata("cam1", Instant.ofEpochMilli(1_000_123), 7, "0.1.0", url);
    }

    @Test
    void streamUrlTravelsAndReadsBack() {
        FrameMetadata m = withUrl("http://192.168.1.50:81/stream");
        assertEquals("http://192.168.1.50:81/stream", m.toMap().get(FrameMetadata.STREAM_URL));
        assertEquals(m, FrameMetadata.from(m.toMap(), KEY));
        assertNull(FrameMetadata.from(new FrameMetadata("cam1", Instant.EPOCH, 1, "0.1.0").toMap(), KEY).streamUrl(),
                "no URL from a forwarder that did not send one");
    }

    @Test
    void valuesAreAsciiOnly() {
        FrameMetadata m = withUrl("http://cámara.local:81/entrada principal/ñ\u0007");
        String sent = m.toMap().get(FrameMetadata.STREAM_URL);
        assertEquals("http://c%C3%A1mara.local:81/entrada%20principal/%C3%B1%07", sent);
        for (String v : m.toMap().values()) {
            assertTrue(v.chars().allMatch(c -> c > 0x20 && c < 0x7f), "printable US-ASCII: " + v);
        }
    }

    @Test
    void aUrlThatWouldPassS3sTwoKilobytesIsLeftOutNotCut() {
        String base = "http://cam.example/stream?q=";
        // the largest URL that fits next to these entries, and one byte more
        int room = FrameMetadata.MAX_USER_METADATA_BYTES - FrameMetadata.size(withUrl(null).toMap())
                - FrameMetadata.STREAM_URL.length();
        String fits = base + "a".repeat(room - base.length());
        String over = fits + "a";
        Map<String, String> meta = withUrl(fits).toMap();
        assertEquals(fits, meta.get(FrameMetadata.STREAM_URL));
        assertEquals(FrameMetadata.MAX_USER_METADATA_BYTES, FrameMetadata.size(meta));
        assertEquals(FrameMetadata.MAX_USER_METADATA_BYTES,
                meta.entrySet().stream().mapToInt(e -> (e.getKey() + e.getValue()).getBytes(StandardCharsets.UTF_8).length).sum());
        assertFalse(withUrl(over).toMap().containsKey(FrameMetadata.STREAM_URL));
        assertTrue(withUrl(over).toMap().size() == 4, "the other entries still travel");
        assertTrue(FrameMetadata.streamUrlFits("http://192.168.1.50:81/stream"));
        assertFalse(FrameMetadata.streamUrlFits("http://cam/" + "x".repeat(2000)));
    }
}
