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
 * servers/webhook-receiver.mjs: checks the Bearer token and verifies each delivery's signature with
 * the npm {@code standardwebhooks} package (code we did not write) and the signing key, a secret of
 * its own.
 */
public final class WebhookReceiver extends NodeProcess {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    private WebhookReceiver(String token, String signingKey, int port) throws Exception {
        super(List.of("webhook-receiver.mjs", "--port", Integer.toString(port), "--token-env", "WEBHOOK_TOKEN",
                "--signing-key-env", "WEBHOOK_SIGNING_KEY"), Map.of("WEBHOOK_TOKEN", token, "WEBHOOK_SIGNING_KEY", signingKey));
        String line;
        try {
            line = waitForLine("webhook-receiver listening on ", 15_000);
        } catch (Exception e) {
            close();
            throw e;
        }
        base = URI.create("http://127.0.0.1:" + line.substring(line.lastIndexOf(' ') + 1).strip());
    }

    /** Checking {@code Authorization: Bearer <token>} and signatures made with {@code signingKey} (whsec_...). */
    public static WebhookReceiver start(String token, String signingKey) throws Exception {
        return new WebhookReceiver(token, signingKey, 0);
    }

    public static WebhookReceiver start(String token, String signingKey, int port) throws Exception {
        return new WebhookReceiver(token, signingKey, port);
    }

    /** Every delivery so far, as the receiver's JSON. */
    public String deliveriesJson() throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve("/_deliveries")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Where the recognizer should POST. */
    public URI url() {
        return base.resolve("/api/facial-recognition/webhook");
    }

    public List<JsonNode> deliveries() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/_deliveries")).build(),
                HttpResponse.BodyHandlers.ofString());
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.body()).forEach(out::add);
        return out;
    }

    public void clear() throws Exception {
        http.send(HttpRequest.newBuilder(base.resolve("/_deliveries")).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }

    /** Queues a behaviour for the next deliveries, e.g. {@code {"status":500,"times":2}}. */
    public void behave(String json) throws Exception {
        http.send(HttpRequest.newBuilder(base.resolve("/_behaviour")).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.discarding());
    }
}
