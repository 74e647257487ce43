package io.facerec.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facerec.loopback.NodeProcess;
import io.facerec.model.result.ResultKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The whole flow, as a newcomer runs it: enrol two people, stream frames with their faces, a
 * stranger and no face through the simulated camera, and check the DynamoDB items, the signed
 * deliveries and the page in headless Chromium.
 */
class LocalStackEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static Path testdata() {
        return io.facerec.loopback.FaceTestData.find().orElseGet(() -> {
            System.out.println("SKIPPED: " + io.facerec.loopback.FaceTestData.missingReason());
            Assumptions.abort(io.facerec.loopback.FaceTestData.missingReason());
            return null;
        });
    }

    static void await(String what, long timeoutMillis, BooleanSupplier ok) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (!ok.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    @Test
    void enrolStreamRecogniseAnnounceAndShow(@TempDir Path tmp) throws Exception {
        Path td = testdata();
        Path root = Path.of(System.getProperty("facerec.root", "..")).toAbsolutePath().normalize();
        Path frames = Files.createDirectories(tmp.resolve("camera"));
        byte[] noFace = Files.readAllBytes(td.resolve("no-faces/skimage_rocket.jpg"));
        Files.copy(td.resolve("face_recognition/images/barack_obama/obama2.jpg"), frames.resolve("1.jpg"));
        Files.copy(td.resolve("face_recognition/images/rose_leslie/img1.jpg"), frames.resolve("2.jpg"));
        Files.write(frames.resolve("3.jpg"), noFace);
        Files.copy(td.resolve("face_recognition/images/joe_biden/biden2.jpg"), frames.resolve("4.jpg"));

        LocalStack.Settings s = new LocalStack.Settings(root, tmp.resolve("data"), 0, 0, NodeProcess.freePort(), 0, 0, 0, 0,
                null, frames, 2, 2, false, "30");
        try (LocalStack stack = new LocalStack(s, RecordedProduct.hooks(LocalStackEndToEndTest.class, tmp))) {
            var s3 = stack.s3();
            // enrol through S3, as a user would in the cloud; the recognizer rebuilds the gallery
            s3.putObject(b -> b.bucket(LocalStack.BUCKET).key("enroll/barack_obama/obama.jpg"),
                    RequestBody.fromFile(td.resolve("face_recognition/images/barack_obama/obama.jpg")));
            s3.putObject(b -> b.bucket(LocalStack.BUCKET).key("enroll/joe_biden/biden.jpg"),
                    RequestBody.fromFile(td.resolve("face_recognition/images/joe_biden/biden.jpg")));
            await("both people in the gallery", 90_000, () -> galleryLabels(stack).containsAll(Set.of("barack_obama", "joe_biden")));

            stack.startCamera();
            await("deliveries for both people and the stranger", 90_000, () -> names(stack).containsAll(
                    Set.of("barack_obama", "joe_biden", "Desconocido")));

            List<JsonNode> deliveries = deliveries(stack);
            for (JsonNode d : deliveries) {
                assertTrue(d.get("authorised").asBoolean(), "Bearer token: " + d);
                assertTrue(d.get("verified").asBoolean(), "signature verified by standardwebhooks: " + d);
                assertTrue(Set.of("barack_obama", "joe_biden", "Desconocido").contains(d.at("/body/result/name").asText()), d.toString());
                assertTrue(d.at("/body/camera_id").isNull(), "no APP_CAMERA_IDS: the app finds its camera by URL: " + d);
                assertTrue(d.at("/body/camera_stream_url").asText().matches("http://127\\.0\\.0\\.1:\\d+/stream"),
                        "the simulated camera's URL, carried by the frame: " + d);
            }

            // DynamoDB: the frames with faces are named; the frame without a face has none and sent nothing.
            // Each frame is known by its bytes (the forwarder uploads them unchanged): its labels are that photo's
            Map<String, List<String>> expected = Map.of(
                    HexFormat.of().formatHex(sha256(Files.readAllBytes(frames.resolve("1.jpg")))), List.of("barack_obama"),
                    HexFormat.of().formatHex(sha256(Files.readAllBytes(frames.resolve("2.jpg")))), List.of("unknown"),
                    HexFormat.of().formatHex(sha256(noFace)), List.of(),
                    HexFormat.of().formatHex(sha256(Files.readAllBytes(frames.resolve("4.jpg")))), List.of("joe_biden"));
            // frames are processed concurrently: the deliveries above can come before the last photo's item
            await("an item for every photo of the camera", 60_000, () -> photosRecorded(stack).containsAll(expected.keySet()));
            var items = stack.dynamoDb().query(b -> b.tableName(LocalStack.TABLE).keyConditionExpression("pk = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(ResultKeys.cameraPk(LocalStack.CAMERA))))).items();
            Set<String> seen = new java.util.HashSet<>();
            for (var it : items) {
                byte[] body = s3.getObjectAsBytes(b -> b.bucket(LocalStack.BUCKET).key(it.get("s3Key").s())).asByteArray();
                String photo = HexFormat.of().formatHex(sha256(body));
                assertTrue(expected.containsKey(photo), it.get("s3Key").s() + " is none of the camera's photos");
                List<String> labels = it.get("faces").l().stream().map(f -> f.m().get("label").s()).toList();
                assertEquals(expected.get(photo), labels, it.get("s3Key").s() + ": the labels of its own photo");
                assertEquals(Integer.toString(labels.size()), it.get("faceCount").n(), it.get("s3Key").s());
                if (labels.isEmpty()) {
                    // no face of its own to announce; it may carry the announcement of a person-track it
                    // ended or decided (README, Person-tracks), and nothing else
                    List<AttributeValue> sent = it.containsKey("webhooks") ? it.get("webhooks").l() : List.of();
                    assertTrue(sent.stream().allMatch(w -> w.m().containsKey("track")),
                            it.get("s3Key").s() + ": a frame without a face announces tracks only: " + sent);
                }
                seen.add(photo);
            }
            assertEquals(expected.keySet(), seen, "every photo of the camera was streamed and recorded");
            assertEquals(0, stack.runtime().stats().failed().size());

            // the page, rendered by headless Chromium, shows a named face
            Path shot = root.resolve("local-stack/target/local-stack-page.png");
            String dom = chromium(stack.pageUrl(), shot, tmp.resolve("chromium"));
            assertTrue(dom.contains("data-label=\"barack_obama\"") || dom.contains("data-label=\"joe_biden\""),
                    "a named face on the page");
            assertTrue(Files.size(shot) > 10_000, "screenshot kept at " + shot);
        }
    }

    /** Each frame's SHA-256 by key, read once: the await below polls. */
    static final Map<String, String> PHOTO_OF_KEY = new java.util.concurrent.ConcurrentHashMap<>();

    /** The SHA-256 of each frame the camera's items record. */
    static Set<String> photosRecorded(LocalStack stack) {
        Set<String> out = new java.util.HashSet<>();
        stack.dynamoDb().query(b -> b.tableName(LocalStack.TABLE).keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(ResultKeys.cameraPk(LocalStack.CAMERA)))))
                .items().forEach(it -> out.add(PHOTO_OF_KEY.computeIfAbsent(it.get("s3Key").s(), key -> HexFormat.of()
                        .formatHex(sha256(stack.s3().getObjectAsBytes(b -> b.bucket(LocalStack.BUCKET).key(key)).asByteArray())))));
        return out;
    }

    static byte[] sha256(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Set<String> galleryLabels(LocalStack stack) {
        try {
            return new java.util.HashSet<>(S3GalleryObjects.labels(stack.s3(), LocalStack.BUCKET, "gallery/"));
        } catch (Exception e) {
            return Set.of();
        }
    }

    static List<JsonNode> deliveries(LocalStack stack) {
        try {
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(stack.receiver().deliveriesJson()).forEach(out::add);
            return out;
        } catch (Exception e) {
            return List.of();
        }
    }

    static Set<String> names(LocalStack stack) {
        return deliveries(stack).stream().map(d -> d.at("/body/result/name").asText()).collect(Collectors.toSet());
    }

    /** The page's DOM after its scripts ran, and a screenshot, from Debian's headless Chromium. */
    static String chromium(String url, Path screenshot, Path profile) throws Exception {
        String bin = Files.isExecutable(Path.of("/usr/bin/chromium")) ? "/usr/bin/chromium" : "chromium";
        List<String> common = List.of(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1280,900", "--virtual-time-budget=8000");
        Files.createDirectories(screenshot.getParent());
        List<String> shot = new ArrayList<>(common);
        shot.add("--screenshot=" + screenshot);
        shot.add(url);
        run(shot);
        List<String> dump = new ArrayList<>(common);
        dump.add("--dump-dom");
        dump.add(url);
        return run(dump);
    }

    static String run(List<String> cmd) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("headless Chromium is needed for the page check: install Debian's chromium "
                    + "package (.ci/run does)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium finished");
        assertFalse(out.isEmpty() && cmd.contains("--dump-dom"), "chromium printed the DOM");
        return out;
    }
}
