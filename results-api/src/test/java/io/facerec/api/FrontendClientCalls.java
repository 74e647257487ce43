package io.facerec.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The Next.js app's API client (src/lib/facial-recognition-api.ts) as it calls the old API: its
 * paths, methods and bodies, in a dashboard's order, plus the kiosk's registration. Every answer is
 * checked against openapi.yaml and against the shapes the app reads.
 */
public final class FrontendClientCalls {
    private FrontendClientCalls() {
    }

    /** 128 numbers as face-api sends them. */
    public static String encoding(int n) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (int i = 0; i < n; i++) {
            j.add(Double.toString(Math.round(Math.sin(i + 1) * 1e6) / 1e7));
        }
        return j.toString();
    }

    /**
     * Replays the calls; {@code knownName} is someone with at least one result, written in another
     * case than the gallery's; {@code streamUrl} is set while stopped (a loopback URL: a forwarder
     * may act on it). Leaves recognition started.
     */
    public static List<ApiTransport.Answer> replay(ApiTransport t, OpenApiContract contract, Map<String, String> auth,
                                                  String knownName, String streamUrl) throws Exception {
        List<ApiTransport.Answer> all = new ArrayList<>();
        JsonNode status = call(t, contract, auth, all, "GET", "/api/status", null, 200);
        assertTrue(status.get("active").isBoolean() && status.get("stream_url").isTextual()
                && status.get("total_results").isIntegralNumber(), status.toString());

        JsonNode started = call(t, contract, auth, all, "POST", "/api/start", null, 200);
        assertEquals("started", started.get("status").asText());

        JsonNode results = call(t, contract, auth, all, "GET", "/api/results", null, 200);
        assertTrue(results.get("results").size() >= 1 && results.get("total").asLong() >= results.get("results").size(),
                results.toString());
        JsonNode twenty = call(t, contract, auth, all, "GET", "/api/results?limit=20", null, 200);
        assertTrue(twenty.get("results").size() <= 20);

        JsonNode latest = call(t, contract, auth, all, "GET", "/api/latest", null, 200);
        assertTrue(latest.get("name").isTextual() && latest.get("box").has("top"), latest.toString());

        JsonNode stats = call(t, contract, auth, all, "GET", "/api/stats", null, 200);
        assertTrue(stats.get("total_detections").asLong() >= 1 && stats.get("last_detection").isTextual(), stats.toString());

        JsonNode config = call(t, contract, auth, all, "PUT", "/api/config", "{\"threshold\":0.5,\"encoding_model\":\"hog\"}", 200);
        assertEquals(0.5, config.get("threshold").asDouble());

        String path = "/api/results/" + java.net.URLEncoder.encode(knownName, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20") + "?limit=5";
        JsonNode person = call(t, contract, auth, all, "GET", path, null, 200);
        assertEquals(knownName, person.get("user").asText());
        assertTrue(person.get("returned").asInt() >= 1 && person.get("returned").asInt() <= 5, person.toString());
        assertEquals(person.get("results").size(), person.get("returned").asInt());

        JsonNode registered = call(t, contract, auth, all, "POST", "/api/register",
                "{\"name\":\"Kiosk Visitor\",\"encoding\":" + encoding(128) + ",\"client_id\":\"clx123kiosk\"}", 200);
        assertEquals("Kiosk Visitor", registered.get("name").asText());

        JsonNode stopped = call(t, contract, auth, all, "POST", "/api/stop", null, 200);
        assertEquals("stopped", stopped.get("status").asText());
        JsonNode moved = call(t, contract, auth, all, "PUT", "/api/config", "{\"stream_url\":\"" + streamUrl + "\"}", 200);
        assertEquals(streamUrl, moved.get("stream_url").asText());
        JsonNode again = call(t, contract, auth, all, "POST", "/api/start", null, 200);
        assertEquals(streamUrl, again.get("stream_url").asText());
        return all;
    }

    static JsonNode call(ApiTransport t, OpenApiContract contract, Map<String, String> auth, List<ApiTransport.Answer> all,
                         String method, String path, String body, int expected) throws Exception {
        ApiTransport.Answer a = t.send(method, path, body, auth);
        all.add(a);
        assertEquals(expected, a.status(), method + " " + path + ": " + a.body());
        contract.check(method, path, a.status(), a.body());
        return a.body();
    }
}
