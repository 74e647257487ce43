package io.facerec.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facerec.api.HttpTransport;
import io.facerec.loopback.AppWebhookReceiver;
import io.facerec.loopback.NodeProcess;
import io.facerec.model.gallery.Gallery;
import io.facerec.model.result.ResultKeys;
import io.facerec.recognizer.engine.EngineConfig;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.testing.SeedGallery;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The README's "Coming from the Python app", run on the local stack: the old app's gallery
 * (float32 (N,128) encodings.npy and labels.json with full names and repeats, no gallery.json, made
 * from the shared photos with the dlib-compatible path) copied to gallery/ as it is; the kiosk
 * registering one more person through POST /api/register with a 128-number descriptor; the
 * deliveries going to the user's own app (NEXTJS_WEBHOOK_URL), here the stand-in written to that
 * app's behaviour. The people's frames are named and MATCHED with 201; the stranger is not named.
 */
class ComingFromThePythonAppTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String APP_SECRET = "the-apps-own-FACIAL_RECOGNITION_WEBHOOK_SECRET";
    static final String APP_CAMERA = "clxfrontdoor000000000001";
    static final Set<String> PEOPLE = Set.of("Barack Obama", "Joe Biden", "Kit Harington");

    @Test
    void theOldGalleryCopiedAsItIsAndAKioskRegistrationNameFramesForTheApp(@TempDir Path tmp) throws Exception {
        Path td = LocalStackEndToEndTest.testdata();
        Path images = td.resolve("face_recognition/images");
        Path root = Path.of(System.getProperty("facerec.root", "..")).toAbsolutePath().normalize();

        // the old app's files and the kiosk's descriptor, from the dlib-compatible path
        Map<String, List<Path>> people = new LinkedHashMap<>();
        people.put("Barack Obama", List.of(images.resolve("barack_obama/obama.jpg"), images.resolve("barack_obama/obama1.jpg")));
        people.put("Joe Biden", List.of(images.resolve("joe_biden/biden.jpg")));
        Gallery.Encoded seed;
        float[] kiosk;
        try (FaceEngine engine = FaceEngine.load(EngineConfig.defaults(), null)) {
            seed = SeedGallery.files(engine, people);
            kiosk = SeedGallery.descriptor(engine, images.resolve("kit_harington/john1.jpeg"));
        }
        assertEquals(List.of("Barack Obama", "Barack Obama", "Joe Biden"),
                List.of(JSON.readValue(seed.labels(), String[].class)), "full names, repeated per row");

        Path frames = Files.createDirectories(tmp.resolve("camera"));
        Files.copy(images.resolve("barack_obama/obama2.jpg"), frames.resolve("1.jpg"));
        Files.copy(images.resolve("rose_leslie/img1.jpg"), frames.resolve("2.jpg"));
        Files.copy(images.resolve("joe_biden/biden2.jpg"), frames.resolve("3.jpg"));
        Files.copy(images.resolve("kit_harington/john2.jpeg"), frames.resolve("4.jpg"));
        int cameraPort = NodeProcess.freePort();
        String cameraUrl = "http://127.0.0.1:" + cameraPort + "/stream";

        try (AppWebhookReceiver app = AppWebhookReceiver.start(APP_SECRET)) {
            // the app's own records: the camera by its stream URL, the clients by their full names
            app.seed("{\"cameras\":[{\"id\":\"" + APP_CAMERA + "\",\"streamUrl\":\"" + cameraUrl + "\",\"status\":\"ONLINE\","
                    + "\"lastSeen\":\"2026-05-01T10:00:00Z\"}],\"clients\":["
                    + "{\"id\":\"c-obama\",\"name\":\"Barack Obama\",\"email\":\"b@example.com\",\"dni\":\"1H\",\"status\":\"ACTIVE\"},"
                    + "{\"id\":\"c-biden\",\"name\":\"Joe Biden\",\"email\":\"j@example.com\",\"dni\":\"2J\",\"status\":\"ACTIVE\"},"
                    + "{\"id\":\"c-kit\",\"name\":\"Kit Harington\",\"email\":\"k@example.com\",\"dni\":\"3K\",\"status\":\"ACTIVE\"}]}");
            LocalStack.Settings s = new LocalStack.Settings(root, tmp.resolve("data"), 0, 0, NodeProcess.freePort(), 0, 0,
                    cameraPort, 0, null, frames, 2, 2, false, "30", 0, null)
                    .withUserApp(new LocalStack.UserApp(app.url().toString(), APP_SECRET, null));
            try (LocalStack stack = new LocalStack(s)) {
                // the guide's gallery step: aws s3 cp encodings.npy labels.json s3://<bucket>/gallery/
                stack.s3().putObject(b -> b.bucket(LocalStack.BUCKET).key("gallery/encodings.npy"),
                        RequestBody.fromBytes(seed.encodings()));
                stack.s3().putObject(b -> b.bucket(LocalStack.BUCKET).key("gallery/labels.json"),
                        RequestBody.fromBytes(seed.labels()));

                // the kiosk, unchanged, registers Kit Harington with its 128-number descriptor
                StringBuilder encoding = new StringBuilder("[");
                for (float f : kiosk) {
                    encoding.append(encoding.length() > 1 ? "," : "").append(f);
                }
                var registered = new HttpTransport(URI.create(stack.apiUrl()).resolve("/")).send("POST", "/api/register",
                        "{\"name\":\"Kit Harington\",\"encoding\":" + encoding + "],\"client_id\":\"c-kit\"}", Map.of());
                assertEquals(200, registered.status(), registered.body().toString());
                String written = registered.body().get("files").get(0).asText();
                assertTrue(written.matches("enroll/Kit Harington/[0-9a-f]{16}\\.descriptor\\.json"), written);
                LocalStackEndToEndTest.await("Kit Harington in the gallery beside the copied rows", 90_000,
                        () -> LocalStackEndToEndTest.galleryLabels(stack).containsAll(PEOPLE));

                stack.startCamera();
                LocalStackEndToEndTest.await("the app's answers for the three people and the stranger", 120_000,
                        () -> answeredNames(app).containsAll(Set.of("Barack Obama", "Joe Biden", "Kit Harington", "Desconocido")));

                for (JsonNode r : app.requests()) {
                    String name = r.at("/body/result/name").asText();
                    assertEquals(201, r.get("status").asInt(), r.toString());
                    assertTrue(r.at("/body/camera_id").isNull(), "no APP_CAMERA_IDS: null, as the old app sent: " + r);
                    assertEquals(cameraUrl, r.at("/body/camera_stream_url").asText(), "the frame's own stream URL");
                    assertEquals(APP_CAMERA, r.at("/answer/event/cameraId").asText());
                    assertEquals(PEOPLE.contains(name) ? "MATCHED" : "UNKNOWN", r.at("/answer/event/status").asText(),
                            r.toString());
                    assertTrue(PEOPLE.contains(name) || name.equals("Desconocido"), "nobody else is named: " + r);
                    double distance = r.at("/body/result/distance").asDouble();
                    // round(1 - d, 2) and round(d, 3) of one d: within half a cent of 1 - the rounded distance
                    double confidence = r.at("/body/result/confidence").asDouble();
                    assertEquals(1 - distance, confidence, 0.0051, r.toString());
                    assertEquals(Math.round(confidence * 100) / 100.0, confidence, 0.0, "two decimals: " + r);
                    if (PEOPLE.contains(name)) {
                        assertTrue(distance <= 0.6, "a dlib distance within the old app's 0.6: " + r);
                    }
                }

                // the frames were matched with the gallery's model, and the stranger's face is unknown
                List<String> labels = new ArrayList<>();
                for (var it : stack.dynamoDb().query(b -> b.tableName(LocalStack.TABLE).keyConditionExpression("pk = :p")
                        .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(ResultKeys.cameraPk(LocalStack.CAMERA)))))
                        .items()) {
                    assertEquals("dlib-resnet-v1/face-api-1.7.15", it.get("modelId").s(), it.toString());
                    assertFalse(it.containsKey("galleryProblem"), it.toString());
                    it.get("faces").l().forEach(f -> labels.add(f.m().get("label").s()));
                }
                assertTrue(labels.containsAll(List.of("Barack Obama", "Joe Biden", "Kit Harington", "unknown")), labels.toString());

                // the page shows the deliveries to the app and its answers
                JsonNode page = new LocalPageState(stack).get();
                assertTrue(page.get("deliveries").toString().contains("HTTP 201"), page.toString());
            }
        }
    }

    static Set<String> answeredNames(AppWebhookReceiver app) {
        try {
            return app.requests().stream().map(r -> r.at("/body/result/name").asText()).collect(Collectors.toSet());
        } catch (Exception e) {
            return Set.of();
        }
    }

    /** The page's state, as its script fetches it. */
    record LocalPageState(LocalStack stack) {
        JsonNode get() throws Exception {
            var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    URI.create(stack.pageUrl() + "api/state")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        }
    }
}
