package io.facerec.model.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BundleKeyTest {
    @Test
    void aFramesBundleIsComputedFromItsKeyAlone() {
        // 23:59:59.999 UTC on the last day of the year: hour 23 of 31 December, whatever the local zone
        FrameKey f = FrameKey.parse("frames/front-door/2026/12/31/1798761599999-42.jpg").orElseThrow();
        BundleKey b = BundleKey.of(f);
        assertEquals("archive/front-door/2026/12/31/23.tar", b.tarKey());
        assertEquals("archive/front-door/2026/12/31/23.index.json", b.indexKey());
        assertEquals("23.index.json", b.indexMemberName());
        assertEquals("archive/front-door/2026/12/31/23.", b.hourPrefix());
        assertTrue(b.holdsHourOf(f));
        assertFalse(b.holdsHourOf(new FrameKey("front-door", 1798761599999L + 1, 0)), "next hour (and year)");
        assertFalse(b.holdsHourOf(new FrameKey("back-door", 1798761599999L, 0)), "other camera");
    }

    @Test
    void extraPartsForLateFramesAreNumbered() {
        BundleKey b = new BundleKey("cam1", Instant.parse("2026-03-04T05:00:00Z"), 2);
        assertEquals("archive/cam1/2026/03/04/05.2.tar", b.tarKey());
        assertEquals("archive/cam1/2026/03/04/05.2.index.json", b.indexKey());
        assertEquals("05.2.index.json", b.indexMemberName());
        assertTrue(b.tarKey().startsWith(b.hourPrefix()) && b.withPart(0).tarKey().startsWith(b.hourPrefix()));
        assertFalse("archive/cam1/2026/03/04/15.tar".startsWith(b.hourPrefix()), "hour 05 never lists hour 15");
    }

    @Test
    void parseRoundTripsAndRefusesOtherKeys() {
        BundleKey b = new BundleKey("cam_1.a", Instant.parse("2026-03-04T05:00:00Z"), 17);
        assertEquals(Optional.of(b), BundleKey.parse(b.tarKey()));
        assertEquals(Optional.of(b), BundleKey.parse(b.indexKey()));
        assertEquals(Optional.of(b.withPart(0)), BundleKey.parse("archive/cam_1.a/2026/03/04/05.tar"));
        assertTrue(BundleKey.isTar(b.tarKey()) && !BundleKey.isTar(b.indexKey()));
        for (String bad : new String[] {"archive/cam1/2026/03/04/05.0.tar", "archive/cam1/2026/03/04/24.tar",
            "archive/cam1/2026/02/30/05.tar", "archive/cam1/2026/03/04/05.zip", "frames/cam1/2026/03/04/05.tar",
            "archive/../2026/03/04/05.tar", "archive/cam1/2026/03/04/5.tar"}) {
            assertTrue(BundleKey.parse(bad).isEmpty(), bad);
        }
    }

    @Test
    void onlyWholeHoursAndSafeCameraIds() {
        assertThrows(IllegalArgumentException.class, () -> new BundleKey("cam", Instant.parse("2026-01-01T05:30:00Z"), 0));
        assertThrows(IllegalArgumentException.class, () -> new BundleKey("a/b", Instant.parse("2026-01-01T05:00:00Z"), 0));
        assertThrows(IllegalArgumentException.class, () -> new BundleKey("cam", Instant.parse("2026-01-01T05:00:00Z"), -1));
    }
}
