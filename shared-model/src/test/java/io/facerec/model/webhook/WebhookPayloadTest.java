package io.facerec.model.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
