package io.facerec.archiver.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facerec.archiver.config.ArchiverConfig;
import io.facerec.archiver.testing.ArchiveTestBed;
import io.facerec.archiver.testing.SdkCalls;
import io.facerec.model.frame.BundleKey;
import io.facerec.model.frame.FrameKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archiver against S3Proxy: bundles, verification before deletion, crashes, late frames. */
class ArchiverIntegrationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant DAY = Instant.parse("2026-03-04T00:00:00Z");
    /** Two days later: with a one-day hot window, all of DAY is ready and the day after only partly. */
    static final Instant NOW = Instant.parse("2026-03-06T00:30:00Z");
    static final Duration HOT = Duration.ofDays(1);
    static final Instant FAR = NOW.plus(Duration.ofHours(1));

    /** One server for the class (a server per test churned loopback ports under load); each test starts empty. */
    static ArchiveTestBed bed;

    @BeforeAll
    static void start() throws Exception {
        bed = new ArchiveTestBed(ArchiverIntegrationTest.class);
    }

    @BeforeEach
    void empty() {
        bed.clear();
    }

    @AfterAll
    static void stop() throws Exception {
        bed.close();
    }

    /** A day of frames for a camera at random times, plus both ends of an hour; key to bytes. */
    Map<String, byte[]> dayOfFrames(String camera, int count, long seed) {
        Random r = new Random(seed);
        Map<String, byte[]> out = new TreeMap<>();
        List<Instant> times = new ArrayList<>();
        times.add(DAY.plus(Duration.ofHours(13)));                       // first instant of 13:00
        times.add(DAY.plus(Duration.ofHours(14)).minusMillis(1));         // last instant of 13:00
        times.add(DAY.plus(Duration.ofDays(1)).minusMillis(1));           // 23:59:59.999
        while (times.size() < count) {
            // bunched in the waking hours, as a doorway camera sees them, so some hours stay empty
            long ms = (long) (Math.abs(r.nextGaussian()) * 5 * 3600_000L) + 6 * 3600_000L;
            if (ms < 86_400_000L) {
                times.add(DAY.plusMillis(ms));
            }
        }
        long seq = 0;
        for (Instant t : times) {
            byte[] jpeg = ArchiveTestBed.jpeg(r, 48, 32);
            out.put(bed.putFrame(camera, t, seq++, jpeg), jpeg);
        }
        return out;
    }

    static Set<String> hoursOf(Map<String, byte[]> frames) {
        return frames.keySet().stream().map(k -> BundleKey.of(FrameKey.parse(k).orElseThrow()).tarKey())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void aDayOfTwoCamerasBecomesOneBundlePerCameraHourThatAStandardTarOpensByteIdentical(@TempDir Path tmp)
            throws Exception {
        Map<String, byte[]> frames = new TreeMap<>(dayOfFrames("front-door", 150, 1));
        frames.putAll(dayOfFrames("garage", 130, 2));
        // a frame of the next day, inside the hot window: it stays
        String hot = bed.putFrame("garage", NOW.minus(Duration.ofHours(3)), 999, ArchiveTestBed.jpeg(new Random(3), 48, 32));

        RunSummary s;
        try (Archiver a = bed.archiver(NOW, ArchiveTestBed.config(HOT, "GLACIER"))) {
            s = a.run(FAR);
        }

        Set<String> expectedTars = hoursOf(frames);
        Set<String> tars = new TreeSet<>(bed.keys("archive/").stream().filter(k -> k.endsWith(".tar")).toList());
        assertEquals(expectedTars, tars, "one bundle per camera-hour that has frames, no extra parts");
        assertTrue(expectedTars.size() > 10 && expectedTars.size() < 48, "some hours are empty: " + expectedTars.size());
        assertEquals(List.of(hot), bed.keys("frames/"), "only the hot frame is left");
        assertEquals(2, s.cameras());
        assertEquals(expectedTars.size(), s.bundlesWritten());
        assertEquals(frames.size(), s.framesArchived());
        assertEquals(frames.size(), s.framesDeleted());
        assertEquals(0, s.hoursFailed());
        assertEquals(FrameKey.parse(hot).orElseThrow().captureTime(), s.oldestFrame().orElseThrow());

        // GNU tar opens every bundle; each member is byte-identical to its original
        Map<String, byte[]> found = new HashMap<>();
        for (String tarKey : tars) {
            BundleKey part = BundleKey.parse(tarKey).orElseThrow();
            Path file = tmp.resolve(part.cameraId() + "-" + part.baseName() + ".tar");
            Files.write(file, bed.plain.getObjectAsBytes(b -> b.bucket(ArchiveTestBed.BUCKET).key(tarKey)).asByteArray());
            Path dir = Files.createDirectories(tmp.resolve(part.cameraId() + "-" + part.baseName()));
            Process p = new ProcessBuilder("tar", "-xf", file.toString(), "-C", dir.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "tar -xf " + tarKey + ": " + out);

            byte[] index = Files.readAllBytes(dir.resolve(part.indexMemberName()));
            assertArrayEquals(bed.plain.getObjectAsBytes(b -> b.bucket(ArchiveTestBed.BUCKET).key(part.indexKey())).asByteArray(),
                    index, "the index beside the tar is the one inside it");
            JsonNode idx = JSON.readTree(index);
            try (Stream<Path> members = Files.list(dir)) {
                assertEquals(idx.get("frames").size() + 1, members.count(), "frames and the index, nothing else");
            }
            for (JsonNode e : idx.get("frames")) {
                String key = e.get("key").asText();
                byte[] member = Files.readAllBytes(dir.resolve(e.get("name").asText()));
                assertArrayEquals(frames.get(key), member, key);
                assertEquals(FrameKey.parse(key).orElseThrow().captureTime().toString(), e.get("captureTime").asText());
                assertEquals(member.length, e.get("length").asLong());
                assertTrue(BundleKey.of(FrameKey.parse(key).orElseThrow()).tarKey().equals(tarKey), key + " in " + tarKey);
                byte[] tarBytes = Files.readAllBytes(file);
                byte[] atOffset = java.util.Arrays.copyOfRange(tarBytes, (int) e.get("offset").asLong(),
                        (int) (e.get("offset").asLong() + e.get("length").asLong()));
                assertArrayEquals(member, atOffset, "the index's offset and length point at the member");
                assertEquals(io.facerec.archiver.bundle.TarBundleWriter.sha256Hex(member), e.get("sha256").asText());
                assertTrue(found.put(key, member) == null, key + " archived twice");
            }
        }
        assertEquals(frames.keySet(), found.keySet(), "every frame archived once");
    }

    @Test
    void originalsAreDeletedOnlyAfterTheBundleIsCompleteAndVerified() throws Exception {
        Map<String, byte[]> frames = dayOfFrames("cam1", 40, 5);
        try (Archiver a = bed.archiver(NOW, ArchiveTestBed.config(HOT, "GLACIER"))) {
            a.run(FAR);
        }
        // per hour: the index is put, the tar committed, the index read back and the tar HEADed before any delete
        List<SdkCalls.Call> calls = bed.calls.calls();
        for (String tarKey : hoursOf(frames)) {
            BundleKey part = BundleKey.parse(tarKey).orElseThrow();
            int indexPut = indexOf(calls, "PutObject", part.indexKey());
            int tarPut = indexOf(calls, "PutObject", tarKey);
            int readBack = indexOf(calls, "GetObject", part.indexKey());
            int head = indexOf(calls, "HeadObject", tarKey);
            // the first delete once the bundle is out must come after the bundle was verified
            int delete = -1;
            for (int i = tarPut + 1; i < calls.size() && delete < 0; i++) {
                if (calls.get(i).operation().equals("DeleteObjects")) {
                    delete = i;
                }
            }
            assertTrue(indexPut >= 0 && indexPut < tarPut && tarPut < readBack && readBack < head && head < delete,
                    tarKey + ": " + indexPut + " " + tarPut + " " + readBack + " " + head + " " + delete);
        }
        assertTrue(bed.keys("frames/").isEmpty());
    }

    static int indexOf(List<SdkCalls.Call> calls, String op, String key) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).operation().equals(op) && key.equals(calls.get(i).key())) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aBundleThatFailsVerificationKeepsItsOriginals() throws Exception {
        Map<String, byte[]> frames = dayOfFrames("cam1", 30, 6);
        // the index read back differs from what was written (one checksum changed)
        bed.calls.rewriteResponses((op, key) -> op.equals("GetObject") && key.endsWith(".index.json"),
                b -> new String(b).replaceFirst("\"sha256\":\"(.)", "\"sha256\":\"x").getBytes());
        RunSummary s;
        try (Archiver a = bed.archiver(NOW, ArchiveTestBed.config(HOT, "GLACIER"))) {
            s = a.run(FAR);
        }
        assertEquals(hoursOf(frames).size(), s.hoursFailed());
        assertEquals(frames.keySet(), new TreeSet<>(bed.keys("frames/")), "nothing deleted");
        assertTrue(bed.calls.calls("DeleteObjects").isEmpty());

        // a tar whose length is not the one its index describes (truncated, or another writer's)
        bed.calls.reset();
        bed.calls.rewriteHeader((op, key) -> op.equals("HeadObject"), "Content-Length", "1024");
        try (Archiver a = bed.archiver(NOW, ArchiveTestBed.config(HOT, "GLACIER"))) {
            s = a.run(FAR);
        }
        assertEquals(hoursOf(frames).size(), s.hoursFailed());
        assertTrue(s.errors().getFirst().contains("its index describes"), s.errors().getFirst());
        assertEquals(frames.keySet(), new TreeSet<>(bed.keys("frames/")), "nothing deleted");

        // once verification passes, the same bundles are used: no second part, and the frames go
        bed.calls.reset();
        try (Archiver a = bed.archiver(NOW, ArchiveTestBed.config(HOT, "GLACIER"))) {
            s = a.run(FAR);
        }
        assertEquals(0, s.hoursFailed());
        assertTrue(bed.keys("frames/").isEmpty());
        assertFalse(bed.keys("archive/").stream().anyMatch(k -> k.matches(".*/\\d\\d\\.1\\..*")), "no extra part");
    }

    @Test
    void aCrashAfterTheUploadAndBeforeTheDeletesLosesNothingAndTheRerunWritesNoSecondCopy() throws Exception {
        Map<String, byte[]> frames = dayOfFrames("cam1", 60, 7);
        bed.calls.crashOn((op, key) -> op.equals("DeleteObjects"));
        RunSummary first;
        try (Archiver a = bed.archiver(NOW, ArchiveTestBed.config(HOT, "GLACIER"))) {
            first = a.run(FAR);
        }
        assertEquals(hoursOf(frames).size(), first.hoursFailed());
        assertEquals(frames.keySet(), new TreeSet<>(bed.keys("frames/")), "no frame lost");
        TreeMap<String, byte[]> archiveAfterCrash = bed.objects("archive/");
        assertEquals(hoursOf(frames).size() * 2, archiveAfterCrash.size(), "each hour's tar and index are there");

        bed.calls.reset();
        RunSummary rerun;
        try (Archiver a = bed.archiver(NOW, ArchiveTestBed.config(HOT, "GLACIER"))) {
            rerun = a.run(FAR);
        }
        assertEquals(0, rerun.hoursFailed());
        assertEquals(0, rerun.bundlesWritten(), "no second bundle");
        assertEquals(frames.size(), rerun.framesDeleted());
        assertTrue(bed.calls.calls("PutObject").isEmpty() && bed.calls.calls("CreateMultipartUpload").isEmpty());
        assertTrue(bed.keys("frames/").isEmpty());
        TreeMap<String, byte[]> archive = bed.objects("archive/");
        assertEquals(archiveAfterCrash.keySet(), archive.keySet());
        archive.forEach((k, v) -> assertArrayEquals(archiveAfterCrash.get(k), v, k + " unchanged"));
    }

    @Test
    void aCrashBeforeTheTarIsCommittedIsRedoneInTheSamePart() throws Exception {
        Map<String, byte[]> frames = dayOfFrames("cam1", 30, 8);
        // the index is written, the tar never appears
        bed.calls.crashOn((op, key) -> op.equals("PutObject") && key.endsWith(".tar"));
        try (Archiver a = bed.archiver(NOW, ArchiveTestBed.config(HOT, "GLACIER"))) {
            a.run(FAR);
        }
        assertEquals(frames.keySet(), new TreeSet<>(bed.keys("frames/")), "no frame lost");
        assertEquals(hoursOf(frames).stream().map(k -> k.replace(".tar", ".index.json")).toList(), bed.keys("archive/"),
                "each hour's index alone");

        bed.calls.reset();
        try (Archiver a = bed.archiver(NOW, ArchiveTestBed.config(HOT, "GLACIER"))) {
            assertEquals(0, a.run(FAR).hoursFailed());
        }
        assertTrue(bed.keys("frames/").isEmpty());
        assertEquals(hoursOf(frames), new TreeSet<>(bed.keys("archive/").stream().filter(k -> k.endsWith(".tar")).toList()),
                "part 0 of each hour, no extra part");
    }

    @Test
    void aMultipartUploadThatDiesBeforeItsCompletionIsAbortedAndRedone() throws Exception {
        Random r = new Random(16);
        Map<String, byte[]> frames = new TreeMap<>();
        for (int i = 0; i < 220; i++) {
            byte[] jpeg = ArchiveTestBed.jpeg(r, 240, 180);
            frames.put(bed.putFrame("cam1", DAY.plus(Duration.ofHours(5)).plusSeconds(i * 10L), i, jpeg), jpeg);
        }
        bed.calls.crashOn((op, key) -> op.equals("CompleteMultipartUpload"));
        try (Archiver a = bed.archiver(NOW, ArchiveTestBed.config(HOT, "GLACIER"))) {
            assertEquals(1, a.run(FAR).hoursFailed());
        }
        assertEquals(1, bed.calls.calls("AbortMultipartUpload").size(), "the parts already sent are dropped");
        assertEquals(frames.keySet(), new TreeSet<>(bed.keys("frames/")), "no frame lost");
        assertEquals(List.of("archive/cam1/2026/03/04/05.index.json"), bed.keys("archive/"));

        bed.calls.reset();
        try (Archiver a = bed.archiver(NOW, ArchiveTestBed.config(HOT, "GLACIER"))) {
            assertEquals(0, a.run(FAR).hoursFailed());
        }
        assertEquals(List.of("archive/cam1/2026/03/04/05.index.json", "archive/cam1/2026/03/04/05.tar"), bed.keys("archive/"));
        assertTrue(bed.keys("frames/").isEmpty());
    }

    @Test
    void aLateFrameForAnAlreadyBundledHourGoesIntoAnExtraPartAndNothingIsDoubled() throws Exception {
        Map<String, byte[]> frames = dayOfFrames("cam1", 30, 9);
        try (Archiver a = bed.archiver(NOW, ArchiveTestBed.config(HOT, "GLACIER"))) {
            a.run(FAR);
        }
        String firstKey = frames.keySet().iterator().next();
        BundleKey hour = BundleKey.of(FrameKey.parse(firstKey).orElseThrow());
        TreeMap<String, byte[]> before = bed.objects(hour.hourPrefix());

        // the spool delivers a frame of that hour days later, and re-sends one already archived
        byte[] lateJpeg = ArchiveTestBed.jpeg(new Random(10), 48, 32);
        String late = bed.putFrame("cam1", hour.hour().plusSeconds(1800), 4242, lateJpeg);
        bed.plain.putObject(b -> b.bucket(ArchiveTestBed.BUCKET).key(firstKey),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(frames.get(firstKey)));

        RunSummary s;
        try (Archiver a = bed.archiver(NOW.plus(Duration.ofDays(3)), ArchiveTestBed.config(HOT, "GLACIER"))) {
            s = a.run(NOW.plus(Duration.ofDays(4)));
        }
        assertEquals(1, s.bundlesWritten());
        assertEquals(1, s.lateParts());
        assertEquals(1, s.framesArchived(), "the re-sent frame is not archived twice");
        assertEquals(2, s.framesDeleted());
        assertTrue(bed.keys("frames/").isEmpty());
        BundleKey extra = hour.withPart(1);
        TreeMap<String, byte[]> after = bed.objects(hour.hourPrefix());
        assertEquals(Set.of(hour.tarKey(), hour.indexKey(), extra.tarKey(), extra.indexKey()), after.keySet());
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k + " untouched"));
        JsonNode idx = JSON.readTree(after.get(extra.indexKey()));
        assertEquals(1, idx.get("frameCount").asInt());
        assertEquals(late, idx.at("/frames/0/key").asText());
    }

    @Test
    void anHourLargerThanAPartIsUploadedInPartsWithinTheReadBudget() throws Exception {
        // 220 frames of ~27 KB: 5.9 MB, more than one 5 MiB part
        Random r = new Random(11);
        Map<String, byte[]> frames = new TreeMap<>();
        for (int i = 0; i < 220; i++) {
            byte[] jpeg = ArchiveTestBed.jpeg(r, 240, 180);
            frames.put(bed.putFrame("cam1", DAY.plus(Duration.ofHours(9)).plusSeconds(i * 10L), i, jpeg), jpeg);
        }
        long total = frames.values().stream().mapToLong(b -> b.length).sum();
        assertTrue(total > 5.5 * 1024 * 1024, "test frames: " + total);
        long frameSize = total / frames.size();
        ArchiverConfig small = new ArchiverConfig(ArchiveTestBed.BUCKET, HOT, "DEEP_ARCHIVE", 16,
                ArchiverConfig.MIN_PART_MB * 1024 * 1024, 3 * frameSize + frameSize / 2, Duration.ZERO,
                java.util.Optional.empty());
        try (Archiver a = bed.archiver(NOW, small)) {
            assertEquals(0, a.run(FAR).hoursFailed());
        }
        assertEquals(2, bed.calls.calls("UploadPart").size());
        assertEquals(1, bed.calls.calls("CompleteMultipartUpload").size());
        // the read-ahead holds at most READ_BUFFER bytes: here 3 frames, though 16 reads are allowed
        int most = bed.calls.maxConcurrent("GetObject");
        assertTrue(most >= 1 && most <= 3, "parallel frame reads: " + most);
        BundleKey part = BundleKey.of(FrameKey.parse(frames.keySet().iterator().next()).orElseThrow());
        byte[] tar = bed.plain.getObjectAsBytes(b -> b.bucket(ArchiveTestBed.BUCKET).key(part.tarKey())).asByteArray();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new java.io.ByteArrayInputStream(tar))) {
            int n = 0;
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().endsWith(".jpg")) {
                    String key = "frames/cam1/2026/03/04/" + e.getName();
                    assertArrayEquals(frames.get(key), in.readAllBytes(), key);
                    n++;
                }
            }
            assertEquals(frames.size(), n);
        }
        assertTrue(bed.keys("frames/").isEmpty());
    }

    @Test
    void theStorageClassHeaderIsSentOnTheBundleAndNotOnTheIndex() throws Exception {
        dayOfFrames("cam1", 10, 12);
        for (String cls : ArchiverConfig.STORAGE_CLASSES) {
            bed.calls.reset();
            dayOfFrames("cam-" + cls.toLowerCase(), 5, cls.hashCode());
            try (Archiver a = bed.archiver(NOW, ArchiveTestBed.config(HOT, cls))) {
                a.run(FAR);
            }
            List<SdkCalls.Call> tarPuts = bed.calls.calls("PutObject").stream().filter(c -> c.key().endsWith(".tar")).toList();
            List<SdkCalls.Call> indexPuts = bed.calls.calls("PutObject").stream().filter(c -> c.key().endsWith(".json")).toList();
            assertFalse(tarPuts.isEmpty());
            for (SdkCalls.Call c : tarPuts) {
                assertEquals(java.util.Optional.of(cls), c.header("x-amz-storage-class"), c.key());
            }
            for (SdkCalls.Call c : indexPuts) {
                assertTrue(c.header("x-amz-storage-class").isEmpty(), "indexes stay in STANDARD: " + c.key());
            }
        }
        // the multipart path sends it on CreateMultipartUpload
        bed.calls.reset();
        Random r = new Random(13);
        for (int i = 0; i < 220; i++) {
            bed.putFrame("big", DAY.plus(Duration.ofHours(2)).plusSeconds(i), i, ArchiveTestBed.jpeg(r, 240, 180));
        }
        try (Archiver a = bed.archiver(NOW, ArchiveTestBed.config(HOT, "GLACIER_IR"))) {
            a.run(FAR);
        }
        List<SdkCalls.Call> creates = bed.calls.calls("CreateMultipartUpload");
        assertEquals(1, creates.size());
        assertEquals(java.util.Optional.of("GLACIER_IR"), creates.getFirst().header("x-amz-storage-class"));
    }

    @Test
    void keysThatAreNotFramesAndFramesStillHotAreLeftAlone() throws Exception {
        Map<String, byte[]> frames = dayOfFrames("cam1", 5, 14);
        bed.plain.putObject(b -> b.bucket(ArchiveTestBed.BUCKET).key("frames/cam1/2026/03/04/notes.txt"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("not a frame"));
        bed.plain.putObject(b -> b.bucket(ArchiveTestBed.BUCKET).key("frames/cam1/2026/03/05/1772625600000-1.jpg"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("date folder disagrees with the time"));
        // hour 23:00 of the next day ends after the cutoff (now minus one day)
        String hot = bed.putFrame("cam1", Instant.parse("2026-03-05T23:10:00Z"), 1, new byte[] {1, 2, 3});
        RunSummary s;
        try (Archiver a = bed.archiver(NOW, ArchiveTestBed.config(HOT, "GLACIER"))) {
            s = a.run(FAR);
        }
        assertEquals(Set.of("frames/cam1/2026/03/04/notes.txt", "frames/cam1/2026/03/05/1772625600000-1.jpg", hot),
                new HashSet<>(bed.keys("frames/")));
        assertEquals(2, s.skippedKeys());
        assertEquals(frames.size(), s.framesArchived());
    }

    @Test
    void aRunOutOfTimeStartsNoNewHourAndTheNextRunContinues() throws Exception {
        Map<String, byte[]> frames = dayOfFrames("cam1", 30, 15);
        ArchiverConfig c = new ArchiverConfig(ArchiveTestBed.BUCKET, HOT, "GLACIER", 4, 5 * 1024 * 1024, 1 << 22,
                Duration.ofMinutes(2), java.util.Optional.empty());
        RunSummary s;
        try (Archiver a = bed.archiver(NOW, c)) {
            s = a.run(NOW.plus(Duration.ofMinutes(1))); // less than the runway left
        }
        assertTrue(s.stoppedForTime());
        assertEquals(0, s.hoursArchived());
        assertEquals(frames.keySet(), new TreeSet<>(bed.keys("frames/")));
        assertEquals(FrameKey.parse(frames.keySet().iterator().next()).orElseThrow().captureTime(), s.oldestFrame().orElseThrow(),
                "the overdue alarm sees the oldest frame left");
        try (Archiver a = bed.archiver(NOW, c)) {
            s = a.run(FAR);
        }
        assertEquals(hoursOf(frames).size(), s.hoursArchived());
        assertTrue(bed.keys("frames/").isEmpty());
        assertTrue(s.oldestFrame().isEmpty());
    }
}
