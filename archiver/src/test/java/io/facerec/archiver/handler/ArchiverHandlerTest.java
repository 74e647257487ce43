package io.facerec.archiver.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facerec.archiver.archive.Archiver;
import io.facerec.archiver.testing.ArchiveTestBed;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The handler as the schedule invokes it: the event's JSON in, the run's figures out. */
class ArchiverHandlerTest {
    static final Instant NOW = Instant.parse("2026-03-06T00:30:00Z");

    static Map<String, Object> event() throws Exception {
        try (InputStream in = ArchiverHandlerTest.class.getResourceAsStream("/events/scheduled.json")) {
            return new ObjectMapper().readValue(in, new TypeReference<>() { });
        }
    }

    @Test
    void aScheduledRunArchivesAndReportsItsFigures() throws Exception {
        try (ArchiveTestBed bed = new ArchiveTestBed(ArchiverHandlerTest.class)) {
            Random r = new Random(1);
            for (int i = 0; i < 5; i++) {
                bed.putFrame("cam1", Instant.parse("2026-03-04T08:00:00Z").plusSeconds(i * 60L), i, ArchiveTestBed.jpeg(r, 32, 24));
            }
            try (Archiver a = bed.archiver(NOW, ArchiveTestBed.config(Duration.ofDays(1), "GLACIER"))) {
                Map<String, Object> out = new ArchiverHandler(a, Clock.fixed(NOW, ZoneOffset.UTC)).handleRequest(event(), null);
                assertEquals(1, out.get("bundlesWritten"));
                assertEquals(5, out.get("framesArchived"));
                assertEquals(5, out.get("framesDeleted"));
                assertEquals(0, out.get("hoursFailed"));
            }
        }
    }

    @Test
    void aFailedHourFailsTheInvocationAfterTheOthersAreDone() throws Exception {
        try (ArchiveTestBed bed = new ArchiveTestBed(ArchiverHandlerTest.class)) {
            Random r = new Random(2);
            bed.putFrame("cam1", Instant.parse("2026-03-04T08:00:00Z"), 1, ArchiveTestBed.jpeg(r, 32, 24));
            bed.putFrame("cam1", Instant.parse("2026-03-04T09:00:00Z"), 2, ArchiveTestBed.jpeg(r, 32, 24));
            bed.calls.crashOn((op, key) -> op.equals("PutObject") && key.endsWith("08.tar"));
            try (Archiver a = bed.archiver(NOW, ArchiveTestBed.config(Duration.ofDays(1), "GLACIER"))) {
                var e = assertThrows(ArchiverHandler.ArchiveRunFailedException.class,
                        () -> new ArchiverHandler(a, Clock.fixed(NOW, ZoneOffset.UTC)).handleRequest(event(), null));
                assertTrue(e.getMessage().startsWith("1 hours could not be archived"), e.getMessage());
            }
            assertEquals(1, bed.keys("frames/").size(), "hour 09 was archived all the same");
            assertTrue(bed.keys("archive/").contains("archive/cam1/2026/03/04/09.tar"));
        }
    }
}
