package io.facerec.archiver.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.archiver.archive.Archiver;
import io.facerec.archiver.store.S3ArchiveStore;
import io.facerec.archiver.testing.ArchiveTestBed;
import io.facerec.archiver.testing.SimulatedGlacier;
import io.facerec.model.frame.FrameKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore: the state machine against a simulated Glacier (S3Proxy has no restore), the bytes
 * through ranged GETs against S3Proxy.
 */
class RestorerTest {
    static final Instant DAY = Instant.parse("2026-03-04T00:00:00Z");
    static ArchiveTestBed bed;
    /** The frames archived, key to bytes: 10:00-13:00 every 90 s, 160 frames. */
    static Map<String, byte[]> frames = new TreeMap<>();

    @BeforeAll
    static void archiveSomeHours() throws Exception {
        bed = new ArchiveTestBed();
        Random r = new Random(21);
        for (int i = 0; i < 160; i++) {
            Instant t = DAY.plus(Duration.ofHours(10)).plusSeconds(i * 90L).plusMillis(r.nextInt(1000));
            byte[] jpeg = ArchiveTestBed.jpeg(r, 64, 48);
            frames.put(bed.putFrame("porch", t, i, jpeg), jpeg);
        }
        try (Archiver a = bed.archiver(DAY.plus(Duration.ofDays(2)), ArchiveTestBed.config(Duration.ofDays(1), "GLACIER"))) {
            assertEquals(4, a.run(DAY.plus(Duration.ofDays(3))).bundlesWritten());
        }
        assertTrue(bed.keys("frames/").isEmpty());
    }

    @AfterAll
    static void stop() throws Exception {
        bed.close();
    }

    static Map<String, byte[]> expected(Instant from, Instant to) {
        return frames.entrySet().stream().filter(e -> {
            Instant t = FrameKey.parse(e.getKey()).orElseThrow().captureTime();
            return !t.isBefore(from) && t.isBefore(to);
        }).collect(Collectors.toMap(e -> e.getKey().substring(e.getKey().lastIndexOf('/') + 1), Map.Entry::getValue,
                (a, b) -> a, TreeMap::new));
    }

    static Map<String, byte[]> folder(Path dir) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                out.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    @Test
    void restoreIsRequestedOncePendsAndThenFetchesOnlyTheRequestedFramesByteIdentical(@TempDir Path out) throws Exception {
        SimulatedGlacier glacier = new SimulatedGlacier(new S3ArchiveStore(bed.s3, ArchiveTestBed.BUCKET), "GLACIER");
        Restorer restorer = new Restorer(glacier);
        // 10:40 to 12:10: parts of hours 10, 11 and 12 are needed, hour 13 is not
        Instant from = DAY.plus(Duration.ofMinutes(10 * 60 + 40));
        Instant to = DAY.plus(Duration.ofMinutes(12 * 60 + 10));
        Restorer.Request req = new Restorer.Request("porch", from, to, out, "Bulk", 2);

        Restorer.Report first = restorer.restore(req);
        assertEquals(3, first.with(Restorer.Outcome.RESTORE_REQUESTED).size());
        assertEquals(List.of("archive/porch/2026/03/04/10.tar Bulk 2", "archive/porch/2026/03/04/11.tar Bulk 2",
                "archive/porch/2026/03/04/12.tar Bulk 2"), glacier.restoreRequests);
        assertTrue(first.pending() && !first.failed());
        assertEquals(0, first.framesWritten());
        assertTrue(folder(out).isEmpty());

        Restorer.Report second = restorer.restore(req);
        assertEquals(3, second.with(Restorer.Outcome.RESTORE_IN_PROGRESS).size());
        assertEquals(3, glacier.restoreRequests.size(), "a restore in progress is not requested again");
        assertTrue(glacier.reads.isEmpty());

        glacier.finishRestores();
        Restorer.Report third = restorer.restore(req);
        assertFalse(third.pending());
        Map<String, byte[]> want = expected(from, to);
        assertEquals(want.size(), third.framesWritten());
        Map<String, byte[]> got = folder(out);
        assertEquals(want.keySet(), got.keySet(), "exactly the requested frames, under their original names");
        want.forEach((name, bytes) -> assertArrayEquals(bytes, got.get(name), name));
        // ranged GETs: contiguous frames of a part come in one range, never the whole tar
        assertEquals(3, glacier.reads.size(), glacier.reads.toString());

        Restorer.Report fourth = restorer.restore(req);
        assertEquals(0, fourth.framesWritten());
        assertEquals(want.size(), fourth.framesAlreadyHere());
        assertEquals(3, glacier.reads.size(), "a finished restore reads nothing again");
    }

    @Test
    void aRunPicksUpWhereItLeftOffAndReplacesADamagedFrame(@TempDir Path out) throws Exception {
        SimulatedGlacier glacier = new SimulatedGlacier(new S3ArchiveStore(bed.s3, ArchiveTestBed.BUCKET), "DEEP_ARCHIVE");
        Restorer restorer = new Restorer(glacier);
        Instant from = DAY.plus(Duration.ofHours(11));
        Instant to = DAY.plus(Duration.ofHours(13));
        Restorer.Request req = new Restorer.Request("porch", from, to, out, "Standard", 5);
        restorer.restore(req);
        glacier.finishRestores();
        Map<String, byte[]> want = expected(from, to);
        // an earlier run got half of hour 11, and one file was damaged since
        List<String> names = List.copyOf(want.keySet());
        for (String n : names.subList(0, 20)) {
            Files.write(out.resolve(n), want.get(n));
        }
        Files.write(out.resolve(names.get(3)), new byte[] {1, 2, 3});
        Restorer.Report r = restorer.restore(req);
        assertEquals(19, r.framesAlreadyHere());
        assertEquals(want.size() - 19, r.framesWritten());
        Map<String, byte[]> got = folder(out);
        assertEquals(want.keySet(), got.keySet());
        want.forEach((name, bytes) -> assertArrayEquals(bytes, got.get(name), name));
    }

    @Test
    void aTamperedBundleIsReportedAndNotWritten(@TempDir Path out) throws Exception {
        // the range read returns other bytes: the SHA-256 in the index catches it
        bed.calls.rewriteResponses((op, key) -> op.equals("GetObject") && key.endsWith("12.tar"),
                b -> {
                    b[0] ^= 1; // the range starts with a frame's first byte
                    return b;
                });
        try {
            Restorer.Report r = new Restorer(new S3ArchiveStore(bed.s3, ArchiveTestBed.BUCKET)).restore(
                    new Restorer.Request("porch", DAY.plus(Duration.ofHours(12)), DAY.plus(Duration.ofHours(13)), out,
                            "Bulk", 1));
            assertTrue(r.failed());
            assertTrue(r.with(Restorer.Outcome.FAILED).getFirst().detail().contains("does not match its SHA-256"));
            try (Stream<Path> s = Files.list(out)) {
                assertTrue(s.noneMatch(p -> p.toString().endsWith(".jpg")), "no corrupt frame written");
            }
        } finally {
            bed.calls.reset();
        }
    }

    @Test
    void aFramesBundleIsFoundFromItsKeyAlone() throws Exception {
        S3ArchiveStore store = new S3ArchiveStore(bed.s3, ArchiveTestBed.BUCKET);
        for (String key : Set.of(frames.keySet().iterator().next(), ((TreeMap<String, byte[]>) frames).lastKey())) {
            assertArrayEquals(frames.get(key), new ArchivedFrames(store).read(FrameKey.parse(key).orElseThrow()).orElseThrow());
        }
        assertTrue(new ArchivedFrames(store).read(new FrameKey("porch", DAY.toEpochMilli() + 11 * 3600_000L, 77777)).isEmpty());
    }
}
