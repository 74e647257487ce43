package io.facerec.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.facerec.api.ApiTransport;
import io.facerec.api.FrontendClientCalls;
import io.facerec.api.HttpTransport;
import io.facerec.api.OpenApiContract;
import io.facerec.loopback.NodeProcess;
import io.facerec.model.result.ResultKeys;
import io.facerec.model.control.ControlState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The results API as the app meets it on the local stack: over HTTP on loopback, no key, answered
 * by the same handler, reading what the packaged recognizer (under the runtime interface client)
 * wrote from the simulated camera's frames, and stopping and resuming that recognizer.
 */
class LocalStackResultsApiTest {
    static final OpenApiContract CONTRACT = OpenApiContract.load();

    @Test
    void theAppsCallsWorkAgainstTheLocalStack(@TempDir Path tmp) throws Exception {
        Path td = LocalStackEndToEndTest.testdata();
        Path root = Path.of(System.getProperty("facerec.root", "..")).toAbsolutePath().normalize();
        Path frames = Files.createDirectories(tmp.resolve("camera"));
        Files.copy(td.resolve("face_recognition/images/barack_obama/obama2.jpg"), frames.resolve("1.jpg"));
        int cameraPort = NodeProcess.freePort();
        LocalStack.Settings s = new LocalStack.Settings(root, tmp.resolve("data"), 0, 0, NodeProcess.freePort(), 0, 0,
                cameraPort, 0, null, frames, 2, 2, false, "30", 0, null);
        try (LocalStack stack = new LocalStack(s)) {
            URI base = URI.create(stack.apiUrl()).resolve("/");
            assertEquals("/api", URI.create(stack.apiUrl()).getPath());
            ApiTransport http = new HttpTransport(base);
            assertEquals(404, http.send("GET", "/api/latest", null, Map.of()).status(), "nothing yet, and no key needed");

            stack.s3().putObject(b -> b.bucket(LocalStack.BUCKET).key("enroll/Barack Obama/obama.jpg"),
                    RequestBody.fromFile(td.resolve("face_recognition/images/barack_obama/obama.jpg")));
            LocalStackEndToEndTest.await("Barack Obama in the gallery", 90_000,
                    () -> LocalStackEndToEndTest.galleryLabels(stack).contains("Barack Obama"));
            stack.startCamera();
            LocalStackEndToEndTest.await("a result for Barack Obama", 90_000, () -> name(http).equals("Barack Obama"));

            String cameraUrl = "http://127.0.0.1:" + cameraPort + "/stream";
            FrontendClientCalls.replay(http, CONTRACT, Map.of(), "BARACK OBAMA", cameraUrl);

            // stop: the packaged recognizer records frames without analysing them; start resumes
            http.send("POST", "/api/stop", null, Map.of());
            Thread.sleep(2500); // the recognizer re-reads the record every second
            String stoppedAt = ResultKeys.time(java.time.Instant.now());
            LocalStackEndToEndTest.await("a frame recorded while stopped", 60_000,
                    () -> !framesSince(stack, stoppedAt).isEmpty());
            for (Map<String, AttributeValue> item : framesSince(stack, stoppedAt)) {
                assertEquals(ControlState.NOT_ANALYSED, item.get("error").s(), item.toString());
                assertEquals("0", item.get("faceCount").n());
            }
            JsonNode started = http.send("POST", "/api/start", null, Map.of()).body();
            assertEquals("started", started.get("status").asText());
            String startedAt = ResultKeys.time(java.time.Instant.now().plusSeconds(2));
            LocalStackEndToEndTest.await("analysis again after start", 60_000, () -> framesSince(stack, startedAt).stream()
                    .anyMatch(i -> i.get("error") == null && "1".equals(i.get("faceCount").n())));

            // CORS: the app's dev origin may call it from the browser, another site may not
            HttpClient c = HttpClient.newHttpClient();
            HttpResponse<String> ok = c.send(HttpRequest.newBuilder(base.resolve("/api/status"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://localhost:3000")
                    .header("Access-Control-Request-Method", "GET").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, ok.statusCode());
            assertEquals("http://localhost:3000", ok.headers().firstValue("access-control-allow-origin").orElse(null));
            HttpResponse<String> other = c.send(HttpRequest.newBuilder(base.resolve("/api/status"))
                    .header("Origin", "https://elsewhere.example").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, other.statusCode());
            assertNull(other.headers().firstValue("access-control-allow-origin").orElse(null));
            ApiTransport.Answer missing = http.send("GET", "/api/nowhere", null, Map.of());
            assertEquals(404, missing.status());
            assertTrue(missing.body().get("error").isTextual());
            assertFalse(http.send("PUT", "/api/config", "{oops", Map.of()).body().toString().contains("Exception"));
        }
    }

    static String name(ApiTransport http) {
        try {
            ApiTransport.Answer a = http.send("GET", "/api/latest", null, Map.of());
            return a.status() == 200 ? a.body().get("name").asText() : "";
        } catch (Exception e) {
            return "";
        }
    }

    static List<Map<String, AttributeValue>> framesSince(LocalStack stack, String since) {
        return stack.dynamoDb().query(b -> b.tableName(LocalStack.TABLE)
                .keyConditionExpression("pk = :pk AND sk > :t")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(ResultKeys.cameraPk(LocalStack.CAMERA)),
                        ":t", AttributeValue.fromS(since)))).items();
    }
}
