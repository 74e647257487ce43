package io.facerec.forwarder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.forwarder.spool.FrameSpool;
import io.facerec.model.frame.FrameKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameSpoolTest {
    static final Clock NOW = Clock.fixed(Instant.ofEpochMilli(10_000_000), ZoneOffset.UTC);

    @Test
    void framesComeOutInCaptureOrderAndSurviveARestart(@TempDir Path dir) throws Exception {
        FrameSpool s = new FrameSpool(dir, 1 << 20, Duration.ofHours(1), NOW, n -> { });
        s.put(new FrameKey("a", 9_999_000, 2), new byte[] {3});
        s.put(new FrameKey("a", 9_998_000, 1), new byte[] {2});
        s.put(new FrameKey("b", 9_997_000, 0), new byte[] {1});
        assertEquals(new FrameKey("a", 9_998_000, 1), s.oldest("a").orElseThrow());
        Files.writeString(dir.resolve("a").resolve("123-4.jpg.tmp"), "half-written");
        FrameSpool again = new FrameSpool(dir, 1 << 20, Duration.ofHours(1), NOW, n -> { });
        assertEquals(3, again.depth());
        assertEquals(3, again.bytes());
        assertArrayEquals(new byte[] {2}, again.read(again.oldest("a").orElseThrow()));
        assertTrue(Files.notExists(dir.resolve("a").resolve("123-4.jpg.tmp")), "unfinished write removed");
        again.remove(new FrameKey("a", 9_998_000, 1));
        assertEquals(new FrameKey("a", 9_999_000, 2), again.oldest("a").orElseThrow());
    }

    @Test
    void sizeCapDropsTheOldestFramesAcrossCamerasAndCountsThem(@TempDir Path dir) throws Exception {
        AtomicLong evicted = new AtomicLong();
        FrameSpool s = new FrameSpool(dir, 250, Duration.ofHours(1), NOW, k -> evicted.incrementAndGet());
        s.put(new FrameKey("a", 9_000_001, 0), new byte[100]);
        s.put(new FrameKey("b", 9_000_002, 0), new byte[100]);
        s.put(new FrameKey("a", 9_000_003, 1), new byte[100]);
        assertEquals(1, evicted.get());
        assertEquals(2, s.depth());
        assertEquals(new FrameKey("a", 9_000_003, 1), s.oldest("a").orElseThrow(), "a's oldest went first");
    }

    @Test
    void ageCapDropsFramesOlderThanTheLimit(@TempDir Path dir) throws Exception {
        AtomicLong evicted = new AtomicLong();
        FrameSpool s = new FrameSpool(dir, 1 << 20, Duration.ofMinutes(1), NOW, k -> evicted.incrementAndGet());
        s.put(new FrameKey("a", NOW.millis() - 120_000, 0), new byte[10]);
        assertEquals(1, evicted.get());
        assertEquals(0, s.depth());
    }
}
