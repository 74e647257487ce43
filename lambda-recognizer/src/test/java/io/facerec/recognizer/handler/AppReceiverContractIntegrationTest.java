package io.facerec.recognizer.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.facerec.loopback.AppWebhookReceiver;
import io.facerec.loopback.S3VersionIds;
import io.facerec.loopback.sdkcalls.ProductRole;
import io.facerec.loopback.sdkcalls.SdkCallRecorder;
import io.facerec.model.frame.FrameKey;
import io.facerec.model.frame.FrameMetadata;
import io.facerec.model.gallery.Gallery;
import io.facerec.model.result.ResultKeys;
import io.facerec.recognizer.config.RecognizerConfig;
import io.facerec.recognizer.engine.EngineConfig;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.testing.LoopbackAws;
import io.facerec.recognizer.testing.SeedGallery;
import io.facerec.recognizer.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Our deliveries against the existing Next.js app's webhook route as it behaves
 * ({@link AppWebhookReceiver}): frames uploaded as the forwarder uploads them (the stream URL in
 * their metadata), recognised against the old app's gallery, answered 201 and MATCHED; and the
 * cases where the app answers 400 or 500, recorded as failed deliveries.
 */
class AppReceiverContractIntegrationTest {
    static final String BUCKET = "app-contract";
    static final String TABLE = "app-contract-results";
    static final String TOKEN = "the-apps-FACIAL_RECOGNITION_WEBHOOK_SECRET";
    static final String SIGNING_KEY = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            "app contract test signing key 32".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    static final String DOOR_URL = "http://192.168.1.50:81/stream";
    static LoopbackAws aws;
    static AppWebhookReceiver app;
    static S3Client s3;
    static DynamoDbClient ddb;
    static final AtomicLong seq = new AtomicLong();

    @BeforeAll
    static void start() throws Exception {
        TestData.dir();
        aws = LoopbackAws.start(BUCKET, TABLE);
        s3 = aws.s3();
        ddb = aws.ddb();
        app = AppWebhookReceiver.start(TOKEN);
        // the old app's gallery, labelled as that app's users label: a full name, a DNI, a folder name
        Map<String, List<Path>> people = new LinkedHashMap<>();
        people.put("José Barack Obama", List.of(fr("barack_obama/obama.jpg"), fr("barack_obama/obama1.jpg")));
        people.put("12345678Z", List.of(fr("joe_biden/biden.jpg")));
        people.put("kit_harington", List.of(fr("kit_harington/john1.jpeg")));
        try (FaceEngine engine = FaceEngine.load(EngineConfig.defaults(), null)) {
            Gallery.Encoded files = SeedGallery.files(engine, people);
            s3.putObject(b -> b.bucket(BUCKET).key("gallery/encodings.npy"), RequestBody.fromBytes(files.encodings()));
            s3.putObject(b -> b.bucket(BUCKET).key("gallery/labels.json"), RequestBody.fromBytes(files.labels()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        LoopbackAws.closeAll(app, aws);
    }

    @BeforeEach
    void seed() throws Exception {
        app.seed("""
                {"cameras":[
                  {"id":"clxdoor0000000000000001","streamUrl":"http://192.168.1.50:81/stream","status":"ONLINE","lastSeen":"2026-05-01T10:00:00Z"}],
                 "clients":[
                  {"id":"c-obama","name":"José Barack Obama","email":"barack@example.com","dni":"11111111H","status":"ACTIVE"},
                  {"id":"c-biden","name":"Joe Biden","email":"joe@example.com","dni":"12345678Z","status":"ACTIVE"},
                  {"id":"c-kit","name":"Kit Harington","email":"kit@example.com","dni":"22222222J","status":"ACTIVE"}]}
                """);
    }

    static Path fr(String rel) {
        return TestData.path("face_recognition/images/" + rel);
    }

    static RecognizerHandler handler(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("RESULTS_TABLE", TABLE);
        env.put("GALLERY_BUCKET", BUCKET);
        env.put("NEXTJS_WEBHOOK_URL", app.url().toString());
        env.put("FACIAL_RECOGNITION_WEBHOOK_SECRET", TOKEN);
        env.put("WEBHOOK_SIGNING_KEY", SIGNING_KEY);
        env.put("WEBHOOK_ALLOW_HTTP", "true");
        env.put("WEBHOOK_COOLDOWN_S", "0");
        env.put("WEBHOOK_MAX_ATTEMPTS", "1");
        // each frame decides its person-track at once (one known face names it, none makes it unknown): what a
        // delivery says is under test here, not when a track is decided (TracksIntegrationTest has that)
        env.put("TRACK_NAME_FACES", "1");
        env.put("TRACK_MIN_MARGIN", "0");
        env.put("TRACK_UNKNOWN_AFTER_S", "0");
        aws.endpoints(env);
        env.putAll(overrides);
        var calls = SdkCallRecorder.forTest(ProductRole.RECOGNIZER, AppReceiverContractIntegrationTest.class, env);
        return new RecognizerHandler(Recognizer.create(RecognizerConfig.from(env), aws.s3Server().client(calls),
                aws.dynalite().client(calls), arn -> {
                    throw new AssertionError("no Secrets Manager here");
                }, Clock.systemUTC()));
    }

    /** A frame as the forwarder uploads it: key, camera, time and the camera's stream URL in its metadata. */
    static Map<String, AttributeValue> upload(RecognizerHandler h, String camera, String streamUrl, Path photo)
            throws Exception {
        // a minute apart: no frame joins the track of another test's frame
        FrameKey k = new FrameKey(camera, 1_795_000_000_000L + seq.incrementAndGet() * 60_000, seq.get());
        byte[] body = Files.readAllBytes(photo);
        Map<String, String> meta = new FrameMetadata(camera, k.captureTime(), k.sequence(), "test", streamUrl).toMap();
        var put = s3.putObject(b -> b.bucket(BUCKET).key(k.toKey()).contentType(FrameMetadata.CONTENT_TYPE).metadata(meta),
                RequestBody.fromBytes(body));
        h.handleRequest(RecognizerHandlerIntegrationTest.created(BUCKET, k.toKey(), body.length,
                put.eTag().replace("\"", ""), S3VersionIds.newVersionId()), null);
        return ddb.query(b -> b.tableName(TABLE).keyConditionExpression("pk = :p AND begins_with(sk, :t)")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(ResultKeys.cameraPk(camera)),
                        ":t", AttributeValue.fromS(ResultKeys.time(k.captureTime()))))).items().get(0);
    }

    static JsonNode lastRequest() throws Exception {
        List<JsonNode> r = app.requests();
        return r.get(r.size() - 1);
    }

    static String delivery(Map<String, AttributeValue> item) {
        return item.get("webhooks").l().get(0).m().get("status").s();
    }

    @Test
    void aFullNameLabelIsMatchedAndTheCameraFoundByTheStreamUrlTheFrameCarried() throws Exception {
        Map<String, AttributeValue> item = upload(handler(Map.of()), "cam1", DOOR_URL, fr("barack_obama/obama2.jpg"));
        assertEquals("DELIVERED", delivery(item), item.toString());
        JsonNode r = lastRequest();
        assertEquals(201, r.get("status").asInt(), r.toString());
        assertTrue(r.at("/body/camera_id").isNull(), "no mapping: camera_id null, as the old app sent it");
        assertEquals(DOOR_URL, r.at("/body/camera_stream_url").asText());
        assertEquals("clxdoor0000000000000001", r.at("/answer/event/cameraId").asText());
        assertEquals("streamUrl", r.at("/answer/event/cameraFoundBy").asText());
        assertEquals("MATCHED", r.at("/answer/event/status").asText());
        assertEquals("c-obama", r.at("/answer/event/clientId").asText());
    }

    @Test
    void aDniLabelIsMatchedAndAMappedCameraIsSentByTheAppsId() throws Exception {
        RecognizerHandler h = handler(Map.of("APP_CAMERA_IDS", "cam1=clxdoor0000000000000001"));
        assertEquals("DELIVERED", delivery(upload(h, "cam1", null, fr("joe_biden/biden2.jpg"))));
        JsonNode r = lastRequest();
        assertEquals(201, r.get("status").asInt(), r.toString());
        assertEquals("clxdoor0000000000000001", r.at("/body/camera_id").asText());
        assertEquals("id", r.at("/answer/event/cameraFoundBy").asText());
        assertEquals("MATCHED", r.at("/answer/event/status").asText());
        assertEquals("c-biden", r.at("/answer/event/clientId").asText());
    }

    @Test
    void aStrangerIsUnknownAndAFolderStyleLabelIsANewFace() throws Exception {
        RecognizerHandler h = handler(Map.of());
        upload(h, "cam1", DOOR_URL, fr("rose_leslie/img1.jpg"));
        assertEquals(201, lastRequest().get("status").asInt());
        assertEquals("Desconocido", lastRequest().at("/body/result/name").asText());
        assertEquals("UNKNOWN", lastRequest().at("/answer/event/status").asText());
        upload(h, "cam1", DOOR_URL, fr("kit_harington/john2.jpeg"));
        assertEquals(201, lastRequest().get("status").asInt());
        assertEquals("kit_harington", lastRequest().at("/body/result/name").asText());
        assertEquals("NEW_FACE", lastRequest().at("/answer/event/status").asText(),
                "kit_harington is no client's name, email or DNI: label people as the app stores them");
    }

    @Test
    void anAppCameraIdTheAppDoesNotHaveIs500AndNoCameraAtAllIs400() throws Exception {
        Map<String, AttributeValue> fk = upload(handler(Map.of("APP_CAMERA_IDS", "cam1=cam1")), "cam1", DOOR_URL,
                fr("barack_obama/obama2.jpg"));
        assertEquals(500, lastRequest().get("status").asInt(), "the forwarder's id is no Camera of the app: the insert fails");
        assertEquals("FAILED", delivery(fk));
        assertTrue(fk.get("webhooks").l().get(0).m().get("detail").s().startsWith("HTTP 500"), fk.toString());

        app.seed("{\"cameras\":[],\"clients\":[]}");
        Map<String, AttributeValue> none = upload(handler(Map.of()), "cam1", DOOR_URL, fr("barack_obama/obama2.jpg"));
        JsonNode r = lastRequest();
        assertEquals(400, r.get("status").asInt());
        assertEquals("No camera found", r.at("/answer/error").asText());
        assertEquals("FAILED", delivery(none));
        assertEquals("HTTP 400 (not retried)", none.get("webhooks").l().get(0).m().get("detail").s());
    }
}
