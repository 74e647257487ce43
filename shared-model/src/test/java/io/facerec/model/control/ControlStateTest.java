package io.facerec.model.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.model.gallery.DescriptorFile;
import io.facerec.model.match.Match;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The control record's and the descriptor file's JSON forms, as the API writes and the others read them. */
class ControlStateTest {
    @Test
    void roundTripsInTheFieldNamesOfTheOldApi() {
        ControlState s = ControlState.DEFAULT.withActive(false, "2026-11-29T10:00:00.000Z")
                .withConfig(0.62, "http://192.0.2.7:81/stream", "door", "2026-11-29T10:00:01.000Z");
        String json = s.toJsonString();
        assertEquals("{\"active\":false,\"threshold\":0.62,\"stream_url\":\"http://192.0.2.7:81/stream\",\"camera_id\":\"door\","
                + "\"revision\":2,\"updated_at\":\"2026-11-29T10:00:01.000Z\"}", json);
        assertEquals(s, ControlState.fromJson(json));
        ControlState bare = ControlState.fromJson("{\"active\":true,\"revision\":7,\"added_later\":1}");
        assertTrue(bare.active());
        assertNull(bare.threshold(), "no stored threshold: the deployment's applies");
        assertEquals(7, bare.revision());
        assertTrue(ControlState.DEFAULT.active(), "no record: recognition runs");
    }

    @Test
    void aMalformedRecordIsNamedNotThrownRaw() {
        var e = assertThrows(IllegalArgumentException.class, () -> ControlState.fromJson("{\"active\":"));
        assertTrue(e.getMessage().startsWith("control record is not valid JSON"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ControlState.fromJson("null"));
    }

    @Test
    void aStoredThresholdRedecidesAMatch() {
        Match m = new Match("Ana", 0.55f, 0.2f, true);
        assertFalse(m.withThreshold(0.6).known());
        assertEquals("unknown", m.withThreshold(0.6).label());
        assertTrue(new Match("Ana", 0.55f, 0.2f, false).withThreshold(0.5).known());
        assertFalse(new Match(null, 0f, 0f, false).withThreshold(-1).known(), "an empty gallery names nobody");
    }

    @Test
    void descriptorFilesAreCheckedAndContentAddressed() {
        List<Double> v = new ArrayList<>(Collections.nCopies(128, 0.01));
        v.set(5, -0.2);
        DescriptorFile d = DescriptorFile.dlib(v, "api-register", "clx1");
        DescriptorFile back = DescriptorFile.fromJson(d.toJson());
        assertEquals(d, back);
        assertEquals(d.fileName(), DescriptorFile.dlib(v, "elsewhere", null).fileName(), "named by the numbers alone");
        v.set(6, 0.3);
        assertFalse(d.fileName().equals(DescriptorFile.dlib(v, "api-register", "clx1").fileName()));
        assertTrue(d.fileName().matches("[0-9a-f]{16}\\.descriptor\\.json"), d.fileName());
        assertEquals(-0.2f, d.toFloats()[5]);
        var shortOne = assertThrows(IllegalArgumentException.class,
                () -> DescriptorFile.dlib(v.subList(0, 127), "x", null));
        assertEquals("descriptor has 127 numbers, its dimension says 128", shortOne.getMessage());
        List<Double> nan = new ArrayList<>(v);
        nan.set(0, Double.NaN);
        assertThrows(IllegalArgumentException.class, () -> DescriptorFile.dlib(nan, "x", null));
        assertThrows(IllegalArgumentException.class, () -> DescriptorFile.fromJson(
                "{\"format\":\"other/1\",\"model\":\"m\",\"dimension\":1,\"descriptor\":[1]}".getBytes()));
        var wrongLength = assertThrows(IllegalArgumentException.class, () -> DescriptorFile.fromJson(
                "{\"format\":\"facerec-descriptor/1\",\"model\":\"m\",\"dimension\":3,\"descriptor\":[1,2]}".getBytes()));
        assertTrue(wrongLength.getMessage().contains("descriptor has 2 numbers"), wrongLength.getMessage());
    }
}
