package io.facerec.model.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.facerec.model.match.Match;

import org.junit.jupiter.api.Test;

class WebhookPayloadTest {
    @Test
    void serialisesExactlyAsTheNextJsReceiverExpects() {
        WebhookPayload p = new WebhookPayload(
                new WebhookPayload.Result("2026-11-27T10:15:30.123Z", "Desconocido", 0.31, 0.69,
                        new WebhookPayload.Box(10, 90, 120, 20)),
                "door", "http://192.0.2.7:81/stream", "2026-11-27T10:15:30.123Z");
        assertEquals("{\"result\":{\"timestamp\":\"2026-11-27T10:15:30.123Z\",\"name\":\"Desconocido\",\"confidence\":0.31,"
                + "\"distance\":0.69,\"box\":{\"top\":10,\"right\":90,\"bottom\":120,\"left\":20}},\"camera_id\":\"door\","
                + "\"camera_stream_url\":\"http://192.0.2.7:81/stream\",\"timestamp\":\"2026-11-27T10:15:30.123Z\"}",
                p.toJsonString());
    }

    @Test
    void aTrackTravelsBesideTheFieldsTheReceiverRequires() {
        WebhookPayload p = new WebhookPayload(new WebhookPayload.Result("2026-11-27T10:15:30.123Z", "ana", 0.7, 0.3,
                new WebhookPayload.Box(10, 90, 120, 20)), "door", "", "2026-11-27T10:15:30.123Z");
        String json = new String(p.toJson(new WebhookPayload.Track("1795000000000-3-0", "upgrade", 7,
                "2026-11-27T10:15:28.000Z")), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(p.toJsonString().substring(0, p.toJsonString().length() - 1)
                + ",\"track\":{\"id\":\"1795000000000-3-0\",\"decision\":\"upgrade\",\"faces\":7,"
                + "\"first_seen\":\"2026-11-27T10:15:28.000Z\"}}", json);
    }

    @Test
    void numbersAreTheOldAppsFromTheRecordedSimilarity() {
        // a dlib match at Euclidean distance 0.4321: similarity is 1 - distance
        Match m = new Match("Ana", 1f - 0.4321f, 0.2f, true, 0.4321f);
        WebhookPayload.Result r = WebhookPayload.Result.of("t", "Ana", m.similarity(), null);
        assertEquals(0.432, r.distance(), 0.0, "round(distance, 3)");
        assertEquals(0.57, r.confidence(), 0.0, "round(1 - distance, 2)");
        // Python's round: the exact binary value, halves to even (0.125 is exact: 0.12, where half-up says 0.13)
        assertEquals(0.12, WebhookPayload.Result.of("t", "Ana", 0.125, null).confidence(), 0.0);
        assertEquals(0.875, WebhookPayload.Result.of("t", "Ana", 0.125, null).distance(), 0.0);
        // 2.675 is stored as 2.67499999...: Python gives 2.67
        assertEquals(2.67, WebhookPayload.pythonRound(2.675, 2), 0.0);
        // what the results table keeps (4 decimals) gives the same numbers as the unrounded similarity
        double exact = 1 - 0.37249;
        assertEquals(WebhookPayload.Result.of("t", "Ana", exact, null),
                WebhookPayload.Result.of("t", "Ana", Math.round(exact * 1e4) / 1e4, null));
    }

    @Test
    void cameraIdAndStreamUrlAreNullWhenUnknown() {
        WebhookPayload p = new WebhookPayload(WebhookPayload.Result.of("t", "Unknown", 0.5, new WebhookPayload.Box(1, 2, 3, 4)),
                null, null, "t");
        assertEquals("{\"result\":{\"timestamp\":\"t\",\"name\":\"Unknown\",\"confidence\":0.5,\"distance\":0.5,"
                + "\"box\":{\"top\":1,\"right\":2,\"bottom\":3,\"left\":4}},\"camera_id\":null,\"camera_stream_url\":null,"
                + "\"timestamp\":\"t\"}", p.toJsonString());
    }
}
