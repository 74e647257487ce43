package io.facerec.archiver.bundle;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.model.frame.BundleKey;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An index that does not describe its part exactly is refused, so nothing is deleted on its word. */
class BundleIndexTest {
    static String json() throws Exception {
        return new String(TarBundleWriterTest.write().index(), StandardCharsets.UTF_8);
    }

    static void refused(String json, BundleKey part, String why) {
        var e = assertThrows(BundleIndex.InvalidIndexException.class,
                () -> BundleIndex.parse(json.getBytes(StandardCharsets.UTF_8), part));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void tamperedIndexesAreRefused() throws Exception {
        String ok = json();
        BundleKey part = TarBundleWriterTest.PART;
        BundleIndex.parse(ok.getBytes(StandardCharsets.UTF_8), part);
        refused("{not json", part, "is not a bundle index");
        refused(ok.replace("facerec-bundle/1", "facerec-bundle/2"), part, "format");
        refused(ok, part.withPart(1), "describes archive/cam1/2026/03/04/13.tar, not archive/cam1/2026/03/04/13.1.tar");
        refused(ok.replace("\"frameCount\":7", "\"frameCount\":8"), part, "lists 7 frames but declares 8");
        refused(ok.replace("\"offset\":512,", "\"offset\":1024,"), part, "at offset 1024, expected 512");
        refused(ok.replaceFirst("\"sha256\":\"[0-9a-f]{64}\"", "\"sha256\":\"x\""), part, "has no SHA-256");
        refused(ok.replaceFirst("frames/cam1/2026/03/04/1772629200007-0.jpg", "frames/cam1/2026/03/04/1772632800007-0.jpg"),
                part, "does not belong to this hour");
    }
}
