package io.facerec.model.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FrameKeyTest {
    @Test
    void keyUsesTheUtcDateOfTheCapture() {
        // 2026-12-31T23:59:59.999Z is already 1 January in UTC+1: the folder must still say 31 December
        long t = Instant.parse("2026-12-31T23:59:59.999Z").toEpochMilli();
        FrameKey k = new FrameKey("front-door", t, 42);
        assertEquals("frames/front-door/2026/12/31/" + t + "-42.jpg", k.toKey());
        assertEquals(Optional.of(k), FrameKey.parse(k.toKey()));
    }

    @Test
    void parseRefusesKeysNotMadeByTheScheme() {
        assertTrue(FrameKey.parse("frames/cam/manual upload.jpg").isEmpty());
        assertTrue(FrameKey.parse("frames/cam/2026/01/02/1767225600000-1.jpg").isEmpty(), "date folder disagrees");
        assertTrue(FrameKey.parse("enroll/ana/a.jpg").isEmpty());
        assertTrue(FrameKey.parse("frames/../2026/01/01/1767225600000-1.jpg").isEmpty());
    }

    @Test
    void cameraIdsMustBePathSafe() {
        assertThrows(IllegalArgumentException.class, () -> new FrameKey("a/b", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new FrameKey("", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new FrameKey("..", 0, 0));
    }

    @Test
    void metadataRoundTripsAndFallsBackToTheKey() {
        FrameKey k = new FrameKey("cam1", 1_000_000, 7);
        FrameMetadata m = new FrameMetadata("cam1", Instant.ofEpochMilli(1_000_123), 7, "0.1.0");
        assertEquals(m, FrameMetadata.from(m.toMap(), k));
        FrameMetadata fallback = FrameMetadata.from(Map.of("capture-time", "yesterday", "sequence", "x"), k);
        assertEquals(k.captureTime(), fallback.captureTime());
        assertEquals(7, fallback.sequence());
        assertEquals("unknown", fallback.forwarderVersion());
    }
}
