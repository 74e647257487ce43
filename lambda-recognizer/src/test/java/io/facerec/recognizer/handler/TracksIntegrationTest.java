package io.facerec.recognizer.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facerec.loopback.WebhookReceiver;
import io.facerec.loopback.sdkcalls.ProductRole;
import io.facerec.loopback.sdkcalls.SdkCallRecorder;
import io.facerec.model.frame.FrameKey;
import io.facerec.model.gallery.FloatMatrix;
import io.facerec.model.gallery.NpyCodec;
import io.facerec.model.result.ResultKeys;
import io.facerec.recognizer.config.RecognizerConfig;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.testing.LoopbackAws;
import io.facerec.recognizer.testing.SharedPhotos;
import io.facerec.recognizer.testing.TestData;
import io.facerec.recognizer.testing.VideoLabels;
import io.facerec.recognizer.track.CameraTracks;
import io.facerec.recognizer.unknown.UnknownClusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Person-tracks through the handler, as Lambda runs it: the shared video's frames as one camera's
 * uploads (capture times from its labels file), several containers at once, the deliveries a
 * verifying receiver got, and the clusters of unknown faces with their promotion to enrolment.
 * Galleries are copied in (encodings.npy + labels.json) from the shared photos.
 */
class TracksIntegrationTest {
    static final String BUCKET = "tracks-frames";
    static final String TABLE = "tracks-results";
    static final String SECRET = "tracks-test-bearer-token";
    static final String SIGNING_KEY = RecognizerHandlerIntegrationTest.SIGNING_KEY;
    static final ObjectMapper JSON = new ObjectMapper();
    static final long BASE = 1_795_000_000_000L;
    static LoopbackAws aws;
    static WebhookReceiver receiver;
    static S3Client s3;
    static DynamoDbClient ddb;
    static VideoLabels video;
    static List<SharedPhotos.Photo> photos;

    @BeforeAll
    static void start() throws Exception {
        TestData.dir();
        aws = LoopbackAws.start(BUCKET, TABLE);
        s3 = aws.s3();
        ddb = aws.ddb();
        receiver = WebhookReceiver.start(SECRET, SIGNING_KEY);
        video = VideoLabels.read();
        try (FaceEngine e = FaceEngine.load(RecognizerConfig.from(env("g/", Map.of())).engine(), null)) {
            photos = SharedPhotos.embed(e);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        LoopbackAws.closeAll(receiver, aws);
    }

    @BeforeEach
    void clear() throws Exception {
        receiver.clear();
    }

    static Map<String, String> env(String galleryPrefix, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("RESULTS_TABLE", TABLE);
        env.put("GALLERY_BUCKET", BUCKET);
        env.put("GALLERY_PREFIX", galleryPrefix);
        env.put("GALLERY_REFRESH_S", "0");
        env.put("NEXTJS_WEBHOOK_URL", receiver == null ? "http://127.0.0.1:1/" : receiver.url().toString());
        env.put("FACIAL_RECOGNITION_WEBHOOK_SECRET", SECRET);
        env.put("WEBHOOK_SIGNING_KEY", SIGNING_KEY);
        env.put("WEBHOOK_ALLOW_HTTP", "true");
        env.put("WEBHOOK_COOLDOWN_S", "0");
        // the app's ids named after the forwarder's cameras, so that each delivery says which camera it is of
        env.put("APP_CAMERA_IDS", "wide=wide,stranger=stranger,shuffled=shuffled,cost=cost,porch=porch,gate=gate");
        aws.endpoints(env);
        env.putAll(overrides);
        return env;
    }

    /** One Lambda container, its calls recorded for the IAM contract. */
    static RecognizerHandler container(String galleryPrefix, Map<String, String> overrides) {
        Map<String, String> env = env(galleryPrefix, overrides);
        var calls = SdkCallRecorder.forTest(ProductRole.RECOGNIZER, TracksIntegrationTest.class, env);
        return new RecognizerHandler(Recognizer.create(RecognizerConfig.from(env), aws.s3Server().client(calls),
                aws.dynalite().client(calls), arn -> {
                    throw new AssertionError("no Secrets Manager in this test");
                }, Clock.systemUTC()));
    }

    /** A gallery copied in under {@code prefix}: every shared photo's face whose person passes {@code who}. */
    static void copyGallery(String prefix, Predicate<String> who) throws Exception {
        List<SharedPhotos.Photo> rows = photos.stream().filter(p -> who.test(p.person())).toList();
        float[] data = new float[rows.size() * 512];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i).embedding(), 0, data, i * 512, 512);
        }
        s3.putObject(b -> b.bucket(BUCKET).key(prefix + "encodings.npy"),
                RequestBody.fromBytes(NpyCodec.write(new FloatMatrix(rows.size(), 512, data))));
        s3.putObject(b -> b.bucket(BUCKET).key(prefix + "labels.json"),
                RequestBody.fromBytes(JSON.writeValueAsBytes(rows.stream().map(SharedPhotos.Photo::person).toList())));
    }

    static String put(RecognizerHandler h, String key, byte[] body) throws Exception {
        s3.putObject(b -> b.bucket(BUCKET).key(key).contentType("image/jpeg"), RequestBody.fromBytes(body));
        h.handleRequest(RecognizerHandlerIntegrationTest.createdFor(s3, BUCKET, key), null);
        return key;
    }

    static String videoKey(String camera, VideoLabels.Row r, long offsetMillis) {
        return new FrameKey(camera, BASE + offsetMillis + r.millis(), r.index()).toKey();
    }

    /** Every frame item of a camera, by key. */
    static Map<String, Map<String, AttributeValue>> frames(String camera) {
        Map<String, Map<String, AttributeValue>> out = new TreeMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = ddb.query(b -> b.tableName(TABLE).keyConditionExpression("pk = :p").exclusiveStartKey(from)
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(ResultKeys.cameraPk(camera)))));
            page.items().forEach(i -> out.put(i.get("s3Key").s(), i));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    static CameraTracks state(String camera) {
        var item = ddb.getItem(b -> b.tableName(TABLE).key(Map.of(ResultKeys.PK, AttributeValue.fromS(ResultKeys.tracksPk(camera)),
                ResultKeys.SK, AttributeValue.fromS(ResultKeys.TRACKS_SK)))).item();
        return CameraTracks.decode(item.get("state").b().asByteArray());
    }

    /** Each frame's faces' tracks, as recorded on its item and resolved through the camera's renames and merges. */
    static Map<String, List<String>> tracksByFrame(String camera, long offsetMillis) {
        CameraTracks state = state(camera);
        Map<String, List<String>> out = new TreeMap<>();
        for (VideoLabels.Row r : video.rows()) {
            var item = frames(camera).get(videoKey(camera, r, offsetMillis));
            List<String> ids = new ArrayList<>();
            for (AttributeValue f : item.get("faces").l()) {
                ids.add(state.resolve(f.m().get("track").s()));
            }
            out.put(r.file(), ids);
        }
        return out;
    }

    /** The video as one camera's frames, in capture order, through one container; then a quiet frame ends its tracks. */
    static Map<String, List<String>> playVideo(String camera, String galleryPrefix) throws Exception {
        RecognizerHandler h = container(galleryPrefix, Map.of());
        for (VideoLabels.Row r : video.rows()) {
            put(h, videoKey(camera, r, 0), video.bytes(r));
        }
        Map<String, List<String>> tracks = tracksByFrame(camera, 0);
        put(h, new FrameKey(camera, BASE + 60_000, 999).toKey(), Files.readAllBytes(TestData.path("no-faces/skimage_rocket.jpg")));
        return tracks;
    }

    static List<JsonNode> deliveries(int atLeast) throws Exception {
        List<JsonNode> d = receiver.deliveries();
        for (int i = 0; i < 100 && d.size() < atLeast; i++) {
            Thread.sleep(50);
            d = receiver.deliveries();
        }
        return d;
    }

    /** The deliveries about any of {@code tracks}, their ids resolved through the camera's renames and merges. */
    static List<JsonNode> about(String camera, Set<String> tracks) throws Exception {
        CameraTracks state = state(camera);
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode d : deliveries(1)) {
            if (d.at("/body/camera_id").asText().equals(camera) && tracks.contains(state.resolve(d.at("/body/track/id").asText()))) {
                out.add(d);
            }
        }
        return out;
    }

    static Set<String> tracksOf(Map<String, List<String>> byFrame, Predicate<VideoLabels.Row> rows) {
        return video.rows().stream().filter(rows).flatMap(r -> byFrame.get(r.file()).stream()).collect(Collectors.toSet());
    }

    @Test
    void theWideShotSequenceIsAnnouncedOnceByNameNotAsAStranger() throws Exception {
        copyGallery("g-all/", p -> true);
        Map<String, List<String>> byFrame = playVideo("wide", "g-all/");
        List<VideoLabels.Row> wide = video.rows().stream().filter(r -> r.note().contains("wide shot")).toList();
        Set<String> who = wide.stream().map(VideoLabels.Row::identity).collect(Collectors.toSet());
        assertEquals(1, who.size(), "the labels name one person in the wide shot: " + who);
        String person = who.iterator().next();
        assertTrue(wide.stream().allMatch(r -> byFrame.get(r.file()).size() == 1), "a face in every wide-shot frame: " + byFrame);
        Set<String> track = tracksOf(byFrame, wide::contains);
        assertEquals(1, track.size(), "the wide shot is one track: " + track);

        List<JsonNode> d = about("wide", track);
        assertEquals(1, d.size(), "announced once: " + d);
        assertEquals(person, d.get(0).at("/body/result/name").asText());
        assertEquals("named", d.get(0).at("/body/track/decision").asText());
        assertTrue(d.get(0).get("verified").asBoolean());
        // and the person's later frames, closer to the camera, are the same track: nothing else about them
        Set<String> all = tracksOf(byFrame, r -> r.identity().equals(person));
        assertEquals(track, all, "the medium shot joined the wide shot's track");
    }

    @Test
    void aStrangersSequenceIsAnnouncedOnceAsUnknown() throws Exception {
        // the same person, not enrolled: now a stranger
        String stranger = video.rows().stream().filter(r -> r.note().contains("wide shot")).findFirst().orElseThrow().identity();
        copyGallery("g-without/", p -> !p.equals(stranger));
        Map<String, List<String>> byFrame = playVideo("stranger", "g-without/");
        Set<String> tracks = tracksOf(byFrame, r -> r.identity().equals(stranger));
        List<JsonNode> d = about("stranger", tracks);
        assertEquals(1, d.size(), "announced once: " + d);
        assertEquals("Desconocido", d.get(0).at("/body/result/name").asText());
        assertEquals("unknown", d.get(0).at("/body/track/decision").asText());
        // nobody in the clip is named as this person or as anyone: no stranger named
        for (JsonNode x : deliveries(1)) {
            if (x.at("/body/camera_id").asText().equals("stranger")) {
                assertFalse(x.at("/body/result/name").asText().equals(stranger), x.toString());
            }
        }
    }

    /** Two containers take one camera's frames in a shuffled order, at once; the tracks are those of the frames in order. */
    @Test
    void framesProcessedConcurrentlyAndOutOfOrderGiveTheSameTracksAsInOrder() throws Exception {
        copyGallery("g-all/", p -> true);
        // frames may come up to 15 s behind the newest: the whole 10 s clip may be shuffled
        Map<String, String> late = Map.of("TRACK_LATE_S", "15");
        RecognizerHandler one = container("g-all/", late);
        for (VideoLabels.Row r : video.rows()) {
            put(one, videoKey("in-order", r, 0), video.bytes(r));
        }
        Map<String, List<String>> inOrder = tracksByFrame("in-order", 0);

        List<VideoLabels.Row> shuffled = new ArrayList<>(video.rows());
        Collections.shuffle(shuffled, new Random(12));
        for (VideoLabels.Row r : shuffled) {
            s3.putObject(b -> b.bucket(BUCKET).key(videoKey("shuffled", r, 0)), RequestBody.fromBytes(video.bytes(r)));
        }
        ConcurrentLinkedQueue<VideoLabels.Row> queue = new ConcurrentLinkedQueue<>(shuffled);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            RecognizerHandler container = container("g-all/", late);
            workers.add(pool.submit(() -> {
                for (VideoLabels.Row r; (r = queue.poll()) != null; ) {
                    container.handleRequest(RecognizerHandlerIntegrationTest.createdFor(s3, BUCKET, videoKey("shuffled", r, 0)),
                            null);
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        Map<String, List<String>> outOfOrder = tracksByFrame("shuffled", 0);
        assertEquals(inOrder, outOfOrder);

        // and those tracks are the people of the labels: one person's frames one track, and every face
        // of a frame on a track of its own
        String lin = video.rows().get(0).identity();
        assertEquals(1, tracksOf(inOrder, r -> r.identity().equals(lin)).size());
        for (var ids : inOrder.values()) {
            assertEquals(ids.size(), Set.copyOf(ids).size(), "two faces of one frame on one track: " + ids);
        }
        Set<String> groupTracks = tracksOf(inOrder, r -> r.identity().startsWith("GROUP"));
        assertTrue(Collections.disjoint(groupTracks, tracksOf(inOrder, r -> r.identity().equals(lin))));
        System.out.println("video tracks (in order and shuffled): " + new LinkedHashMap<>(inOrder));
    }

    /** A container's DynamoDB calls, each as its operation and the partition it touches (a query: its key's value). */
    static final class DynamoCalls implements ExecutionInterceptor {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            SdkRequest r = context.request();
            String partition = switch (r) {
                case GetItemRequest g -> g.key().get(ResultKeys.PK).s();
                case PutItemRequest p -> p.item().get(ResultKeys.PK).s();
                case UpdateItemRequest u -> u.key().get(ResultKeys.PK).s();
                case DeleteItemRequest d -> d.key().get(ResultKeys.PK).s();
                case QueryRequest q -> {
                    var m = java.util.regex.Pattern.compile("^\\s*#?\\w+\\s*=\\s*(:\\w+)").matcher(q.keyConditionExpression());
                    yield m.find() ? q.expressionAttributeValues().get(m.group(1)).s() : q.keyConditionExpression();
                }
                default -> "-";
            };
            calls.add(r.getClass().getSimpleName().replace("Request", "") + " " + partition);
        }

        List<String> take() {
            synchronized (calls) {
                List<String> out = List.copyOf(calls);
                calls.clear();
                return out;
            }
        }
    }

    /**
     * Tracking costs a frame at most one read and one write of its camera's track state (a container
     * alone, so no conflicting writer makes it try again): the video frame by frame, then the quiet
     * frame that ends its tracks. The other calls are printed beside, for the record.
     */
    @Test
    void trackingCostsAFrameAtMostOneReadAndOneWriteOfItsCamerasTrackState() throws Exception {
        copyGallery("g-all/", p -> true);
        Map<String, String> env = env("g-all/", Map.of());
        var recorder = SdkCallRecorder.forTest(ProductRole.RECOGNIZER, TracksIntegrationTest.class, env);
        DynamoCalls counted = new DynamoCalls();
        RecognizerHandler h = new RecognizerHandler(Recognizer.create(RecognizerConfig.from(env), aws.s3Server().client(recorder),
                aws.dynalite().client(recorder, counted), arn -> {
                    throw new AssertionError("no Secrets Manager in this test");
                }, Clock.systemUTC()));
        String camera = "cost";
        String state = ResultKeys.tracksPk(camera);
        List<String> frameKeys = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (VideoLabels.Row r : video.rows()) {
            frameKeys.add(videoKey(camera, r, 0));
            bodies.add(video.bytes(r));
        }
        frameKeys.add(new FrameKey(camera, BASE + 60_000, 999).toKey());
        bodies.add(Files.readAllBytes(TestData.path("no-faces/skimage_rocket.jpg")));
        Map<String, Integer> all = new TreeMap<>();
        int frames = 0;
        int reads = 0;
        int writes = 0;
        counted.take();
        for (int i = 0; i < frameKeys.size(); i++) {
            put(h, frameKeys.get(i), bodies.get(i));
            List<String> calls = counted.take();
            long r = calls.stream().filter(c -> c.equals("GetItem " + state)).count();
            long w = calls.stream().filter(c -> c.endsWith(" " + state) && !c.startsWith("GetItem")).count();
            assertTrue(r <= 1 && w <= 1, "frame " + frameKeys.get(i) + " read its camera's track state " + r + " times and wrote it "
                    + w + " times: " + calls);
            reads += r;
            writes += w;
            frames++;
            calls.forEach(c -> all.merge(c.replaceFirst(" ([A-Z]+#?).*", " $1"), 1, Integer::sum));
        }
        assertTrue(reads > 0 && writes > 0, "no call on the track state was seen: " + all);
        System.out.println("DynamoDB calls over " + frames + " frames (the video, then a quiet frame): track state read "
                + reads + ", written " + writes + "; all calls by operation and partition: " + all);
    }

    @Test
    void anUnknownPersonSeenOnTwoCamerasIsOneClusterAndPromotingItEnrolsThem() throws Exception {
        String unknown = "deepface_id01";
        copyGallery("g-cl/", p -> !p.equals(unknown));
        List<SharedPhotos.Photo> theirs = photos.stream().filter(p -> p.person().equals(unknown)).toList();
        assertTrue(theirs.size() >= 4, "photos of " + unknown + ": " + theirs.size());
        RecognizerHandler h = container("g-cl/", Map.of());
        byte[] quiet = Files.readAllBytes(TestData.path("no-faces/skimage_rocket.jpg"));
        int half = theirs.size() / 2;
        long t0 = BASE + 5_000_000;
        for (int i = 0; i < half; i++) {
            put(h, new FrameKey("porch", t0 + i * 1000L, i).toKey(), Files.readAllBytes(theirs.get(i).path()));
        }
        put(h, new FrameKey("porch", t0 + 60_000, 100).toKey(), quiet);
        long t1 = t0 + Duration.ofDays(1).toMillis();
        for (int i = half; i < theirs.size(); i++) {
            put(h, new FrameKey("gate", t1 + i * 1000L, i).toKey(), Files.readAllBytes(theirs.get(i).path()));
        }
        put(h, new FrameKey("gate", t1 + 60_000, 100).toKey(), quiet);

        UnknownClusters clusters = new UnknownClusters(ddb, TABLE, Duration.ofDays(30), Clock.systemUTC());
        List<UnknownClusters.Cluster> withThem = clusters.list().stream()
                .filter(c -> c.samples().stream().anyMatch(s -> s.camera().equals("porch") || s.camera().equals("gate"))).toList();
        assertEquals(1, withThem.size(), "one cluster: " + withThem);
        UnknownClusters.Cluster c = withThem.get(0);
        assertEquals(Set.of("porch", "gate"), c.cameras());
        assertTrue(c.tracks() >= 2);
        for (UnknownClusters.Sample s : c.samples()) {
            assertTrue(s.crop().startsWith("unknown/" + s.camera() + "/"), s.toString());
            s3.headObject(b -> b.bucket(BUCKET).key(s.crop()));
        }
        List<JsonNode> d = deliveries(2);
        assertTrue(d.stream().filter(x -> List.of("porch", "gate").contains(x.at("/body/camera_id").asText()))
                .allMatch(x -> x.at("/body/result/name").asText().equals("Desconocido")), d.toString());

        // promoted with the command a user runs
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        int code = io.facerec.recognizer.cli.UnknownCommand.run(new String[] {"promote", "#" + c.number(), "Jane Roe"},
                env("g-cl/", Map.of()), new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().startsWith("unknown #" + c.number() + " enrolled as Jane Roe: "), out.toString());
        List<String> enrolled = s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("enroll/Jane Roe/")).contents().stream()
                .map(o -> o.key()).toList();
        assertEquals(c.samples().size(), enrolled.size(), enrolled.toString());
        assertEquals("Jane Roe", clusters.get(c.number()).orElseThrow().promotedTo());

        // S3 raises an event per copied photo: the recognizer enrols them
        for (String key : enrolled) {
            h.handleRequest(RecognizerHandlerIntegrationTest.createdFor(s3, BUCKET, key), null);
        }
        receiver.clear();
        long t2 = t1 + Duration.ofDays(1).toMillis();
        put(h, new FrameKey("porch", t2, 200).toKey(), Files.readAllBytes(theirs.get(0).path()));
        List<JsonNode> named = deliveries(1);
        assertEquals(1, named.size(), named.toString());
        assertEquals("Jane Roe", named.get(0).at("/body/result/name").asText());
    }

    @Test
    void promotingABadNameOrAMissingClusterIsRefusedAndWritesNothing() throws Exception {
        var err = new java.io.ByteArrayOutputStream();
        int code = io.facerec.recognizer.cli.UnknownCommand.run(new String[] {"promote", "9999", "Ana"},
                env("g-all/", Map.of()), new java.io.PrintStream(new java.io.ByteArrayOutputStream()), new java.io.PrintStream(err, true));
        assertEquals(2, code);
        assertEquals("unknown: there is no unknown #9999\n", err.toString());
        err.reset();
        code = io.facerec.recognizer.cli.UnknownCommand.run(new String[] {"promote", "1", "Desconocido"},
                env("g-all/", Map.of()), new java.io.PrintStream(new java.io.ByteArrayOutputStream()), new java.io.PrintStream(err, true));
        assertEquals(2, code);
        assertEquals("unknown: the name \"Desconocido\" is the name given to unknown faces\n", err.toString());
        err.reset();
        code = io.facerec.recognizer.cli.UnknownCommand.run(new String[] {"promote", "seven", "Ana"},
                env("g-all/", Map.of()), new java.io.PrintStream(new java.io.ByteArrayOutputStream()), new java.io.PrintStream(err, true));
        assertEquals(2, code);
        assertTrue(err.toString().startsWith("unknown: the cluster is a number"), err.toString());
        assertTrue(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("enroll/Ana/")).contents().isEmpty());
    }
}
