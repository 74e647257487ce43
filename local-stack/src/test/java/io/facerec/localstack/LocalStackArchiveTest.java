package io.facerec.localstack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facerec.archiver.archive.RunSummary;
import io.facerec.loopback.NodeProcess;
import io.facerec.model.frame.BundleKey;
import io.facerec.model.frame.FrameKey;
import io.facerec.model.frame.FrameMetadata;
import io.facerec.model.result.ResultKeys;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The archiver inside the local stack: frames a forwarder's spool delivers late, for hours already
 * past the hot window, become one bundle per hour; the page lists them, and a result's frame key
 * still leads to the image, now read from its bundle.
 */
class LocalStackArchiveTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void framesOfPastHoursBecomeBundlesThatThePageShowsAndServes(@TempDir Path tmp) throws Exception {
        Path root = Path.of(System.getProperty("facerec.root", "..")).toAbsolutePath().normalize();
        LocalStack.Settings s = new LocalStack.Settings(root, tmp.resolve("data"), 0, 0, NodeProcess.freePort(), 0, 0, 0, 0,
                null, tmp.resolve("no-camera"), 2, 2, false, "30");
        try (LocalStack stack = new LocalStack(s)) {
            Instant yesterday = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(26));
            Random r = new Random(3);
            Map<String, byte[]> frames = new TreeMap<>();
            for (int h = 0; h < 3; h++) {
                for (int i = 0; i < 4; i++) {
                    Instant t = yesterday.plus(Duration.ofHours(h)).plusSeconds(i * 600L + 7);
                    FrameKey k = new FrameKey("porch", t.toEpochMilli(), h * 10L + i);
                    byte[] jpeg = jpeg(r);
                    stack.s3().putObject(b -> b.bucket(LocalStack.BUCKET).key(k.toKey()).contentType(FrameMetadata.CONTENT_TYPE)
                            .metadata(new FrameMetadata("porch", t, k.sequence(), "test").toMap()), RequestBody.fromBytes(jpeg));
                    frames.put(k.toKey(), jpeg);
                }
            }
            // the recognizer records every frame first, as it would have when they arrived
            LocalStackEndToEndTest.await("12 frames recorded", 120_000, () -> results(stack).size() == 12
                    && stack.runtime().pending() == 0);

            RunSummary run = stack.archiver().runNow();
            assertEquals(3, run.bundlesWritten(), run.toString());
            assertEquals(12, run.framesArchived());
            assertEquals(12, run.framesDeleted());
            assertTrue(stack.s3().listObjectsV2(b -> b.bucket(LocalStack.BUCKET).prefix("frames/porch/")).contents().isEmpty());

            JsonNode archive = JSON.readTree(get(stack.pageUrl() + "api/archive").body());
            assertEquals(3, archive.at("/total/bundles").asInt(), archive.toString());
            for (JsonNode b : archive.get("bundles")) {
                assertEquals(4, b.get("frames").asInt(), b.toString());
                assertEquals("GLACIER", b.get("storageClass").asText());
            }

            // each result still leads to its image, now read from the bundle its key names
            for (String key : results(stack)) {
                HttpResponse<byte[]> img = get(stack.pageUrl() + "api/frame?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8));
                assertEquals(200, img.statusCode(), key);
                assertArrayEquals(frames.get(key), img.body(), key);
            }
            assertEquals(0, stack.runtime().stats().failed().size());

            String firstBundle = BundleKey.of(FrameKey.parse(frames.keySet().iterator().next()).orElseThrow()).tarKey();
            String dom = LocalStackEndToEndTest.chromium(stack.pageUrl(), root.resolve("local-stack/target/local-stack-archive.png"),
                    tmp.resolve("chromium"));
            assertTrue(dom.contains("data-bundle=\"" + firstBundle + "\""), "the page lists " + firstBundle);
        }
    }

    static java.util.List<String> results(LocalStack stack) {
        return stack.dynamoDb().query(b -> b.tableName(LocalStack.TABLE).keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(ResultKeys.cameraPk("porch"))))).items()
                .stream().map(it -> it.get("s3Key").s()).toList();
    }

    static HttpResponse<byte[]> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static byte[] jpeg(Random r) throws Exception {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, r.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }
}
