package io.facerec.recognizer.handler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.facerec.loopback.WebhookReceiver;
import io.facerec.loopback.sdkcalls.ProductRole;
import io.facerec.loopback.sdkcalls.SdkCallRecorder;
import io.facerec.model.control.ControlState;
import io.facerec.model.frame.FrameKey;
import io.facerec.model.gallery.DescriptorFile;
import io.facerec.model.gallery.Gallery;
import io.facerec.model.gallery.GalleryLayout;
import io.facerec.model.result.ResultKeys;
import io.facerec.recognizer.config.RecognizerConfig;
import io.facerec.recognizer.engine.EngineConfig;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.gallery.S3GallerySource;
import io.facerec.recognizer.testing.LoopbackAws;
import io.facerec.recognizer.testing.SeedGallery;
import io.facerec.recognizer.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Galleries of the old Python app (dlib's 128-number vectors, no gallery.json) copied in as they
 * are, enrolment into them by photo and by the kiosk's descriptor file, and the old app's webhook
 * numbers, through the handler on S3Proxy, dynalite and the Node receiver.
 */
class DlibGalleryIntegrationTest {
    static final String BUCKET = "dlib-galleries";
    static final String TABLE = "dlib-results";
    static final String SECRET = "dlib-test-bearer-token";
    static final String SIGNING_KEY = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            "a dlib test signing key 32 bytes".getBytes(StandardCharsets.US_ASCII));
    static LoopbackAws aws;
    static WebhookReceiver receiver;
    static S3Client s3;
    static DynamoDbClient ddb;
    static FaceEngine engine; // the test's own, for the old app's vectors
    static final AtomicLong seq = new AtomicLong();

    @BeforeAll
    static void start() throws Exception {
        TestData.dir();
        aws = LoopbackAws.start(BUCKET, TABLE, TABLE + "-control");
        s3 = aws.s3();
        ddb = aws.ddb();
        receiver = WebhookReceiver.start(SECRET, SIGNING_KEY);
        engine = FaceEngine.load(EngineConfig.defaults(), null);
    }

    @AfterAll
    static void stop() throws Exception {
        LoopbackAws.closeAll(engine, receiver, aws);
    }

    static Map<String, String> env(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("RESULTS_TABLE", TABLE);
        env.put("GALLERY_BUCKET", BUCKET);
        env.put("NEXTJS_WEBHOOK_URL", receiver.url().toString());
        env.put("FACIAL_RECOGNITION_WEBHOOK_SECRET", SECRET);
        env.put("WEBHOOK_SIGNING_KEY", SIGNING_KEY);
        env.put("WEBHOOK_ALLOW_HTTP", "true");
        aws.endpoints(env);
        env.put("WEBHOOK_COOLDOWN_S", "0");
        env.put("GALLERY_REFRESH_S", "0");
        env.put("CONTROL_REFRESH_S", "0");
        env.putAll(overrides);
        return env;
    }

    static RecognizerHandler handler(Map<String, String> overrides) {
        Map<String, String> env = env(overrides);
        var calls = SdkCallRecorder.forTest(ProductRole.RECOGNIZER, DlibGalleryIntegrationTest.class, env);
        return new RecognizerHandler(Recognizer.create(RecognizerConfig.from(env), aws.s3Server().client(calls),
                aws.dynalite().client(calls), arn -> {
                    throw new AssertionError("no Secrets Manager here");
                }, Clock.systemUTC()));
    }

    static Path fr(String rel) {
        return TestData.path("face_recognition/images/" + rel);
    }

    /** The old app's gallery, copied to {@code prefix} as it is: the two files, nothing else. */
    static Gallery copyOldGallery(String prefix) throws Exception {
        Map<String, List<Path>> people = new LinkedHashMap<>();
        people.put("Barack Obama", List.of(fr("barack_obama/obama.jpg"), fr("barack_obama/obama1.jpg")));
        people.put("Joe Biden", List.of(fr("joe_biden/biden.jpg")));
        Gallery g = SeedGallery.of(engine, people);
        Gallery.Encoded files = g.encode();
        put(prefix + "encodings.npy", files.encodings());
        put(prefix + "labels.json", files.labels());
        return g;
    }

    static void put(String key, byte[] body) {
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
    }

    static Map<String, Object> send(RecognizerHandler h, String key, byte[] body) throws Exception {
        put(key, body);
        return h.handleRequest(RecognizerHandlerIntegrationTest.createdFor(s3, BUCKET, key), null);
    }

    static String frameKey(String camera) {
        return new FrameKey(camera, 1_795_000_000_000L + seq.incrementAndGet() * 1000, seq.get()).toKey();
    }

    static Map<String, AttributeValue> frame(String table, String camera) {
        return ddb.query(b -> b.tableName(table).keyConditionExpression("pk = :p").scanIndexForward(false)
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(ResultKeys.cameraPk(camera))))).items().get(0);
    }

    static List<String> labels(Map<String, AttributeValue> item) {
        List<String> out = new ArrayList<>();
        item.get("faces").l().forEach(f -> out.add(f.m().get("label").s()));
        return out;
    }

    static Map<String, AttributeValue> enrolment(String name) {
        return ddb.getItem(b -> b.tableName(TABLE).key(Map.of(ResultKeys.PK, AttributeValue.fromS(ResultKeys.enrolmentPk(name)),
                ResultKeys.SK, AttributeValue.fromS("STATUS")))).item();
    }

    static GalleryLayout.Snapshot snapshot(String prefix) {
        return new S3GallerySource(s3, BUCKET, prefix, 1 << 28).read();
    }

    /** The deliveries whose camera_id is {@code appCameraId}, once there is one. */
    static List<JsonNode> deliveriesFor(String appCameraId) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < 100 && out.isEmpty(); i++) {
            receiver.deliveries().stream().filter(d -> appCameraId.equals(d.at("/body/camera_id").asText(null)))
                    .forEach(out::add);
            if (out.isEmpty()) {
                Thread.sleep(50);
            }
        }
        return out;
    }

    @Test
    void theOldAppsGalleryCopiedInAsItIsNamesItsPeopleByDistance() throws Exception {
        copyOldGallery("old/");
        RecognizerHandler h = handler(Map.of("GALLERY_PREFIX", "old/", "APP_CAMERA_IDS", "old-door=clxolddoor"));
        send(h, frameKey("old-door"), Files.readAllBytes(fr("barack_obama/obama2.jpg")));
        Map<String, AttributeValue> item = frame(TABLE, "old-door");
        assertEquals(List.of("Barack Obama"), labels(item), item.toString());
        assertEquals("dlib-resnet-v1/face-api-1.7.15", item.get("modelId").s(), "matched with the gallery's model");
        assertFalse(item.containsKey("galleryProblem"), item.toString());
        double similarity = Double.parseDouble(item.get("faces").l().get(0).m().get("similarity").n());
        double distance = 1 - similarity;
        assertTrue(distance > 0 && distance <= 0.6, "a dlib distance within the old app's 0.6: " + distance);

        // the delivery carries the old app's numbers: distance = round(d, 3), confidence = round(1 - d, 2)
        JsonNode d = deliveriesFor("clxolddoor").get(0);
        assertEquals("Barack Obama", d.at("/body/result/name").asText());
        assertEquals(Math.round(distance * 1000) / 1000.0, d.at("/body/result/distance").asDouble(), 1e-9);
        assertEquals(Math.round((1 - distance) * 100) / 100.0, d.at("/body/result/confidence").asDouble(), 1e-9);

        // a stranger is no one in a dlib gallery either
        send(h, frameKey("old-hall"), Files.readAllBytes(fr("rose_leslie/img1.jpg")));
        assertEquals(List.of("unknown"), labels(frame(TABLE, "old-hall")));
    }

    @Test
    void enrolmentIntoTheOldGalleryWritesDlibRowsThatLiveBesideTheOldOnes() throws Exception {
        Gallery old = copyOldGallery("mixed/");
        RecognizerHandler h = handler(Map.of("GALLERY_PREFIX", "mixed/"));
        send(h, "enroll/Kit Harington/john1.jpeg", Files.readAllBytes(fr("kit_harington/john1.jpeg")));
        GalleryLayout.Snapshot snap = snapshot("mixed/");
        Gallery enrolled = snap.commit().orElseThrow().gallery();
        assertEquals(List.of("Kit Harington"), enrolled.labels());
        assertEquals(128, enrolled.dimension());
        assertEquals("dlib-resnet-v1/face-api-1.7.15", enrolled.info().modelId());
        assertEquals("euclidean", enrolled.info().metric());
        assertArrayEquals(SeedGallery.descriptor(engine, fr("kit_harington/john1.jpeg")), enrolled.embeddings().row(0), 1e-5f,
                "the enrolled row is the photo's dlib vector");
        assertEquals(old.labels(), snap.plain().orElseThrow().labels(), "the copied files are left as they were");

        send(h, frameKey("mixed-a"), Files.readAllBytes(fr("kit_harington/john2.jpeg")));
        send(h, frameKey("mixed-b"), Files.readAllBytes(fr("joe_biden/biden2.jpg")));
        assertEquals(List.of("Kit Harington"), labels(frame(TABLE, "mixed-a")), "the new row");
        assertEquals(List.of("Joe Biden"), labels(frame(TABLE, "mixed-b")), "the old rows");
    }

    @Test
    void aKioskDescriptorBecomesThePersonsRowAsItIsAndBadOnesAreRefusedWithTheReason() throws Exception {
        copyOldGallery("kiosk/");
        RecognizerHandler h = handler(Map.of("GALLERY_PREFIX", "kiosk/"));
        float[] kiosk = SeedGallery.descriptor(engine, fr("rose_leslie/img1.jpg"));
        List<Double> numbers = new ArrayList<>();
        for (float f : kiosk) {
            numbers.add((double) f);
        }
        DescriptorFile file = DescriptorFile.dlib(numbers, "api-register", "client-7");
        String folder = "enroll/Rose Leslie/";
        put(folder + "0000000000000bad.descriptor.json", "{\"format\":\"facerec-descriptor/1\",".getBytes(StandardCharsets.UTF_8));
        put(folder + "00000000000other.descriptor.json", new DescriptorFile("facerec-descriptor/1", "arcface", 128, numbers,
                "api-register", null).toJson());
        send(h, folder + file.fileName(), file.toJson());

        Map<String, AttributeValue> photos = enrolment("Rose Leslie").get("photos").m();
        assertEquals("enrolled", photos.get(file.fileName()).s(), photos.toString());
        assertTrue(photos.get("0000000000000bad.descriptor.json").s().startsWith("refused: descriptor file is not valid JSON"),
                photos.toString());
        assertEquals("refused: descriptor file holds model arcface (128 numbers), not dlib-resnet-v1 (128)",
                photos.get("00000000000other.descriptor.json").s());
        Gallery enrolled = snapshot("kiosk/").commit().orElseThrow().gallery();
        assertEquals(List.of("Rose Leslie"), enrolled.labels());
        assertArrayEquals(file.toFloats(), enrolled.embeddings().row(0), 0f, "the numbers as they came, not re-embedded");

        send(h, frameKey("kiosk"), Files.readAllBytes(fr("rose_leslie/img2.jpg")));
        assertEquals(List.of("Rose Leslie"), labels(frame(TABLE, "kiosk")), "another photo of her is named");
    }

    @Test
    void aDescriptorInAGalleryOfTheDefaultModelIsSkippedAndLeftForLater() throws Exception {
        RecognizerHandler h = handler(Map.of("GALLERY_PREFIX", "default/"));
        send(h, "enroll/Ana/a.jpg", Files.readAllBytes(fr("joe_biden/biden.jpg")));
        assertEquals(512, snapshot("default/").commit().orElseThrow().gallery().dimension(), "a new gallery: the default model");
        List<Double> numbers = new ArrayList<>();
        for (int i = 0; i < 128; i++) {
            numbers.add(0.01 * i);
        }
        DescriptorFile file = DescriptorFile.dlib(numbers, "api-register", null);
        String key = "enroll/Ana/" + file.fileName();
        send(h, key, file.toJson());
        assertTrue(enrolment("Ana").get("photos").m().get(file.fileName()).s().startsWith("skipped: dlib descriptor"),
                enrolment("Ana").toString());
        assertEquals("enrolled", enrolment("Ana").get("photos").m().get("a.jpg").s());
        assertEquals(1, snapshot("default/").commit().orElseThrow().gallery().size(), "the photo's row alone");
        assertTrue(s3.headObject(b -> b.bucket(BUCKET).key(key)).contentLength() > 0, "the file is left where it is");
    }

    @Test
    void theStoredThresholdIsADistanceForADlibGallery() throws Exception {
        copyOldGallery("control/");
        String table = TABLE + "-control";
        RecognizerHandler h = handler(Map.of("GALLERY_PREFIX", "control/", "RESULTS_TABLE", table));
        byte[] obama = Files.readAllBytes(fr("barack_obama/obama2.jpg"));
        // PUT /config {threshold: 0.05} from the old app: a distance, stricter than any match here
        storeThreshold(table, 0.05);
        send(h, frameKey("ctl-strict"), obama);
        assertEquals(List.of("unknown"), labels(frame(table, "ctl-strict")));
        storeThreshold(table, 0.6);
        send(h, frameKey("ctl-old"), obama);
        assertEquals(List.of("Barack Obama"), labels(frame(table, "ctl-old")));
    }

    static void storeThreshold(String table, double t) {
        ControlState s = ControlState.DEFAULT.withConfig(t, null, null, "2026-01-01T00:00:00Z");
        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(ControlState.PK),
                "sk", AttributeValue.fromS(ControlState.SK), ControlState.ATTRIBUTE, AttributeValue.fromS(s.toJsonString()))));
    }
}
