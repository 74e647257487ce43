package io.facerec.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.facerec.api.auth.ApiKeyAuthenticator;
import io.facerec.api.config.ApiConfig;
import io.facerec.api.handler.ResultsApi;
import io.facerec.api.handler.ResultsApiHandler;
import io.facerec.loopback.Dynalite;
import io.facerec.loopback.ResultTableSchema;
import io.facerec.loopback.S3Server;
import io.facerec.model.result.FaceResult;
import io.facerec.model.result.FrameResult;
import io.facerec.recognizer.results.ResultStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the API does with bad input: a missing or wrong key, unknown routes, malformed or ill-typed
 * bodies, limits out of range, and a failure inside (no stack trace leaves). Results are written by
 * the recognizer's own {@link ResultStore}, so the items are the ones the API meets in production.
 */
class ResultsApiBadInputTest {
    static final String BUCKET = "facerec-bad-input";
    static final String TABLE = "facerec-results";
    static final String KEY = "bad-input-test-key-0123456789";
    static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + KEY);
    static final OpenApiContract CONTRACT = OpenApiContract.load();
    static S3Server s3Server;
    static Dynalite dynalite;
    static S3Client s3;
    static DynamoDbClient ddb;
    static ApiTransport api; // MAX_LIMIT 3

    @BeforeAll
    static void start() throws Exception {
        s3Server = new S3Server(null);
        s3 = s3Server.client();
        s3.createBucket(b -> b.bucket(BUCKET));
        dynalite = Dynalite.start();
        ddb = dynalite.client();
        ResultTableSchema.ensure(ddb, TABLE);
        api = transport(TABLE, Map.of("MAX_LIMIT", "3"));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {dynalite, s3Server}) {
            if (c != null) {
                c.close();
            }
        }
    }

    static ApiTransport transport(String table, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("RESULTS_TABLE", table);
        env.put("GALLERY_BUCKET", BUCKET);
        env.putAll(overrides);
        return new HandlerTransport(new ResultsApiHandler(ResultsApi.create(ApiConfig.from(env), ddb, s3,
                new ApiKeyAuthenticator(() -> KEY, Duration.ZERO, Clock.systemUTC()), Clock.systemUTC())));
    }

    /** Five frames of one known face each, a second apart, as the recognizer records them. */
    static void seedFrames() {
        ResultStore store = new ResultStore(ddb, TABLE, 30);
        Instant t0 = Instant.now().minusSeconds(60);
        for (int i = 0; i < 5; i++) {
            FrameResult r = new FrameResult("f" + i + "-" + t0.toEpochMilli(), "door", t0.plusSeconds(i), BUCKET,
                    "frames/door/x" + i + ".jpg", null, "e" + i, 640, 480,
                    List.of(new FaceResult("Ana", true, 0.8, 0.3, new FaceResult.FaceBox(10, 20, 110, 140), 0.99, 3.5)),
                    "test-model", 10, null, null);
            store.putFrame(r, List.of());
            store.countOnce(r, 4);
        }
    }

    static ApiTransport.Answer send(String method, String path, String body, Map<String, String> headers) throws Exception {
        ApiTransport.Answer a = api.send(method, path, body, headers);
        assertTrue(a.body().isObject(), "every answer is JSON: " + a.body());
        return a;
    }

    @Test
    void aMissingOrWrongKeyIs401WithNothingElseSaid() throws Exception {
        for (Map<String, String> h : List.of(Map.<String, String>of(), Map.of("Authorization", "Bearer nope"),
                Map.of("Authorization", "Bearer " + KEY + "x"), Map.of("Authorization", KEY),
                Map.of("Authorization", "Basic " + KEY))) {
            for (String path : List.of("/api/status", "/api/results", "/api/nowhere")) {
                ApiTransport.Answer a = send("GET", path, null, h);
                assertEquals(401, a.status(), h + " " + path);
                assertEquals("Bearer", a.headers().get("www-authenticate"));
                assertFalse(a.body().toString().contains(KEY), "the key never appears in an answer");
                CONTRACT.check("GET", "/api/status", a.status(), a.body());
            }
        }
        assertEquals(200, send("GET", "/api/status", null, Map.of("authorization", "bearer " + KEY)).status(),
                "the scheme is case-insensitive, as RFC 7235 says");
    }

    @Test
    void unknownRoutesAndMethodsAreJson404And405() throws Exception {
        for (String path : List.of("/api/nowhere", "/api", "/status", "/api/results/a/b", "/api/../status")) {
            ApiTransport.Answer a = send("GET", path, null, AUTH);
            assertEquals(404, a.status(), path + " " + a.body());
            assertTrue(a.body().get("error").isTextual());
        }
        ApiTransport.Answer m = send("GET", "/api/start", null, AUTH);
        assertEquals(405, m.status());
        assertEquals("POST", m.headers().get("allow"));
        assertEquals(405, send("DELETE", "/api/config", null, AUTH).status());
    }

    @Test
    void malformedOrIllTypedBodiesAre400WithTheReason() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"threshold\":", "malformed JSON");
        cases.put("{} {}", "malformed JSON");
        cases.put("[1,2]", "body must be a JSON object");
        cases.put("", "body must be a JSON object");
        cases.put("{\"threshold\":\"high\"}", "threshold must be a number");
        cases.put("{\"threshold\":1.5}", "threshold must be a number between 0 and 1");
        cases.put("{\"stream_url\":\"ftp://cam/stream\"}", "stream_url must be an http(s) or rtsp URL");
        cases.put("{\"stream_url\":42}", "stream_url must be a string");
        cases.put("{\"camera_id\":\"../etc\"}", "camera_id must be 1-64 letters");
        for (var c : cases.entrySet()) {
            ApiTransport.Answer a = send("PUT", "/api/config", c.getKey(), AUTH);
            assertEquals(400, a.status(), c.getKey() + " -> " + a.body());
            assertTrue(a.body().get("error").asText().startsWith(c.getValue()), c.getKey() + " -> " + a.body());
            CONTRACT.check("PUT", "/api/config", a.status(), a.body());
        }
        assertEquals(400, send("POST", "/api/register", "{\"name\":", AUTH).status());
        assertEquals(400, send("GET", "/api/results?limit=twenty", null, AUTH).status());
        assertEquals(400, send("GET", "/api/results/%ZZ", null, AUTH).status());
    }

    @Test
    void limitsAreClampedToTheMaximumAndToOne() throws Exception {
        seedFrames();
        JsonNode many = send("GET", "/api/results?limit=100000", null, AUTH).body();
        assertEquals(3, many.get("results").size(), many.toString());
        JsonNode none = send("GET", "/api/results?limit=-4", null, AUTH).body();
        assertEquals(1, none.get("results").size(), none.toString());
        JsonNode person = send("GET", "/api/results/ana?limit=99", null, AUTH).body();
        assertEquals(3, person.get("returned").asInt());
        assertEquals(5, person.get("total").asInt(), "total counts every result, not only those returned");
        // newest last: the three newest, in time order
        List<String> times = new java.util.ArrayList<>();
        many.get("results").forEach(r -> times.add(r.get("timestamp").asText()));
        assertEquals(times.stream().sorted().toList(), times);
        assertEquals(send("GET", "/api/latest", null, AUTH).body().get("timestamp").asText(), times.get(2));
        CONTRACT.check("GET", "/api/results", 200, many);
    }

    @Test
    void nothingRecordedIsA404OnLatestAndZerosElsewhere() throws Exception {
        ApiTransport empty = transport("empty-results", Map.of());
        ResultTableSchema.ensure(ddb, "empty-results");
        ApiTransport.Answer latest = empty.send("GET", "/api/latest", null, AUTH);
        assertEquals(404, latest.status());
        CONTRACT.check("GET", "/api/latest", 404, latest.body());
        JsonNode stats = empty.send("GET", "/api/stats", null, AUTH).body();
        assertEquals(0, stats.get("total_detections").asInt());
        assertTrue(stats.get("last_detection").isNull());
        CONTRACT.check("GET", "/api/stats", 200, stats);
        JsonNode status = empty.send("GET", "/api/status", null, AUTH).body();
        assertTrue(status.get("active").asBoolean(), "no control record: recognition runs, as before the API existed");
        assertFalse(status.get("encodings_loaded").asBoolean());
    }

    @Test
    void aFailureInsideIsA500WithoutAStackTrace() throws Exception {
        ApiTransport broken = transport("no-such-table", Map.of());
        for (String path : List.of("/api/stats", "/api/results", "/api/status")) {
            ApiTransport.Answer a = broken.send("GET", path, null, AUTH);
            assertEquals(500, a.status(), a.body().toString());
            String body = a.body().toString();
            assertTrue(a.body().get("error").asText().startsWith("internal error"), body);
            for (String leak : List.of("Exception", "\tat ", "io.facerec", "software.amazon", "no-such-table")) {
                assertFalse(body.contains(leak), "leaks '" + leak + "': " + body);
            }
        }
    }
}
