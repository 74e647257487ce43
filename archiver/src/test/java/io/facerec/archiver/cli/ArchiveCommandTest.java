package io.facerec.archiver.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.archiver.archive.Archiver;
import io.facerec.archiver.store.S3ArchiveStore;
import io.facerec.archiver.testing.ArchiveTestBed;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bin/archive} against S3Proxy, which has no archive classes: bundles read directly. */
class ArchiveCommandTest {
    static ArchiveTestBed bed;
    static Map<String, byte[]> frames = new TreeMap<>();

    @BeforeAll
    static void archive() throws Exception {
        bed = new ArchiveTestBed();
        Random r = new Random(5);
        for (int i = 0; i < 12; i++) {
            byte[] b = ArchiveTestBed.jpeg(r, 32, 24);
            frames.put(bed.putFrame("door", Instant.parse("2026-03-04T07:30:00Z").plusSeconds(i * 600L), i, b), b);
        }
        try (Archiver a = bed.archiver(Instant.parse("2026-03-06T00:00:00Z"), ArchiveTestBed.config(Duration.ofDays(1), "GLACIER"))) {
            a.run(Instant.parse("2026-03-07T00:00:00Z"));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        bed.close();
    }

    record Run(int code, String out, String err) {
    }

    static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = ArchiveCommand.commandLine(new ArchiveCommand(b -> new S3ArchiveStore(bed.s3, b), env));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void listShowsEachBundleWithItsFramesClassAndState() {
        Run r = run(Map.of("FRAMES_BUCKET", ArchiveTestBed.BUCKET), "list", "--camera", "door", "--from", "2026-03-04",
                "--to", "2026-03-05");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("archive/door/2026/03/04/07.tar") && r.out().contains("archive/door/2026/03/04/09.tar"), r.out());
        assertTrue(r.out().contains("GLACIER") && r.out().contains("archived (restore needed)"), r.out());
        assertTrue(r.out().strip().endsWith("3 bundles, 12 frames"), r.out());
        Run narrow = run(Map.of(), "list", "--camera", "door", "--from", "2026-03-04T08:00", "--to", "2026-03-04T09:00Z",
                "--bucket", ArchiveTestBed.BUCKET);
        assertEquals(0, narrow.code(), narrow.err());
        assertTrue(narrow.out().strip().endsWith("1 bundles, 6 frames"), narrow.out());
    }

    @Test
    void restoreWritesTheFramesWhereTheServerHasNoArchiveClasses(@TempDir Path out) throws Exception {
        Run r = run(Map.of("FRAMES_BUCKET", ArchiveTestBed.BUCKET), "restore", "--camera", "door", "--from",
                "2026-03-04T08:00:00Z", "--to", "2026-03-04T09:00:00Z", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("6 frames written, 0 already there, 0 bundles pending"), r.out());
        for (var e : frames.entrySet()) {
            String name = e.getKey().substring(e.getKey().lastIndexOf('/') + 1);
            boolean inRange = e.getKey().compareTo("frames/door/2026/03/04/1772611200000") >= 0
                    && e.getKey().compareTo("frames/door/2026/03/04/1772614800000") < 0;
            assertEquals(inRange, Files.exists(out.resolve(name)), name);
            if (inRange) {
                assertArrayEquals(e.getValue(), Files.readAllBytes(out.resolve(name)));
            }
        }
    }

    @Test
    void badInputGetsOneClearLineAndExitCodeTwo(@TempDir Path out) {
        Map<String, String> env = Map.of("FRAMES_BUCKET", ArchiveTestBed.BUCKET);
        Run backwards = run(env, "list", "--camera", "door", "--from", "2026-03-05", "--to", "2026-03-04");
        assertEquals(2, backwards.code());
        assertTrue(backwards.err().startsWith("archive: --from (2026-03-05T00:00:00Z) must be before --to (2026-03-04T00:00:00Z)"),
                backwards.err());
        Run time = run(env, "list", "--camera", "door", "--from", "yesterday", "--to", "2026-03-04");
        assertEquals(2, time.code());
        assertTrue(time.err().contains("'yesterday' is not a UTC time"), time.err());
        Run tier = run(env, "restore", "--camera", "door", "--from", "2026-03-04", "--to", "2026-03-05", "--out",
                out.toString(), "--tier", "Fast");
        assertEquals(2, tier.code());
        assertTrue(tier.err().startsWith("archive: --tier must be Bulk, Standard or Expedited, got 'Fast'"), tier.err());
        Run bucket = run(Map.of(), "list", "--camera", "door", "--from", "2026-03-04", "--to", "2026-03-05");
        assertEquals(2, bucket.code());
        assertTrue(bucket.err().startsWith("archive: no bucket: pass --bucket or set FRAMES_BUCKET"), bucket.err());
        Run camera = run(env, "list", "--camera", "../x", "--from", "2026-03-04", "--to", "2026-03-05");
        assertEquals(2, camera.code());
        assertTrue(camera.err().startsWith("archive: --camera '../x' must be"), camera.err());
    }
}
