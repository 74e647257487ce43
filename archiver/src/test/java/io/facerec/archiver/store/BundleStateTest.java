package io.facerec.archiver.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BundleStateTest {
    @Test
    void theRestoreHeaderAsS3SendsIt() {
        BundleState none = BundleState.of("GLACIER", null, 10);
        assertEquals(BundleState.Restore.NONE, none.restore());
        assertFalse(none.readable());
        BundleState running = BundleState.of("DEEP_ARCHIVE", "ongoing-request=\"true\"", 10);
        assertEquals(BundleState.Restore.IN_PROGRESS, running.restore());
        assertFalse(running.readable());
        BundleState done = BundleState.of("GLACIER", "ongoing-request=\"false\", expiry-date=\"Fri, 21 Dec 2012 00:00:00 GMT\"", 10);
        assertEquals(BundleState.Restore.RESTORED, done.restore());
        assertEquals(Optional.of(Instant.parse("2012-12-21T00:00:00Z")), done.restoredUntil());
        assertTrue(done.readable());
    }

    @Test
    void instantClassesReadWithoutARestore() {
        assertTrue(BundleState.of("GLACIER_IR", null, 1).readable());
        assertTrue(BundleState.of(null, null, 1).readable(), "STANDARD is not reported");
        assertEquals("readable", BundleState.of("GLACIER_IR", null, 1).describe());
        assertEquals("archived (restore needed)", BundleState.of("GLACIER", null, 1).describe());
    }
}
