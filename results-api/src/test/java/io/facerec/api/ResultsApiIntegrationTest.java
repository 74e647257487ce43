package io.facerec.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.facerec.api.config.ApiConfig;
import io.facerec.api.handler.ResultsApi;
import io.facerec.api.handler.ResultsApiHandler;
import io.facerec.loopback.Dynalite;
import io.facerec.loopback.FaceTestData;
import io.facerec.loopback.ResultTableSchema;
import io.facerec.loopback.S3Server;
import io.facerec.loopback.S3VersionIds;
import io.facerec.loopback.SecretsManagerServer;
import io.facerec.loopback.sdkcalls.ProductRole;
import io.facerec.loopback.sdkcalls.SdkCallRecorder;
import io.facerec.model.control.ControlState;
import io.facerec.model.frame.FrameKey;
import io.facerec.model.result.ResultKeys;
import io.facerec.recognizer.config.RecognizerConfig;
import io.facerec.recognizer.handler.Recognizer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The results API against what the real recognizer writes: dynalite and S3Proxy on loopback, the
 * recognizer with its face models processing real photos, the API through its Lambda handler with
 * API Gateway events. Covers the app's calls, the path of a frame into every read route, the
 * control record (threshold, stop and start) as the recognizer honours it, and the counters'
 * at-least-once safety.
 */
class ResultsApiIntegrationTest {
    static final String BUCKET = "facerec-api-test";
    static final String TABLE = "facerec-results";
    static final String KEY = "test-api-key-0123456789abcdef";
    static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + KEY);
    static final OpenApiContract CONTRACT = OpenApiContract.load();
    static final AtomicLong seq = new AtomicLong();
    static Path photos;
    static S3Server s3Server;
    static SecretsManagerServer secrets;
    static Dynalite dynalite;
    static S3Client s3;
    static DynamoDbClient ddb;
    static Recognizer recognizer;
    static ApiTransport api;

    @BeforeAll
    static void start() throws Exception {
        Path td = FaceTestData.find().orElse(null);
        if (td == null) {
            System.out.println("SKIPPED: " + FaceTestData.missingReason());
            Assumptions.abort(FaceTestData.missingReason());
        }
        photos = td.resolve("face_recognition/images");
        s3Server = new S3Server(null);
        s3 = s3Server.client();
        s3.createBucket(b -> b.bucket(BUCKET));
        dynalite = Dynalite.start();
        ddb = dynalite.client();
        ResultTableSchema.ensure(ddb, TABLE);
        Map<String, String> env = env();
        env.put("GALLERY_REFRESH_S", "0");
        env.put("CONTROL_REFRESH_S", "0");
        recognizer = Recognizer.create(RecognizerConfig.from(env), s3, ddb, arn -> {
            throw new AssertionError("no Secrets Manager here");
        }, Clock.systemUTC());
        // the API as deployed: its key from Secrets Manager; its own clients, recorded for the IAM contract
        secrets = SecretsManagerServer.start();
        Map<String, String> apiEnv = env();
        apiEnv.put("API_KEY_SECRET_ARN", secrets.create("results-api-key", KEY));
        var calls = SdkCallRecorder.forTest(ProductRole.RESULTS_API, ResultsApiIntegrationTest.class, apiEnv);
        api = new HandlerTransport(new ResultsApiHandler(ResultsApi.create(ApiConfig.from(apiEnv), dynalite.client(calls),
                s3Server.client(calls), secrets.client(calls), Clock.systemUTC())));
        enrol("Barack Obama", "barack_obama/obama.jpg");
        enrol("Barack Obama", "barack_obama/obama1.jpg");
        enrol("joe_biden", "joe_biden/biden.jpg");
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {secrets, dynalite, s3Server}) {
            if (c != null) {
                c.close();
            }
        }
    }

    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("RESULTS_TABLE", TABLE);
        env.put("GALLERY_BUCKET", BUCKET);
        env.put("AWS_ENDPOINT_URL_S3", s3Server.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint().toString());
        return env;
    }

    static String s3Encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    /** The record of an object just put, with what a versioned bucket's event carries. */
    static Recognizer.Summary deliver(String key, long size) {
        String eTag = s3.headObject(b -> b.bucket(BUCKET).key(key)).eTag().replace("\"", "");
        return recognizer.handle(List.of(new Recognizer.Record("ObjectCreated:Put", BUCKET, s3Encode(key),
                S3VersionIds.newVersionId(), eTag, S3VersionIds.nextSequencer(), size)), 30_000);
    }

    static void enrol(String name, String photo) throws Exception {
        byte[] b = Files.readAllBytes(photos.resolve(photo));
        String key = "enroll/" + name + "/" + Path.of(photo).getFileName();
        s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(b));
        assertEquals(1, deliver(key, b.length).enrolments());
    }

    /** Uploads a photo as a camera frame captured now, processes it, returns its key. */
    static String frame(String photo) throws Exception {
        byte[] b = Files.readAllBytes(photos.resolve(photo));
        String key = new FrameKey("door", System.currentTimeMillis() + seq.incrementAndGet(), seq.get()).toKey();
        s3.putObject(r -> r.bucket(BUCKET).key(key).contentType("image/jpeg"), RequestBody.fromBytes(b));
        Recognizer.Summary s = deliver(key, b.length);
        assertTrue(s.retryable().isEmpty(), s.toString());
        return key;
    }

    static JsonNode get(String path) throws Exception {
        return call("GET", path, null, 200);
    }

    static JsonNode call(String method, String path, String body, int expected) throws Exception {
        ApiTransport.Answer a = api.send(method, path, body, AUTH);
        assertEquals(expected, a.status(), method + " " + path + " -> " + a.body());
        CONTRACT.check(method, path, a.status(), a.body());
        return a.body();
    }

    static String captureTimeOf(String key) {
        return ResultKeys.time(FrameKey.parse(key).orElseThrow().captureTime());
    }

    @Test
    void frontendClientCallsKeepTheContract() throws Exception {
        frame("barack_obama/obama2.jpg");
        FrontendClientCalls.replay(api, CONTRACT, AUTH, "barack obama", "http://127.0.0.1:9/stream");
        // the replay set a stream URL; put the default one back for the other tests
        call("POST", "/api/stop", null, 200);
        call("PUT", "/api/config", "{\"stream_url\":\"http://127.0.0.1:8081/stream\"}", 200);
        call("POST", "/api/start", null, 200);
    }

    @Test
    void aFrameOfAKnownPersonAppearsInLatestResultsTheirResultsAndStats() throws Exception {
        JsonNode before = get("/api/stats");
        String key = frame("barack_obama/obama2.jpg");
        String at = captureTimeOf(key);

        JsonNode latest = get("/api/latest");
        assertEquals("Barack Obama", latest.get("name").asText(), latest.toString());
        assertEquals(at, latest.get("timestamp").asText());
        assertTrue(latest.get("confidence").asDouble() >= 0.5);
        // the old app's rounding: distance to 3 decimals, confidence (1 - distance) to 2
        assertEquals(1 - latest.get("distance").asDouble(), latest.get("confidence").asDouble(), 0.0051);
        assertEquals(latest.get("confidence").asDouble(), Math.round(latest.get("confidence").asDouble() * 100) / 100.0, 0.0);
        assertTrue(latest.get("box").get("right").asInt() > latest.get("box").get("left").asInt());

        JsonNode results = get("/api/results?limit=20");
        JsonNode last = results.get("results").get(results.get("results").size() - 1);
        assertEquals(latest, last, "newest last, as the old API returned them");

        for (String spelling : List.of("barack%20obama", "BARACK%20OBAMA", "Barack%20Obama")) {
            JsonNode mine = get("/api/results/" + spelling + "?limit=3");
            JsonNode newest = mine.get("results").get(mine.get("returned").asInt() - 1);
            assertEquals(at, newest.get("timestamp").asText(), spelling + ": " + mine);
            assertEquals("Barack Obama", newest.get("name").asText());
            assertEquals(latest.get("box"), newest.get("box"));
        }
        assertEquals(0, get("/api/results/barack?limit=3").get("returned").asInt(), "a name matches whole, not in part");

        JsonNode after = get("/api/stats");
        assertEquals(before.get("total_detections").asLong() + 1, after.get("total_detections").asLong());
        assertEquals(before.path("recognized").path("Barack Obama").asLong() + 1,
                after.get("recognized").get("Barack Obama").asLong());
        assertEquals(at, after.get("last_detection").asText());
        assertEquals(after.get("recognized").size(), after.get("unique_persons").asInt());

        // S3 delivers at least once: the same event again changes no counter and no result
        Recognizer.Summary again = deliver(key, Files.size(photos.resolve("barack_obama/obama2.jpg")));
        assertEquals(1, again.duplicates(), again.toString());
        assertEquals(after, get("/api/stats"));

        // a stranger is counted as unknown and shown as "Desconocido"
        frame("rose_leslie/img1.jpg");
        JsonNode stranger = get("/api/latest");
        assertEquals("Desconocido", stranger.get("name").asText());
        assertEquals(after.get("unknown_count").asLong() + 1, get("/api/stats").get("unknown_count").asLong());
    }

    @Test
    void thresholdSetThroughTheApiDecidesTheNextFrame() throws Exception {
        try {
            assertEquals(0.99, call("PUT", "/api/config", "{\"threshold\":0.99}", 200).get("threshold").asDouble());
            frame("barack_obama/obama2.jpg");
            assertEquals("Desconocido", get("/api/latest").get("name").asText(), "0.99 names nobody");
            call("PUT", "/api/config", "{\"threshold\":0.5}", 200);
            frame("barack_obama/obama2.jpg");
            assertEquals("Barack Obama", get("/api/latest").get("name").asText());
        } finally {
            call("PUT", "/api/config", "{\"threshold\":0.5}", 200);
        }
    }

    @Test
    void stopRecordsFramesWithoutAnalysisAndStartResumes() throws Exception {
        frame("joe_biden/biden2.jpg");
        JsonNode latestBefore = get("/api/latest");
        JsonNode statsBefore = get("/api/stats");
        try {
            assertEquals("stopped", call("POST", "/api/stop", null, 200).get("status").asText());
            assertFalse(get("/api/status").get("active").asBoolean());
            String key = frame("barack_obama/obama2.jpg");
            Map<String, AttributeValue> item = frameItem(key);
            assertEquals(ControlState.NOT_ANALYSED, item.get("error").s(), "recorded, not analysed");
            assertEquals("0", item.get("faceCount").n());
            assertEquals(latestBefore, get("/api/latest"));
            assertEquals(statsBefore, get("/api/stats"));
        } finally {
            assertEquals("started", call("POST", "/api/start", null, 200).get("status").asText());
        }
        assertTrue(get("/api/status").get("active").asBoolean());
        frame("barack_obama/obama2.jpg");
        assertEquals("Barack Obama", get("/api/latest").get("name").asText());
    }

    @Test
    void theControlRecordIsMirroredToTheOneObjectTheForwarderReads() throws Exception {
        try {
            call("POST", "/api/stop", null, 200);
            call("PUT", "/api/config", "{\"stream_url\":\"http://127.0.0.1:8099/stream\",\"camera_id\":\"door\"}", 200);
            ControlState copy = ControlState.fromJson(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(ControlState.S3_KEY))
                    .asByteArray());
            assertFalse(copy.active());
            assertEquals("http://127.0.0.1:8099/stream", copy.streamUrl());
            assertEquals("door", copy.cameraId());
            String changeWhileActive = "{\"stream_url\":\"http://127.0.0.1:8100/stream\"}";
            call("POST", "/api/start", null, 200);
            JsonNode refused = call("PUT", "/api/config", changeWhileActive, 400);
            assertTrue(refused.get("error").asText().contains("while recognition is active"), refused.toString());
            assertEquals("http://127.0.0.1:8099/stream", get("/api/status").get("stream_url").asText());
        } finally {
            call("POST", "/api/start", null, 200);
        }
    }

    static Map<String, AttributeValue> frameItem(String key) {
        FrameKey k = FrameKey.parse(key).orElseThrow();
        var items = ddb.query(b -> b.tableName(TABLE).keyConditionExpression("pk = :pk AND begins_with(sk, :t)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(ResultKeys.cameraPk("door")),
                        ":t", AttributeValue.fromS(ResultKeys.time(k.captureTime()))))).items();
        assertEquals(1, items.size(), items.toString());
        return items.get(0);
    }
}
