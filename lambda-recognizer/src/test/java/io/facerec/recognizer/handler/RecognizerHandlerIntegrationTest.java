package io.facerec.recognizer.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import io.facerec.model.frame.FrameKey;
import io.facerec.model.frame.FrameMetadata;
import io.facerec.model.gallery.FloatMatrix;
import io.facerec.model.gallery.Gallery;
import io.facerec.model.gallery.NpyCodec;
import io.facerec.model.result.ResultKeys;
import io.facerec.recognizer.config.RecognizerConfig;
import io.facerec.loopback.S3Server;
import io.facerec.loopback.S3VersionIds;
import io.facerec.recognizer.testing.LoopbackAws;
import io.facerec.recognizer.testing.TestData;
import io.facerec.loopback.WebhookReceiver;
import io.facerec.loopback.sdkcalls.ProductRole;
import io.facerec.loopback.sdkcalls.SdkCallRecorder;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * The handler as Lambda drives it: S3 event JSON through the runtime's own serializer, objects in
 * an S3-compatible server, results in a DynamoDB-compatible server, deliveries to a receiver that
 * verifies their signatures with the npm standardwebhooks package.
 */
class RecognizerHandlerIntegrationTest {
    static final String BUCKET = "camera-frames";
    static final String TABLE = "facerec-results";
    /** The Bearer token the Next.js app checks, as the old system had it. */
    static final String SECRET = "plain-old-system-secret-123";
    /** The Standard Webhooks signing key, a secret of its own. */
    static final String SIGNING_KEY = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            "a test signing key of 32 bytes!!".getBytes(StandardCharsets.US_ASCII));
    static LoopbackAws aws;
    static WebhookReceiver receiver;
    static S3Client s3;
    static DynamoDbClient ddb;
    static Recognizer recognizer; // gallery/ with barack_obama and joe_biden enrolled
    static RecognizerHandler handler; // the same, behind the handler
    static final AtomicLong seq = new AtomicLong();

    @BeforeAll
    static void start() throws Exception {
        TestData.dir();
        aws = LoopbackAws.start(BUCKET, TABLE);
        s3 = aws.s3();
        ddb = aws.ddb();
        receiver = WebhookReceiver.start(SECRET, SIGNING_KEY);
        recognizer = recognizer(Map.of());
        handler = new RecognizerHandler(recognizer);
        // enrolment through the handler, as in the cloud
        enrol(handler, "barack_obama", "obama.jpg", TestData.path("face_recognition/images/barack_obama/obama.jpg"));
        enrol(handler, "barack_obama", "obama1.jpg", TestData.path("face_recognition/images/barack_obama/obama1.jpg"));
        enrol(handler, "joe_biden", "biden.jpg", TestData.path("face_recognition/images/joe_biden/biden.jpg"));
    }

    @AfterAll
    static void stop() throws Exception {
        LoopbackAws.closeAll(receiver, aws);
    }

    @BeforeEach
    void clearDeliveries() throws Exception {
        receiver.clear();
    }

    static Map<String, String> env(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("RESULTS_TABLE", TABLE);
        env.put("GALLERY_BUCKET", BUCKET);
        env.put("NEXTJS_WEBHOOK_URL", receiver.url().toString());
        env.put("FACIAL_RECOGNITION_WEBHOOK_SECRET", SECRET);
        env.put("WEBHOOK_SIGNING_KEY", SIGNING_KEY);
        env.put("WEBHOOK_ALLOW_HTTP", "true"); // the receiver listens on loopback
        aws.endpoints(env);
        env.put("WEBHOOK_COOLDOWN_S", "0");
        env.put("GALLERY_REFRESH_S", "0");
        env.put("APP_CAMERA_IDS", "door=clxdoor0app0camera0id01");
        env.putAll(overrides);
        return env;
    }

    static RecognizerHandler handler(Map<String, String> overrides) {
        return new RecognizerHandler(recognizer(overrides));
    }

    static Recognizer recognizer(Map<String, String> overrides) {
        RecognizerConfig config = RecognizerConfig.from(env(overrides));
        // the product's own clients, recorded for the IAM contract; s3 and ddb stay the test's
        var calls = SdkCallRecorder.forTest(ProductRole.RECOGNIZER, RecognizerHandlerIntegrationTest.class, env(overrides));
        return Recognizer.create(config, aws.s3Server().client(calls), aws.dynalite().client(calls), arn -> {
            throw new AssertionError("no Secrets Manager in this test");
        }, Clock.systemUTC());
    }

    /** S3 encodes keys in notifications as HTML forms do: '+' for a space, %XX for the rest. */
    static String s3Encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    /** One write as a versioned bucket reports it: the event's eTag (unquoted), a version of its own, the size. */
    record Written(String bucket, String key, String eTag, String versionId, long size) {
    }

    static Written write(String key, byte[] body) {
        var r = s3.putObject(b -> b.bucket(BUCKET).key(key).contentType("image/jpeg"), RequestBody.fromBytes(body));
        // S3Proxy keeps no versions; AWS gives every write a new one, even of the same bytes
        String version = r.versionId() != null ? r.versionId() : S3VersionIds.newVersionId();
        return new Written(BUCKET, key, r.eTag().replace("\"", ""), version, body.length);
    }

    static S3Event created(Written w) throws Exception {
        return created(w.bucket(), w.key(), w.size(), w.eTag(), w.versionId());
    }

    static S3Event created(String bucket, String key, long size, String eTag, String versionId) throws Exception {
        return event("object-created.json", Map.of("${BUCKET}", bucket, "${KEY}", s3Encode(key),
                "${SIZE}", Long.toString(size), "${ETAG}", eTag, "${VERSION}", versionId,
                "${SEQUENCER}", S3VersionIds.nextSequencer()));
    }

    /** The ObjectCreated event of an object already in {@code bucket}, its eTag and size as S3 holds them. */
    static S3Event createdFor(S3Client client, String bucket, String key) throws Exception {
        var head = client.headObject(b -> b.bucket(bucket).key(key));
        return created(bucket, key, head.contentLength(), head.eTag().replace("\"", ""), S3VersionIds.newVersionId());
    }

    /** A delete on a versioned bucket: a delete marker, with its own version id and no eTag or size. */
    static S3Event removed(String key) throws Exception {
        return event("object-removed.json", Map.of("${BUCKET}", BUCKET, "${KEY}", s3Encode(key),
                "${VERSION}", S3VersionIds.newVersionId(), "${SEQUENCER}", S3VersionIds.nextSequencer()));
    }

    static S3Event event(String template, Map<String, String> fields) throws Exception {
        String json = new String(RecognizerHandlerIntegrationTest.class.getResourceAsStream("/events/" + template)
                .readAllBytes(), StandardCharsets.UTF_8);
        for (var f : fields.entrySet()) {
            json = json.replace(f.getKey(), f.getValue());
        }
        assertFalse(json.contains("${"), "every field of " + template + " filled in");
        return LambdaEventSerializers.serializerFor(S3Event.class, RecognizerHandlerIntegrationTest.class.getClassLoader())
                .fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** The eTag of an object put directly, as its event would carry it. */
    static String eTagOf(String key) {
        return s3.headObject(b -> b.bucket(BUCKET).key(key)).eTag().replace("\"", "");
    }

    static Map<String, Object> put(RecognizerHandler h, String key, byte[] body) throws Exception {
        return h.handleRequest(created(write(key, body)), null);
    }

    static void enrol(RecognizerHandler h, String name, String file, java.nio.file.Path photo) throws Exception {
        Map<String, Object> out = put(h, "enroll/" + name + "/" + file, Files.readAllBytes(photo));
        assertEquals(1, out.get("enrolments"), out.toString());
    }

    static String frameKey(String camera) {
        return new FrameKey(camera, 1_795_000_000_000L + seq.incrementAndGet() * 1000, seq.get()).toKey();
    }

    /** Moves the test's camera clock on: the next frame key is that much later. */
    static void later(long seconds) {
        seq.addAndGet(seconds);
    }

    /** A frame without faces long after the last one: the camera's tracks end, and owe what they owe. */
    static void endTracks(RecognizerHandler h, String camera) throws Exception {
        later(20);
        put(h, frameKey(camera), photo("no-faces/skimage_rocket.jpg"));
    }

    static byte[] photo(String rel) throws Exception {
        return Files.readAllBytes(TestData.path(rel));
    }

    static List<Map<String, AttributeValue>> frames(String camera) {
        return ddb.query(b -> b.tableName(TABLE).keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(ResultKeys.cameraPk(camera))))).items();
    }

    static List<String> labels(Map<String, AttributeValue> item) {
        List<String> out = new ArrayList<>();
        for (AttributeValue f : item.get("faces").l()) {
            AttributeValue l = f.m().get("label");
            out.add(l.nul() != null && l.nul() ? null : l.s());
        }
        return out;
    }

    static List<JsonNode> waitForDeliveries(int n) throws Exception {
        List<JsonNode> d = receiver.deliveries();
        for (int i = 0; i < 100 && d.size() < n; i++) {
            Thread.sleep(50);
            d = receiver.deliveries();
        }
        return d;
    }

    @Test
    void knownFaceIsRecordedAndAnnouncedWithAVerifiedSignature() throws Exception {
        String key = frameKey("door");
        // as the forwarder puts it: the stream URL in the metadata, credentials removed
        FrameKey fk = FrameKey.parse(key).orElseThrow();
        Map<String, String> meta = new FrameMetadata("door", fk.captureTime(), fk.sequence(), "test",
                "http://192.0.2.7:81/stream").toMap();
        byte[] frame = photo("face_recognition/images/barack_obama/obama2.jpg");
        var w = s3.putObject(b -> b.bucket(BUCKET).key(key).contentType("image/jpeg").metadata(meta),
                RequestBody.fromBytes(frame));
        Map<String, Object> out = handler.handleRequest(created(BUCKET, key, frame.length, w.eTag().replace("\"", ""),
                S3VersionIds.newVersionId()), null);
        assertEquals(1, out.get("frames"), out.toString());

        Map<String, AttributeValue> item = frames("door").stream()
                .filter(i -> i.get("s3Key").s().equals(key)).findFirst().orElseThrow();
        assertEquals(List.of("barack_obama"), labels(item));
        assertEquals("done", item.get("webhookState").s());
        assertEquals(ResultKeys.dayPk(FrameKey.parse(key).get().captureTime()), item.get(ResultKeys.DAY_PK).s());
        assertTrue(item.containsKey(ResultKeys.TTL), "TTL attribute set");

        List<JsonNode> d = waitForDeliveries(1);
        assertEquals(1, d.size(), d.toString());
        JsonNode delivery = d.get(0);
        assertTrue(delivery.get("authorised").asBoolean(), "Bearer token accepted");
        assertTrue(delivery.get("verified").asBoolean(), "signature verified by standardwebhooks: " + delivery);
        // the Bearer token, which travels in every request, cannot make the signature
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String byToken = "v1," + java.util.Base64.getEncoder().encodeToString(mac.doFinal((delivery.get("id").asText()
                + "." + delivery.get("timestamp").asText() + "." + delivery.get("raw").asText()).getBytes(StandardCharsets.UTF_8)));
        assertFalse(delivery.get("signature").asText().contains(byToken.substring(3)), "signed with a key of its own");
        JsonNode body = delivery.get("body");
        assertEquals("barack_obama", body.at("/result/name").asText());
        assertEquals("clxdoor0app0camera0id01", body.get("camera_id").asText(), "APP_CAMERA_IDS maps door to the app's id");
        assertEquals("http://192.0.2.7:81/stream", body.get("camera_stream_url").asText(), "from the frame's metadata");
        assertEquals("http://192.0.2.7:81/stream", item.get("streamUrl").s());
        // the old app's numbers, from the similarity recorded (cosine here: distance is 1 - cosine)
        double similarity = Double.parseDouble(item.get("faces").l().get(0).m().get("similarity").n());
        assertTrue(similarity >= 0.5);
        assertEquals(new java.math.BigDecimal(similarity).setScale(2, java.math.RoundingMode.HALF_EVEN).doubleValue(),
                body.at("/result/confidence").asDouble(), 0.0);
        assertEquals(new java.math.BigDecimal(1 - similarity).setScale(3, java.math.RoundingMode.HALF_EVEN).doubleValue(),
                body.at("/result/distance").asDouble(), 0.0);
        JsonNode box = body.at("/result/box");
        assertTrue(box.get("bottom").asInt() > box.get("top").asInt() && box.get("right").asInt() > box.get("left").asInt());
        assertEquals(body.get("timestamp").asText(), body.at("/result/timestamp").asText());

        // a person's sightings over time, through the GSI
        var sightings = ddb.query(b -> b.tableName(TABLE).indexName(ResultKeys.BY_PERSON)
                .keyConditionExpression("personPk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(ResultKeys.personPk("barack_obama")))));
        assertTrue(sightings.items().stream().anyMatch(i -> i.get("s3Key").s().equals(key)));
    }

    @Test
    void strangerIsAnnouncedAsDesconocidoWhenTheTrackEnds() throws Exception {
        put(handler, frameKey("hall"), photo("face_recognition/images/rose_leslie/img1.jpg"));
        assertEquals(List.of("unknown"), labels(frames("hall").get(0)));
        Thread.sleep(200);
        assertEquals(0, receiver.deliveries().size(), "not yet: the stranger may still be named");
        endTracks(handler, "hall");
        List<JsonNode> d = waitForDeliveries(1);
        assertEquals(1, d.size());
        assertEquals("Desconocido", d.get(0).at("/body/result/name").asText());
        assertTrue(d.get(0).get("verified").asBoolean());
    }

    @Test
    void frameWithoutFacesIsRecordedAndNotAnnounced() throws Exception {
        put(handler, frameKey("yard"), photo("no-faces/skimage_rocket.jpg"));
        Map<String, AttributeValue> item = frames("yard").get(0);
        assertEquals("0", item.get("faceCount").n());
        assertEquals("none", item.get("webhookState").s());
        Thread.sleep(200);
        assertEquals(0, receiver.deliveries().size());
    }

    @Test
    void severalFacesAreEachRecordedAndEachPersonAnnounced() throws Exception {
        put(handler, frameKey("stage"), photo("face_recognition/group/obama_and_biden.jpg"));
        List<String> l = labels(frames("stage").get(0));
        assertEquals(List.of("joe_biden", "barack_obama", "unknown"), l);
        List<JsonNode> d = waitForDeliveries(2);
        assertEquals(List.of("joe_biden", "barack_obama"), d.stream().map(x -> x.at("/body/result/name").asText()).toList(),
                "the two named at once, each 0.10 above the threshold");
        endTracks(handler, "stage");
        d = waitForDeliveries(3);
        assertEquals("Desconocido", d.get(2).at("/body/result/name").asText(), "the third when its track ended");
        assertEquals(3, d.stream().map(x -> x.get("id").asText()).distinct().count(), "one webhook-id per track");
        assertEquals(3, d.stream().map(x -> x.at("/body/track/id").asText()).distinct().count());
    }

    @Test
    void secondDeliveryOfTheSameObjectWritesNothingAndSendsNothing() throws Exception {
        String key = frameKey("dup");
        byte[] body = photo("face_recognition/images/barack_obama/obama2.jpg");
        Written w = write(key, body);
        handler.handleRequest(created(w), null);
        Map<String, Object> again = handler.handleRequest(created(w), null);
        assertEquals(1, again.get("duplicates"), again.toString());
        assertEquals(1, frames("dup").size());
        Thread.sleep(200);
        assertEquals(1, receiver.deliveries().size());
    }

    @Test
    void frameIsReadByKeyWithTheEventsETagAsIfMatchAndNoVersion() throws Exception {
        // a versionId on GetObject needs s3:GetObjectVersion, which the recognizer is not granted
        List<GetObjectRequest> gets = new CopyOnWriteArrayList<>();
        S3Client recording = S3Client.builder().endpointOverride(aws.s3Server().endpoint()).forcePathStyle(true)
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution c, ExecutionAttributes a) {
                        if (c.request() instanceof GetObjectRequest g && g.key().startsWith("frames/")) {
                            gets.add(g);
                        }
                    }
                })).build();
        RecognizerHandler h = new RecognizerHandler(Recognizer.create(RecognizerConfig.from(env(Map.of())), recording,
                ddb, arn -> {
                    throw new AssertionError("no Secrets Manager in this test");
                }, Clock.systemUTC()));
        Written w = write(frameKey("byetag"), photo("face_recognition/images/joe_biden/biden.jpg"));
        assertEquals(1, h.handleRequest(created(w), null).get("frames"));
        assertEquals(1, gets.size(), gets.toString());
        assertEquals(null, gets.get(0).versionId(), "read by key, not by version");
        assertEquals("\"" + w.eTag() + "\"", gets.get(0).ifMatch(), "the event's content, or nothing");
    }

    @Test
    void aFrameRePutWithTheSameBytesIsNeitherRecordedNorAnnouncedTwice() throws Exception {
        // the forwarder re-puts a frame whose response it lost: a new version, the same eTag
        String key = frameKey("reput");
        byte[] body = photo("face_recognition/images/barack_obama/obama2.jpg");
        Written first = write(key, body);
        Written second = write(key, body);
        assertEquals(first.eTag(), second.eTag());
        assertFalse(first.versionId().equals(second.versionId()));
        assertEquals(1, handler.handleRequest(created(first), null).get("frames"));
        Map<String, Object> again = handler.handleRequest(created(second), null);
        assertEquals(1, again.get("duplicates"), again.toString());
        assertEquals(1, frames("reput").size(), "one item");
        Thread.sleep(200);
        assertEquals(1, receiver.deliveries().size(), "one announcement");
    }

    @Test
    void aFrameOverwrittenSinceItsEventIsSkippedAndTheNewerEventRecordsIt() throws Exception {
        String key = frameKey("overwrite");
        Written older = write(key, photo("face_recognition/images/joe_biden/biden.jpg"));
        Written newer = write(key, photo("no-faces/skimage_rocket.jpg"));
        Map<String, Object> out = handler.handleRequest(created(older), null);
        assertEquals(1, out.get("skipped"), "the older content is gone from the key: " + out);
        assertEquals(0, frames("overwrite").size(), "nothing recorded for content that was not read");
        assertEquals(1, handler.handleRequest(created(newer), null).get("frames"));
        Map<String, AttributeValue> item = frames("overwrite").get(0);
        assertEquals("0", item.get("faceCount").n(), "the newer content (no face) was recorded");
        assertEquals(newer.eTag(), item.get("eTag").s());
        Thread.sleep(200);
        assertEquals(0, receiver.deliveries().size());
    }

    @Test
    void metadataThatContradictsTheKeyIsRefusedAndRecordedUnderTheKeysCamera() throws Exception {
        byte[] body = photo("face_recognition/images/joe_biden/biden.jpg");
        // another camera's id in the metadata: the key (what IAM and the lifecycle rules see) decides
        String key = frameKey("gate");
        FrameKey k = FrameKey.parse(key).orElseThrow();
        s3.putObject(b -> b.bucket(BUCKET).key(key).metadata(Map.of("camera-id", "vault",
                "capture-time", k.captureTime().toString(), "sequence", Long.toString(k.sequence()))),
                RequestBody.fromBytes(body));
        Map<String, Object> out = handler.handleRequest(created(BUCKET, key, body.length,
                eTagOf(key), S3VersionIds.newVersionId()), null);
        assertEquals(1, out.get("errors"), out.toString());
        assertEquals(0, frames("vault").size(), "nothing recorded under the metadata's camera");
        Map<String, AttributeValue> item = frames("gate").get(0);
        assertEquals("metadata camera-id 'vault' contradicts the key's camera 'gate'", item.get("error").s());
        assertEquals("0", item.get("faceCount").n(), "not analysed");

        // a capture time an hour off the key's
        String key2 = frameKey("gate");
        FrameKey k2 = FrameKey.parse(key2).orElseThrow();
        s3.putObject(b -> b.bucket(BUCKET).key(key2).metadata(Map.of("camera-id", "gate",
                "capture-time", k2.captureTime().plusSeconds(3600).toString())), RequestBody.fromBytes(body));
        out = handler.handleRequest(created(BUCKET, key2, body.length, eTagOf(key2),
                S3VersionIds.newVersionId()), null);
        assertEquals(1, out.get("errors"), out.toString());
        Map<String, AttributeValue> item2 = frames("gate").stream().filter(i -> i.get("s3Key").s().equals(key2))
                .findFirst().orElseThrow();
        assertEquals(ResultKeys.time(k2.captureTime()), item2.get("captureTime").s(), "the key's time");
        assertEquals("metadata capture-time " + k2.captureTime().plusSeconds(3600) + " contradicts the key's "
                + k2.captureTime(), item2.get("error").s());
        Thread.sleep(200);
        assertEquals(0, receiver.deliveries().size(), "nothing announced from a contradicted frame");
    }

    @Test
    void aRecordWithoutAKeyIsSkippedByNameAndTheOthersAreHandled() throws Exception {
        S3Event good = created(write(frameKey("nokey"), photo("face_recognition/images/joe_biden/biden.jpg")));
        String json = new String(RecognizerHandlerIntegrationTest.class.getResourceAsStream("/events/object-created.json")
                .readAllBytes(), StandardCharsets.UTF_8).replace("\"key\": \"${KEY}\",", "\"key\": null,")
                .replace("${BUCKET}", BUCKET).replace("${SIZE}", "10").replace("${ETAG}", "d41d8cd98f00b204e9800998ecf8427e")
                .replace("${VERSION}", S3VersionIds.newVersionId()).replace("${SEQUENCER}", S3VersionIds.nextSequencer());
        S3Event keyless = LambdaEventSerializers.serializerFor(S3Event.class, getClass().getClassLoader())
                .fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        good.getRecords().add(0, keyless.getRecords().get(0));
        Map<String, Object> out = handler.handleRequest(good, null);
        assertEquals(1, out.get("skipped"), out.toString());
        assertEquals(1, out.get("frames"), "the record after it was handled: " + out);

        // a runtime that passes the null on, and a record without a bucket: skipped, the next one handled
        Written w = write(frameKey("nokey"), photo("face_recognition/images/joe_biden/biden2.jpg"));
        Recognizer.Summary sum = recognizer.handle(List.of(
                new Recognizer.Record("ObjectCreated:Put", BUCKET, null, null, null, null, 0),
                new Recognizer.Record("ObjectCreated:Put", null, s3Encode(w.key()), null, w.eTag(), null, w.size()),
                new Recognizer.Record("ObjectCreated:Put", BUCKET, s3Encode(w.key()), w.versionId(), w.eTag(), null,
                        w.size())), 60_000);
        assertEquals(2, sum.skipped(), sum.toString());
        assertEquals(1, sum.frames(), sum.toString());
        assertEquals(List.of(), sum.retryable());
    }

    @Test
    void corruptJpegIsRecordedWithItsErrorAndLosesNothingElse() throws Exception {
        byte[] good = photo("face_recognition/images/joe_biden/biden.jpg");
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 3);
        String bad = frameKey("corrupt");
        Map<String, Object> out = put(handler, bad, truncated);
        assertEquals(1, out.get("errors"));
        Map<String, AttributeValue> item = frames("corrupt").get(0);
        assertEquals("s3://" + BUCKET + "/" + bad + ": truncated JPEG (no end-of-image marker)", item.get("error").s());
        assertEquals(0, receiver.deliveries().size());
    }

    @Test
    void keysWithSpacesAndNonAsciiAreDecodedAsS3EncodesThem() throws Exception {
        // a person whose name has an accent and a space, and a photo name with a space
        enrol(handler, "José María", "foto 1.jpg", TestData.path("face_recognition/images/kit_harington/john1.jpeg"));
        var status = ddb.getItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("ENROL#José María"),
                "sk", AttributeValue.fromS("STATUS")))).item();
        assertEquals("enrolled", status.get("photos").m().get("foto 1.jpg").s());
        // a frame uploaded by hand under frames/<camera>/ with a space in its name
        String key = "frames/porch/manual upload 1.jpg";
        put(handler, key, photo("face_recognition/images/kit_harington/john2.jpeg"));
        assertEquals(List.of("José María"), labels(frames("porch").get(0)));
        assertEquals("José María", waitForDeliveries(1).get(0).at("/body/result/name").asText());
    }

    @Test
    void enrolmentRecordsRefusedPhotosAndAnEmptiedFolderRemovesThePerson() throws Exception {
        RecognizerHandler h = handler(Map.of("GALLERY_PREFIX", "gallery-enrol/"));
        enrol(h, "rose_leslie", "a.jpg", TestData.path("face_recognition/images/rose_leslie/img1.jpg"));
        enrol(h, "rose_leslie", "cat.png", TestData.path("no-faces/skimage_chelsea.png"));
        enrol(h, "rose_leslie", "two.jpg", TestData.path("face_recognition/group/two_people.jpg"));
        var status = ddb.getItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("ENROL#rose_leslie"),
                "sk", AttributeValue.fromS("STATUS")))).item();
        assertEquals("enrolled", status.get("photos").m().get("a.jpg").s());
        assertEquals("refused: no face found", status.get("photos").m().get("cat.png").s());
        assertEquals("refused: 2 faces found, need exactly one", status.get("photos").m().get("two.jpg").s());
        assertEquals(List.of("rose_leslie"), galleryLabels("gallery-enrol/"));

        put(h, frameKey("enrol-cam"), photo("face_recognition/images/rose_leslie/img2.jpg"));
        assertEquals(List.of("rose_leslie"), labels(frames("enrol-cam").get(0)), "enrolled person recognised next frame");

        for (String f : List.of("a.jpg", "cat.png", "two.jpg")) {
            s3.deleteObject(b -> b.bucket(BUCKET).key("enroll/rose_leslie/" + f));
            h.handleRequest(removed("enroll/rose_leslie/" + f), null);
        }
        assertEquals(List.of(), galleryLabels("gallery-enrol/"), "person removed with their last photo");
    }

    static List<String> galleryLabels(String prefix) throws Exception {
        return new io.facerec.recognizer.gallery.S3GallerySource(s3, BUCKET, prefix, 1 << 28).read().combine(null, 0)
                .gallery().orElseThrow().labels();
    }

    @Test
    void deadWebhookNeverLosesTheRecord() throws Exception {
        int closed = io.facerec.loopback.NodeProcess.freePort();
        RecognizerHandler h = handler(Map.of("NEXTJS_WEBHOOK_URL", "http://127.0.0.1:" + closed + "/hook",
                "WEBHOOK_MAX_ATTEMPTS", "2"));
        Map<String, Object> out = put(h, frameKey("deadhook"), photo("face_recognition/images/joe_biden/biden.jpg"));
        assertEquals(1, out.get("frames"), "the invocation succeeds");
        Map<String, AttributeValue> item = frames("deadhook").get(0);
        assertEquals(List.of("joe_biden"), labels(item));
        assertEquals("failed", item.get("webhookState").s());
        var w = item.get("webhooks").l().get(0).m();
        assertEquals("FAILED", w.get("status").s());
        assertEquals("2", w.get("attempts").s());
        assertTrue(w.get("detail").s().startsWith("connection failed"), w.get("detail").s());
        assertFalse(item.toString().contains(SECRET));
        assertFalse(item.toString().contains(SIGNING_KEY.substring(6)));
    }

    @Test
    void serverErrorsAreRetriedUntilDelivered() throws Exception {
        receiver.behave("{\"status\":500,\"times\":2}");
        put(handler, frameKey("flaky"), photo("face_recognition/images/joe_biden/biden.jpg"));
        var w = frames("flaky").get(0).get("webhooks").l().get(0).m();
        assertEquals("DELIVERED", w.get("status").s());
        assertEquals("3", w.get("attempts").s());
        List<JsonNode> d = receiver.deliveries();
        assertEquals(List.of(500, 500, 201), d.stream().map(x -> x.get("status").asInt()).toList());
        assertEquals(1, d.stream().map(x -> x.get("id").asText()).distinct().count(), "same webhook-id on each attempt");
    }

    @Test
    void aFailedDeliveryDoesNotSilenceThePersonsNextTrack() throws Exception {
        // the receiver fails the first attempt, and one attempt is all there is
        RecognizerHandler h = handler(Map.of("WEBHOOK_COOLDOWN_S", "60", "WEBHOOK_MAX_ATTEMPTS", "1"));
        receiver.behave("{\"status\":503,\"times\":1}");
        put(h, frameKey("relapse"), photo("face_recognition/images/joe_biden/biden.jpg"));
        later(20); // the person left and came back: a track of its own, within the cooldown
        put(h, frameKey("relapse"), photo("face_recognition/images/joe_biden/biden.jpg"));
        List<JsonNode> d = waitForDeliveries(2);
        assertEquals(List.of(503, 201), d.stream().map(x -> x.get("status").asInt()).toList(),
                "the cooldown is taken by a delivery that succeeded, not by one that failed");
        List<String> states = frames("relapse").stream().map(i -> i.get("webhooks").l().get(0).m().get("status").s()).toList();
        assertEquals(List.of("FAILED", "DELIVERED"), states);
        // and now the cooldown holds, for the person's next track too
        later(20);
        put(h, frameKey("relapse"), photo("face_recognition/images/joe_biden/biden.jpg"));
        Thread.sleep(200);
        assertEquals(2, receiver.deliveries().size());
        assertEquals("COOLDOWN", frames("relapse").get(2).get("webhooks").l().get(0).m().get("status").s());
    }

    /** Fails the first DynamoDB call that matches, as a container killed at that point would leave things. */
    static final class KillOnce implements ExecutionInterceptor {
        final java.util.function.Predicate<SdkRequest> before;
        final java.util.function.Predicate<SdkRequest> after;
        final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

        KillOnce(java.util.function.Predicate<SdkRequest> before, java.util.function.Predicate<SdkRequest> after) {
            this.before = before;
            this.after = after;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution c, ExecutionAttributes a) {
            if (before.test(c.request()) && done.compareAndSet(false, true)) {
                throw new IllegalStateException("container killed before " + c.request().getClass().getSimpleName());
            }
        }

        @Override
        public void afterExecution(Context.AfterExecution c, ExecutionAttributes a) {
            if (after.test(c.request()) && done.compareAndSet(false, true)) {
                throw new IllegalStateException("container killed after " + c.request().getClass().getSimpleName());
            }
        }
    }

    static boolean framePut(SdkRequest r) {
        return r instanceof PutItemRequest p && p.item().containsKey("type") && "frame".equals(p.item().get("type").s());
    }

    static boolean cooldownUpdate(SdkRequest r) {
        return r instanceof UpdateItemRequest u && u.key().get(ResultKeys.PK).s().startsWith("COOLDOWN#");
    }

    /** The write of a frame's delivery outcomes (not the face counters' claim on the same item). */
    static boolean deliveriesRecorded(SdkRequest r) {
        return r instanceof UpdateItemRequest u && u.key().get(ResultKeys.PK).s().startsWith("CAM#")
                && u.updateExpression().contains("webhookState");
    }

    static RecognizerHandler dyingHandler(KillOnce kill, Map<String, String> overrides) {
        DynamoDbClient dying = DynamoDbClient.builder().endpointOverride(aws.dynalite().endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(kill)).build();
        return new RecognizerHandler(Recognizer.create(RecognizerConfig.from(env(overrides)), s3, dying, arn -> {
            throw new AssertionError("no Secrets Manager in this test");
        }, Clock.systemUTC()));
    }

    @Test
    void aContainerKilledBetweenTheItemWriteAndTheDeliveryAnnouncesOnTheRetry() throws Exception {
        Map<String, String> cooldown = Map.of("WEBHOOK_COOLDOWN_S", "60");
        for (var kill : List.of(new KillOnce(r -> false, RecognizerHandlerIntegrationTest::framePut),
                new KillOnce(r -> false, RecognizerHandlerIntegrationTest::cooldownUpdate))) {
            receiver.clear();
            String camera = "killed" + (kill.after.test(PutItemRequest.builder().item(Map.of("type",
                    AttributeValue.fromS("frame"))).build()) ? "-after-item" : "-after-claim");
            Written w = write(frameKey(camera), photo("face_recognition/images/joe_biden/biden.jpg"));
            assertThrows(RuntimeException.class, () -> dyingHandler(kill, cooldown).handleRequest(created(w), null));
            assertTrue(kill.done.get(), camera);
            assertEquals("pending", frames(camera).get(0).get("webhookState").s(), camera + ": recorded, not announced");
            assertEquals(0, receiver.deliveries().size(), camera);

            // Lambda retries the event in a new container
            Map<String, Object> out = handler(cooldown).handleRequest(created(w), null);
            assertEquals(1, out.get("duplicates"), camera + ": " + out);
            List<JsonNode> d = waitForDeliveries(1);
            assertEquals(1, d.size(), camera + ": announced on the retry");
            assertEquals("joe_biden", d.get(0).at("/body/result/name").asText());
            assertEquals("done", frames(camera).get(0).get("webhookState").s());
        }
    }

    @Test
    void aContainerKilledAfterSendingResendsWithTheSameWebhookIdSoTheReceiverDropsIt() throws Exception {
        Written w = write(frameKey("killed-after-send"), photo("face_recognition/images/joe_biden/biden.jpg"));
        KillOnce kill = new KillOnce(RecognizerHandlerIntegrationTest::deliveriesRecorded, r -> false);
        assertThrows(RuntimeException.class, () -> dyingHandler(kill, Map.of()).handleRequest(created(w), null));
        assertEquals(1, waitForDeliveries(1).size());
        handler.handleRequest(created(w), null);
        List<JsonNode> d = waitForDeliveries(2);
        assertEquals(2, d.size(), "sent again: the first outcome was never recorded");
        assertEquals(d.get(0).get("id").asText(), d.get(1).get("id").asText(), "a stable webhook-id");
        assertTrue(d.get(1).get("duplicate").asBoolean(), "the receiver recognised the repeat");
        assertEquals("done", frames("killed-after-send").get(0).get("webhookState").s());
    }

    @Test
    void aDeliveryOutOfTimeStaysPendingAndTheRetryOfTheEventSendsIt() throws Exception {
        // the receiver asks for a wait longer than the invocation has left
        receiver.behave("{\"status\":429,\"retryAfter\":30,\"times\":1}");
        Written w = write(frameKey("outoftime"), photo("face_recognition/images/joe_biden/biden.jpg"));
        var e = assertThrows(RecognizerHandler.RetryableFailureException.class,
                () -> handler.handleRequest(created(w), TimeLeft.millis(8000)));
        assertTrue(e.getMessage().contains("webhook deliveries pending"), e.getMessage());
        Map<String, AttributeValue> item = frames("outoftime").get(0);
        assertEquals("pending", item.get("webhookState").s());
        assertEquals("PENDING", item.get("webhooks").l().get(0).m().get("status").s());

        handler.handleRequest(created(w), null);
        List<JsonNode> d = waitForDeliveries(2);
        assertEquals(List.of(429, 201), d.stream().map(x -> x.get("status").asInt()).toList());
        assertEquals("done", frames("outoftime").get(0).get("webhookState").s());
    }

    @Test
    void tooManyRequestsHonoursRetryAfter() throws Exception {
        receiver.behave("{\"status\":429,\"retryAfter\":1,\"times\":1}");
        long t0 = System.currentTimeMillis();
        put(handler, frameKey("throttled"), photo("face_recognition/images/joe_biden/biden.jpg"));
        long took = System.currentTimeMillis() - t0;
        var w = frames("throttled").get(0).get("webhooks").l().get(0).m();
        assertEquals("DELIVERED", w.get("status").s());
        assertEquals("2", w.get("attempts").s());
        assertTrue(took >= 1000, "waited the Retry-After second: " + took + " ms");
    }

    @Test
    void slowWebhookTimesOutAndIsRetried() throws Exception {
        RecognizerHandler h = handler(Map.of("WEBHOOK_TIMEOUT_MS", "500"));
        receiver.behave("{\"delayMs\":1500,\"times\":1}");
        put(h, frameKey("slow"), photo("face_recognition/images/joe_biden/biden.jpg"));
        var w = frames("slow").get(0).get("webhooks").l().get(0).m();
        assertEquals("DELIVERED", w.get("status").s());
        assertEquals("2", w.get("attempts").s());
    }

    @Test
    void clientErrorIsNotRetried() throws Exception {
        receiver.behave("{\"status\":400,\"times\":1}");
        put(handler, frameKey("badreq"), photo("face_recognition/images/joe_biden/biden.jpg"));
        var w = frames("badreq").get(0).get("webhooks").l().get(0).m();
        assertEquals("FAILED", w.get("status").s());
        assertEquals("1", w.get("attempts").s());
    }

    @Test
    void aTrackIsAnnouncedOnceAndTheCooldownStillGuardsThePersonsNextTrack() throws Exception {
        RecognizerHandler h = handler(Map.of("WEBHOOK_COOLDOWN_S", "60"));
        put(h, frameKey("lobby"), photo("face_recognition/images/joe_biden/biden.jpg"));
        put(h, frameKey("lobby"), photo("face_recognition/images/joe_biden/biden2.jpg"));
        later(20); // gone, and back: a second track of the same person within the cooldown
        put(h, frameKey("lobby"), photo("face_recognition/images/joe_biden/biden.jpg"));
        put(h, frameKey("lobby2"), photo("face_recognition/images/joe_biden/biden.jpg"));
        assertEquals(2, waitForDeliveries(2).size(), "once on lobby, once on lobby2");
        List<Map<String, AttributeValue>> lobby = frames("lobby");
        assertEquals(List.of(1, 0, 1), lobby.stream().map(i -> i.containsKey("webhooks") ? i.get("webhooks").l().size() : 0)
                .toList(), "the second frame of the first track owes nothing");
        assertEquals("COOLDOWN", lobby.get(2).get("webhooks").l().get(0).m().get("status").s());
    }

    @Test
    void unknownFacesCanBeKeptQuiet() throws Exception {
        RecognizerHandler h = handler(Map.of("WEBHOOK_SEND_UNKNOWN", "false"));
        put(h, frameKey("quiet"), photo("face_recognition/images/rose_leslie/img1.jpg"));
        assertEquals(List.of("unknown"), labels(frames("quiet").get(0)));
        Thread.sleep(200);
        assertEquals(0, receiver.deliveries().size());
    }

    @Test
    void missingGalleryRecordsFacesUnmatchedAndCallsNobodyDesconocido() throws Exception {
        RecognizerHandler h = handler(Map.of("GALLERY_PREFIX", "no-gallery-here/"));
        put(h, frameKey("nogallery"), photo("face_recognition/images/joe_biden/biden.jpg"));
        Map<String, AttributeValue> item = frames("nogallery").get(0);
        assertEquals(java.util.Collections.singletonList(null), labels(item));
        assertTrue(item.get("galleryProblem").s().contains("no-gallery-here/encodings.npy: missing"),
                item.get("galleryProblem").s());
        Thread.sleep(200);
        assertEquals(0, receiver.deliveries().size());
    }

    @Test
    void malformedGalleryIsNotedOnTheItem() throws Exception {
        s3.putObject(b -> b.bucket(BUCKET).key("bad-gallery/encodings.npy"),
                RequestBody.fromBytes(NpyCodec.write(new FloatMatrix(3, 512, new float[3 * 512]))));
        s3.putObject(b -> b.bucket(BUCKET).key("bad-gallery/labels.json"), RequestBody.fromString("[\"a\",\"b\"]"));
        RecognizerHandler h = handler(Map.of("GALLERY_PREFIX", "bad-gallery/"));
        put(h, frameKey("badgallery"), photo("face_recognition/images/joe_biden/biden.jpg"));
        String problem = frames("badgallery").get(0).get("galleryProblem").s();
        assertEquals("s3://" + BUCKET + "/bad-gallery: labels.json has 2 labels but encodings.npy has 3 rows; "
                + "they must match one to one", problem);
        assertEquals(0, receiver.deliveries().size());
    }

    @Test
    void a128WideGalleryWithoutSidecarIsMatchedWithTheDlibModel() throws Exception {
        s3.putObject(b -> b.bucket(BUCKET).key("dlib-gallery/encodings.npy"),
                RequestBody.fromBytes(NpyCodec.write(new FloatMatrix(1, 128, new float[128]))));
        s3.putObject(b -> b.bucket(BUCKET).key("dlib-gallery/labels.json"), RequestBody.fromString("[\"ana\"]"));
        RecognizerHandler h = handler(Map.of("GALLERY_PREFIX", "dlib-gallery/"));
        put(h, frameKey("dlib"), photo("face_recognition/images/joe_biden/biden.jpg"));
        Map<String, AttributeValue> item = frames("dlib").get(0);
        assertFalse(item.containsKey("galleryProblem"), item.toString());
        assertEquals("dlib-resnet-v1/face-api-1.7.15", item.get("modelId").s(), "the old app's gallery: dlib vectors");
        assertEquals(java.util.Collections.singletonList("unknown"), labels(item), "a zero row is nobody's face");
    }

    @Test
    void galleryChangedBetweenInvocationsIsPickedUp() throws Exception {
        RecognizerHandler h = handler(Map.of("GALLERY_PREFIX", "gallery-change/"));
        put(h, frameKey("change"), photo("face_recognition/images/alex_lacamoire/img1.jpg"));
        assertEquals(java.util.Collections.singletonList(null), labels(frames("change").get(0)), "no gallery yet");
        // another container (a second handler) enrols alex; this one must notice the new ETag
        enrol(handler(Map.of("GALLERY_PREFIX", "gallery-change/")), "alex_lacamoire", "a.jpg",
                TestData.path("face_recognition/images/alex_lacamoire/alex_lacamoire1.jpg"));
        put(h, frameKey("change"), photo("face_recognition/images/alex_lacamoire/img1.jpg"));
        assertTrue(frames("change").stream().anyMatch(i -> List.of("alex_lacamoire").equals(labels(i))));
    }

    @Test
    void unreachableObjectFailsTheInvocationAfterTheOtherRecords() throws Exception {
        String good = frameKey("mixed");
        byte[] body = photo("face_recognition/images/joe_biden/biden.jpg");
        S3Event e1 = created(write(good, body));
        S3Event e2 = created("no-such-bucket", frameKey("mixed"), 1000, "0123456789abcdef0123456789abcdef",
                S3VersionIds.newVersionId());
        e1.getRecords().add(0, e2.getRecords().get(0));
        var ex = assertThrows(RecognizerHandler.RetryableFailureException.class, () -> handler.handleRequest(e1, null));
        assertTrue(ex.getMessage().startsWith("1 of 2 records failed"), ex.getMessage());
        assertEquals(1, frames("mixed").size(), "the good record was recorded anyway");
    }

    @Test
    void frameOverTheSizeCapIsRecordedWithTheReasonNotDownloaded() throws Exception {
        RecognizerHandler h = handler(Map.of("MAX_FRAME_BYTES", "1000"));
        byte[] body = photo("face_recognition/images/joe_biden/biden.jpg");
        String key = frameKey("big");
        Written w = write(key, body);
        // size 0 in the event: the object's own length must decide
        Map<String, Object> out = h.handleRequest(created(BUCKET, key, 0, w.eTag(), w.versionId()), null);
        assertEquals(1, out.get("errors"), out.toString());
        assertEquals("object is " + body.length + " bytes, over the limit of 1000", frames("big").get(0).get("error").s());
    }

    @Test
    void recordsOutsideFramesOrNotJpegAreSkipped() throws Exception {
        Map<String, Object> out = handler.handleRequest(created(write("frames/cam/notes.txt", new byte[10])), null);
        assertEquals(1, out.get("skipped"));
        out = handler.handleRequest(created(write("uploads/other.jpg", new byte[10])), null);
        assertEquals(1, out.get("skipped"));
    }
}
