package io.facerec.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.facerec.model.webhook.WebhookSigner;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stand-in receiver: what it accepts, and that a bad control request does not take it down. */
class WebhookReceiverTest {
    static final String TOKEN = "receiver-test-token-0123456789";
    static final String KEY = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static WebhookReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = WebhookReceiver.start(TOKEN, KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        receiver.close();
    }

    @BeforeEach
    void clear() throws Exception {
        receiver.clear();
    }

    static int post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(receiver.url().resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static int deliver(String authorization) throws Exception {
        byte[] body = "{\"result\":{\"name\":\"ana\"}}".getBytes(StandardCharsets.UTF_8);
        long ts = System.currentTimeMillis() / 1000;
        HttpRequest.Builder req = HttpRequest.newBuilder(receiver.url()).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", authorization);
        new WebhookSigner(KEY).headers("msg-" + System.nanoTime(), ts, body).forEach(req::header);
        return HTTP.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void onlyTheExactBearerTokenIsAuthorised() throws Exception {
        assertEquals(201, deliver("Bearer " + TOKEN));
        String sameLength = "Bearer " + "x".repeat(TOKEN.length());
        assertEquals(401, deliver(sameLength));
        assertEquals(401, deliver("Bearer " + TOKEN.substring(1)));
        assertEquals(401, deliver("Bearer " + TOKEN + "x"));
        assertEquals(401, deliver("bearer " + TOKEN));
        List<JsonNode> d = receiver.deliveries();
        assertEquals(List.of(true, false, false, false, false), d.stream().map(x -> x.get("authorised").asBoolean()).toList());
        assertTrue(d.stream().allMatch(x -> x.get("verified").asBoolean()), "every signature was right");
    }

    @Test
    void malformedControlRequestsAreRefusedAndTheReceiverKeepsServing() throws Exception {
        assertEquals(400, post("/_behaviour", "{not json"));
        assertEquals(400, post("/_behaviour", "{\"status\":\"abc\"}"));
        assertEquals(400, post("/_behaviour", "{\"status\":99}"));
        assertEquals(400, post("/_behaviour", "{\"times\":1000000000}"));
        assertEquals(400, post("/_behaviour", "[1,2]"));
        // still alive, and none of the refused behaviours was queued
        assertEquals(201, deliver("Bearer " + TOKEN));
        assertEquals(200, post("/_behaviour", "{\"status\":503,\"times\":1}"));
        assertEquals(503, deliver("Bearer " + TOKEN));
        assertFalse(receiver.deliveries().isEmpty());
    }
}
