package io.facerec.loopback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * servers/app-webhook-receiver.mjs: the existing Next.js app's webhook route as that app behaves
 * (Bearer check, camera looked up by its id as a foreign key, else by stream URL, else the most
 * recent ONLINE one; names matched against ACTIVE clients), with the cameras and clients a test seeds.
 */
public final class AppWebhookReceiver extends NodeProcess {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    private AppWebhookReceiver(String token, int port) throws Exception {
        super(List.of("app-webhook-receiver.mjs", "--port", Integer.toString(port), "--token-env",
                "FACIAL_RECOGNITION_WEBHOOK_SECRET"), Map.of("FACIAL_RECOGNITION_WEBHOOK_SECRET", token));
        String line;
        try {
            line = waitForLine("app-webhook-receiver listening on ", 15_000);
        } catch (Exception e) {
            close();
            throw e;
        }
        base = URI.create("http://127.0.0.1:" + line.substring(line.lastIndexOf(' ') + 1).strip());
    }

    /** Checking {@code Authorization: Bearer <token>}, as the app checks FACIAL_RECOGNITION_WEBHOOK_SECRET. */
    public static AppWebhookReceiver start(String token) throws Exception {
        return new AppWebhookReceiver(token, 0);
    }

    /** The app's route. */
    public URI url() {
        return base.resolve("/api/facial-recognition/webhook");
    }

    /**
     * Replaces the app's cameras and clients, e.g. {@code {"cameras":[{"id":"clx1","streamUrl":"http://...",
     * "status":"ONLINE","lastSeen":"2026-..."}],"clients":[{"id":"c1","name":"José Pérez","email":"...",
     * "dni":"...","status":"ACTIVE"}]}}, and forgets what it received.
     */
    public void seed(String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/_seed"))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("seed refused: " + r.body());
        }
    }

    /** The DetectionEvents the app created. */
    public List<JsonNode> events() throws Exception {
        return list("/_events");
    }

    /** Every delivery: {@code {status, answer, body, webhookId, receivedAt}}. */
    public List<JsonNode> requests() throws Exception {
        return list("/_requests");
    }

    private List<JsonNode> list(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.body()).forEach(out::add);
        return out;
    }
}
