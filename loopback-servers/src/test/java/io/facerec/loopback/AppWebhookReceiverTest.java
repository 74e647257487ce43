package io.facerec.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stand-in for the app's webhook route does what issue 13 says the app does: each rule is
 * checked here, so the tests that deliver to it test against the app's behaviour.
 */
class AppWebhookReceiverTest {
    static final String TOKEN = "app-secret-from-the-apps-env";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static AppWebhookReceiver app;

    @BeforeAll
    static void start() throws Exception {
        app = AppWebhookReceiver.start(TOKEN);
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    @BeforeEach
    void seed() throws Exception {
        app.seed("""
                {"cameras":[
                  {"id":"clxcamdoor","streamUrl":"http://192.168.1.50:81/stream","status":"ONLINE","lastSeen":"2026-05-01T10:00:00Z"},
                  {"id":"clxcamyard","streamUrl":"http://192.168.1.51:81/stream","status":"ONLINE","lastSeen":"2026-05-02T10:00:00Z"},
                  {"id":"clxcamgone","streamUrl":"http://192.168.1.52:81/stream","status":"OFFLINE","lastSeen":"2026-05-03T10:00:00Z"}],
                 "clients":[
                  {"id":"c-jose","name":"José Pérez García","email":"jose@example.com","dni":"12345678Z","status":"ACTIVE"},
                  {"id":"c-ana","name":"Ana Gómez","email":"ana.gomez@example.com","dni":"87654321X","status":"INACTIVE"}]}
                """);
    }

    record Answer(int status, JsonNode body) {
    }

    static Answer post(String authorization, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.url()).POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), JSON.readTree(r.body()));
    }

    static String delivery(String name, String cameraId, String streamUrl) {
        return "{\"result\":{\"timestamp\":\"2026-05-04T10:00:00Z\",\"name\":" + quote(name)
                + ",\"confidence\":0.62,\"distance\":0.381,\"box\":{\"top\":1,\"right\":2,\"bottom\":3,\"left\":4}},"
                + "\"camera_id\":" + quote(cameraId) + ",\"camera_stream_url\":" + quote(streamUrl)
                + ",\"timestamp\":\"2026-05-04T10:00:00Z\"}";
    }

    static String quote(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    static Answer deliver(String name, String cameraId, String streamUrl) throws Exception {
        return post("Bearer " + TOKEN, delivery(name, cameraId, streamUrl));
    }

    @Test
    void bearerTokenIsChecked() throws Exception {
        assertEquals(401, post(null, delivery("x", null, null)).status());
        assertEquals(401, post("Bearer wrong", delivery("x", null, null)).status());
        assertEquals(201, deliver("x", null, null).status());
    }

    @Test
    void resultIsRequired() throws Exception {
        Answer a = post("Bearer " + TOKEN, "{\"camera_id\":null,\"timestamp\":\"t\"}");
        assertEquals(400, a.status());
    }

    @Test
    void cameraIdIsAForeignKeyAndAnUnknownOneFailsTheInsert() throws Exception {
        Answer known = deliver("x", "clxcamdoor", "http://192.168.1.51:81/stream");
        assertEquals(201, known.status());
        assertEquals("clxcamdoor", known.body().at("/event/cameraId").asText(), "the id wins over the URL");
        assertEquals(500, deliver("x", "cam1", "http://192.168.1.50:81/stream").status(),
                "a forwarder's camera id is no Camera of the app");
        assertEquals(1, app.events().size(), "nothing was written for the failed one");
    }

    @Test
    void withoutAnIdTheCameraIsFoundByStreamUrlElseTheMostRecentOnlineOne() throws Exception {
        assertEquals("clxcamdoor", deliver("x", null, "http://192.168.1.50:81/stream").body().at("/event/cameraId").asText());
        assertEquals("clxcamyard", deliver("x", null, "http://other/stream").body().at("/event/cameraId").asText(),
                "no such URL: the most recently seen ONLINE camera (the newer one is OFFLINE)");
        assertEquals("clxcamyard", deliver("x", null, null).body().at("/event/cameraId").asText());
        assertEquals("clxcamyard", deliver("x", "", "").body().at("/event/cameraId").asText(), "empty is absent");
        app.seed("{\"cameras\":[{\"id\":\"off\",\"streamUrl\":\"u\",\"status\":\"OFFLINE\"}],\"clients\":[]}");
        Answer none = deliver("x", null, "http://other/stream");
        assertEquals(400, none.status());
        assertEquals("No camera found", none.body().get("error").asText());
        assertEquals(201, deliver("x", null, "u").status(), "an OFFLINE camera is still found by its URL");
    }

    @Test
    void namesAreMatchedByContainsAgainstActiveClients() throws Exception {
        assertEquals("MATCHED", deliver("José Pérez García", null, null).body().at("/event/status").asText());
        assertEquals("c-jose", deliver("jOSÉ pérez", null, null).body().at("/event/clientId").asText(),
                "contains, any case");
        assertEquals("MATCHED", deliver("12345678Z", null, null).body().at("/event/status").asText(), "the DNI");
        assertEquals("MATCHED", deliver("jose@example.com", null, null).body().at("/event/status").asText(), "the email");
        assertEquals("NEW_FACE", deliver("jose_perez_garcia", null, null).body().at("/event/status").asText(),
                "a folder-style label is no client's name");
        assertEquals("NEW_FACE", deliver("Ana Gómez", null, null).body().at("/event/status").asText(), "INACTIVE clients");
        Answer unknown = deliver("Desconocido", null, null);
        assertEquals("UNKNOWN", unknown.body().at("/event/status").asText());
        assertNull(unknown.body().at("/event/clientId").textValue());
        assertEquals("UNKNOWN", deliver("Unknown", null, null).body().at("/event/status").asText());
    }
}
