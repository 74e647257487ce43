package io.facerec.recognizer.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import io.facerec.loopback.sdkcalls.ProductRole;
import io.facerec.loopback.sdkcalls.SdkCallRecorder;
import io.facerec.model.frame.FrameKey;
import io.facerec.model.gallery.FloatMatrix;
import io.facerec.model.gallery.Gallery;
import io.facerec.model.gallery.NpyCodec;
import io.facerec.model.result.ResultKeys;
import io.facerec.recognizer.config.RecognizerConfig;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.gallery.S3GallerySource;
import io.facerec.recognizer.testing.HookedS3;
import io.facerec.recognizer.testing.LoopbackAws;
import io.facerec.recognizer.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.HashMap;
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
 * Odd and hostile input to the gallery and to enrolment, through the handler: each is refused by
 * name, and nothing else is lost with it. S3Proxy and dynalite on loopback.
 */
class GalleryInputIntegrationTest {
    static final String BUCKET = "gallery-input";
    static final String TABLE = "gallery-input-results";
    static LoopbackAws aws;
    static S3Client s3;
    static DynamoDbClient ddb;
    static final AtomicLong seq = new AtomicLong();

    @BeforeAll
    static void start() throws Exception {
        TestData.dir();
        aws = LoopbackAws.start(BUCKET, TABLE);
        s3 = aws.s3();
        ddb = aws.ddb();
    }

    @AfterAll
    static void stop() throws Exception {
        LoopbackAws.closeAll(aws);
    }

    static RecognizerConfig config(Map<String, String> overrides) {
        return RecognizerConfig.from(env(overrides));
    }

    static Map<String, String> env(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("RESULTS_TABLE", TABLE);
        env.put("GALLERY_BUCKET", BUCKET);
        env.put("GALLERY_REFRESH_S", "0");
        aws.endpoints(env);
        env.putAll(overrides);
        return env;
    }

    /** The calls of the product's own clients are recorded for the IAM contract (cdk tests). */
    static SdkCallRecorder recorder(Map<String, String> overrides) {
        return SdkCallRecorder.forTest(ProductRole.RECOGNIZER, GalleryInputIntegrationTest.class, env(overrides));
    }

    static RecognizerHandler handler(Map<String, String> overrides) {
        return handler(overrides, aws.s3Server().client(recorder(overrides)));
    }

    static RecognizerHandler handler(Map<String, String> overrides, S3Client client) {
        return new RecognizerHandler(Recognizer.create(config(overrides), client, aws.dynalite().client(recorder(overrides)), arn -> {
            throw new AssertionError("no secret in this test");
        }, Clock.systemUTC()));
    }

    static byte[] photo(String rel) throws Exception {
        return Files.readAllBytes(TestData.path(rel));
    }

    static void put(String key, byte[] body) {
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
    }

    static S3Event created(String key, long size) throws Exception {
        return RecognizerHandlerIntegrationTest.createdFor(s3, BUCKET, key);
    }

    static Gallery gallery(String prefix) throws Exception {
        return new S3GallerySource(s3, BUCKET, prefix, 1 << 28).read().combine(null, 0).gallery().orElseThrow();
    }

    static Map<String, AttributeValue> enrolmentStatus(String name) {
        return ddb.getItem(b -> b.tableName(TABLE).key(Map.of(ResultKeys.PK, AttributeValue.fromS(ResultKeys.enrolmentPk(name)),
                ResultKeys.SK, AttributeValue.fromS("STATUS")))).item();
    }

    static Map<String, AttributeValue> frameItem(String camera) {
        return ddb.query(b -> b.tableName(TABLE).keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(ResultKeys.cameraPk(camera))))).items().get(0);
    }

    static String frameKey(String camera) {
        return new FrameKey(camera, 1_795_000_000_000L + seq.incrementAndGet() * 1000, seq.get()).toKey();
    }

    @Test
    void folderNamesThatDifferOnlyInUnicodeFormAreOnePerson() throws Exception {
        RecognizerHandler h = handler(Map.of("GALLERY_PREFIX", "gallery-nfc/"));
        String composed = "Jos\u00e9 Mar\u00eda";
        String decomposed = "Jose\u0301 Mari\u0301a";
        byte[] a = photo("face_recognition/images/kit_harington/john1.jpeg");
        byte[] b = photo("face_recognition/images/kit_harington/john2.jpeg");
        put("enroll/" + composed + "/a.jpg", a);
        put("enroll/" + decomposed + "/b.jpg", b);
        h.handleRequest(created("enroll/" + composed + "/a.jpg", a.length), null);
        h.handleRequest(created("enroll/" + decomposed + "/b.jpg", b.length), null);
        assertEquals(List.of(composed, composed), gallery("gallery-nfc/").labels(), "one person, named in NFC");
    }

    @Test
    void reservedAndControlCharacterNamesAreRefusedAndCostNoOtherRecord() throws Exception {
        RecognizerHandler h = handler(Map.of("GALLERY_PREFIX", "gallery-names/"));
        byte[] face = photo("face_recognition/images/joe_biden/biden.jpg");
        List<String> keys = List.of("enroll/Desconocido/a.jpg", "enroll/bad\u0007name/b.jpg", "enroll/unknown/c.jpg",
                "enroll/fine/d.jpg");
        S3Event event = null;
        for (String k : keys) {
            put(k, face); // first: an event names an object S3 holds, with its eTag
            S3Event one = created(k, face.length);
            if (event == null) {
                event = one;
            } else {
                event.getRecords().add(one.getRecords().get(0));
            }
        }
        Map<String, Object> out = h.handleRequest(event, null);
        assertEquals(1, out.get("enrolments"), out.toString());
        assertEquals(3, out.get("errors"), out.toString());
        assertEquals(List.of("fine"), gallery("gallery-names/").labels());
    }

    @Test
    void photoReplacedByAnOversizedOneAfterTheListingIsRefusedUnread() throws Exception {
        byte[] face = photo("face_recognition/images/kit_harington/john2.jpeg"); // 70 KB
        byte[] big = new byte[1_000_000];
        big[0] = (byte) 0xFF;
        big[1] = (byte) 0xD8;
        String key = "enroll/oversized/p.jpg";
        put(key, face);
        // the photo is replaced by a far larger one between the folder listing and the fetch
        boolean[] swapped = {false};
        RecognizerHandler h = handler(Map.of("GALLERY_PREFIX", "gallery-cap/", "MAX_FRAME_BYTES", "200000"),
                HookedS3.wrap(aws.s3Server().client(recorder(Map.of("GALLERY_PREFIX", "gallery-cap/", "MAX_FRAME_BYTES", "200000"))),
                        (op, req) -> {
                    if (op.startsWith("getObject") && key.equals(HookedS3.key(req)) && !swapped[0]) {
                        swapped[0] = true;
                        put(key, big);
                    }
                }));
        h.handleRequest(created(key, face.length), null);
        assertTrue(swapped[0]);
        assertEquals("refused: 1000000 bytes, over the limit of 200000",
                enrolmentStatus("oversized").get("photos").m().get("p.jpg").s());
    }

    @Test
    void galleryFileOverTheLimitIsRefusedByNameBeforeItIsRead() throws Exception {
        String prefix = "gallery-huge/";
        byte[] npy = NpyCodec.write(new FloatMatrix(100, 512, new float[100 * 512]));
        put(prefix + "encodings.npy", npy);
        put(prefix + "labels.json", ("[" + "\"ana\",".repeat(99) + "\"ana\"]").getBytes(StandardCharsets.UTF_8));
        RecognizerHandler h = handler(Map.of("GALLERY_PREFIX", prefix, "MAX_GALLERY_BYTES", "100000"));
        String key = frameKey("huge");
        byte[] face = photo("face_recognition/images/joe_biden/biden.jpg");
        put(key, face);
        h.handleRequest(created(key, face.length), null);
        assertEquals("s3://" + BUCKET + "/" + prefix + "encodings.npy: " + npy.length
                + " bytes, over the limit of 100000 (MAX_GALLERY_BYTES)", frameItem("huge").get("galleryProblem").s());
    }

    @Test
    void copiedGalleryWithABadLabelKeepsItsOtherRowsAndNamesTheBadOne() throws Exception {
        String prefix = "gallery-badlabel/";
        RecognizerConfig c = config(Map.of("GALLERY_PREFIX", prefix));
        float[] biden;
        try (FaceEngine engine = FaceEngine.load(c.engine(), null)) {
            biden = engine.analyze(photo("face_recognition/images/joe_biden/biden.jpg"), "ref").faces().get(0).embedding();
        }
        float[] rows = new float[2 * 512];
        System.arraycopy(biden, 0, rows, 0, 512);
        System.arraycopy(biden, 0, rows, 512, 512);
        put(prefix + "encodings.npy", NpyCodec.write(new FloatMatrix(2, 512, rows)));
        put(prefix + "labels.json", "[\"Desconocido\", \"joe_biden\"]".getBytes(StandardCharsets.UTF_8));
        RecognizerHandler h = handler(Map.of("GALLERY_PREFIX", prefix));
        String key = frameKey("badlabel");
        byte[] face = photo("face_recognition/images/joe_biden/biden2.jpg");
        put(key, face);
        h.handleRequest(created(key, face.length), null);
        Map<String, AttributeValue> item = frameItem("badlabel");
        assertEquals("joe_biden", item.get("faces").l().get(0).m().get("label").s());
        assertEquals("s3://" + BUCKET + "/gallery-badlabel: row 0 left out: its label \"Desconocido\" is the name "
                + "given to unknown faces", item.get("galleryProblem").s());
    }
}
