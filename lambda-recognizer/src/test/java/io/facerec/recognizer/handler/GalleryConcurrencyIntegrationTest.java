package io.facerec.recognizer.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import io.facerec.loopback.sdkcalls.ProductRole;
import io.facerec.loopback.sdkcalls.SdkCallRecorder;
import io.facerec.model.gallery.Gallery;
import io.facerec.model.gallery.GalleryLayout;
import io.facerec.model.result.ResultKeys;
import io.facerec.recognizer.config.RecognizerConfig;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.engine.FrameAnalysis;
import io.facerec.recognizer.gallery.S3GallerySource;
import io.facerec.recognizer.testing.HookedS3;
import io.facerec.recognizer.testing.LoopbackAws;
import io.facerec.recognizer.testing.MutableClock;
import io.facerec.recognizer.testing.TestData;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The gallery under concurrent enrolments, as Lambda runs them: several containers (a Recognizer
 * each, with its own S3 client and engine) in threads, one S3 event per uploaded photo, an
 * invocation that fails retryably tried again up to twice. S3Proxy and dynalite on loopback.
 */
class GalleryConcurrencyIntegrationTest {
    static final String BUCKET = "gallery-concurrency";
    static final String TABLE = "gallery-concurrency-results";
    static LoopbackAws aws;
    static S3Client s3;
    static DynamoDbClient ddb;
    static FaceEngine reference; // what each photo's row must hold

    @BeforeAll
    static void start() throws Exception {
        TestData.dir();
        aws = LoopbackAws.start(BUCKET, TABLE);
        s3 = aws.s3();
        ddb = aws.ddb();
        reference = FaceEngine.load(config("gallery/").engine(), null);
    }

    @AfterAll
    static void stop() throws Exception {
        LoopbackAws.closeAll(reference, aws);
    }

    static RecognizerConfig config(String prefix) {
        return RecognizerConfig.from(env(prefix));
    }

    static Map<String, String> env(String prefix) {
        Map<String, String> env = new HashMap<>();
        env.put("RESULTS_TABLE", TABLE);
        env.put("GALLERY_BUCKET", BUCKET);
        env.put("GALLERY_PREFIX", prefix);
        env.put("GALLERY_REFRESH_S", "0");
        aws.endpoints(env);
        return env;
    }

    /** The calls of the product's own clients are recorded for the IAM contract (cdk tests). */
    static SdkCallRecorder recorder(String prefix) {
        return SdkCallRecorder.forTest(ProductRole.RECOGNIZER, GalleryConcurrencyIntegrationTest.class, env(prefix));
    }

    /** A product client of the S3 server: what a container's S3Client is. */
    static S3Client productS3(String prefix) {
        return aws.s3Server().client(recorder(prefix));
    }

    /** One Lambda container: its own clients' view of S3 (hooked), engine and caches. */
    static RecognizerHandler container(String prefix, S3Client client, Clock clock) {
        return new RecognizerHandler(Recognizer.create(config(prefix), client, aws.dynalite().client(recorder(prefix)), arn -> {
            throw new AssertionError("no secret in this test");
        }, clock));
    }

    static Map<String, Object> invoke(RecognizerHandler h, String key, long size, long remainingMillis) throws Exception {
        return h.handleRequest(RecognizerHandlerIntegrationTest.createdFor(s3, BUCKET, key),
                remaining(remainingMillis));
    }

    static Context remaining(long millis) {
        return new Context() {
            public String getAwsRequestId() { return "test"; }
            public String getLogGroupName() { return "test"; }
            public String getLogStreamName() { return "test"; }
            public String getFunctionName() { return "recognizer"; }
            public String getFunctionVersion() { return "1"; }
            public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:recognizer"; }
            public CognitoIdentity getIdentity() { return null; }
            public ClientContext getClientContext() { return null; }
            public int getRemainingTimeInMillis() { return (int) millis; }
            public int getMemoryLimitInMB() { return 2048; }
            public LambdaLogger getLogger() { return null; }
        };
    }

    static byte[] photo(String rel) throws Exception {
        return Files.readAllBytes(TestData.path(rel));
    }

    /** Frames 19 to 38 of the video: one person, near-frontal, twenty different photos. */
    static List<byte[]> linFrames(int n) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (int i = 19; out.size() < n; i++) {
            out.add(photo(String.format("face_recognition/video/frames_5fps/frame_%03d.jpg", i)));
        }
        return out;
    }

    static List<byte[]> obamaPhotos() throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (String f : List.of("obama.jpg", "obama1.jpg", "obama2.jpg", "obama3.jpg", "obama-480p.jpg")) {
            out.add(photo("face_recognition/images/barack_obama/" + f));
        }
        return out;
    }

    static void put(String key, byte[] body) {
        s3.putObject(b -> b.bucket(BUCKET).key(key).contentType("image/jpeg"), RequestBody.fromBytes(body));
    }

    /** The gallery the recognizer matches against, as it reads it. */
    static Gallery gallery(String prefix) throws Exception {
        return read(prefix, reference.modelId(), reference.dimension());
    }

    /** The gallery as the recognizer reads it; anything it could not read, or nothing at all, throws. */
    static Gallery read(String prefix, String modelId, int dimension) throws Exception {
        GalleryLayout.Snapshot snap = new S3GallerySource(s3, BUCKET, prefix, 1 << 28).read();
        GalleryLayout.Combined c = snap.combine(modelId, dimension);
        if (c.gallery().isEmpty() || !snap.unreadable().isEmpty()) {
            throw new io.facerec.model.gallery.GalleryFormatException(String.join("; ", c.problems()));
        }
        return c.gallery().get();
    }

    /** The files under the prefix's commits/: what the gallery keeps besides the pointer. */
    static List<String> commitFiles(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix + GalleryLayout.COMMITS)).contents().stream()
                .map(o -> o.key().substring(prefix.length())).sorted().toList();
    }

    static final Map<String, float[]> embeddings = new java.util.concurrent.ConcurrentHashMap<>();

    static float[] embedding(byte[] photo) throws Exception {
        String id = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(photo));
        float[] known = embeddings.get(id);
        if (known != null) {
            return known;
        }
        FrameAnalysis a = reference.analyze(photo, "reference");
        assertEquals(1, a.faces().size(), "a usable photo holds one face");
        embeddings.put(id, a.faces().get(0).embedding());
        return a.faces().get(0).embedding();
    }

    /** Each photo is exactly one row of its person, and the person has no other row. */
    static void assertOneRowPerPhoto(Gallery g, Map<String, List<byte[]>> photos) throws Exception {
        for (var e : photos.entrySet()) {
            List<float[]> rows = new ArrayList<>();
            for (int r = 0; r < g.size(); r++) {
                if (g.labels().get(r).equals(e.getKey())) {
                    rows.add(g.embeddings().row(r));
                }
            }
            for (int i = 0; i < e.getValue().size(); i++) {
                float[] want = embedding(e.getValue().get(i));
                long n = rows.stream().filter(row -> maxDiff(row, want) < 1e-4).count();
                assertEquals(1, n, e.getKey() + " photo " + i + " is " + n + " rows of the gallery, not one");
            }
            assertEquals(e.getValue().size(), rows.size(), e.getKey() + ": one row per photo and no other");
        }
    }

    static float maxDiff(float[] a, float[] b) {
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    static Map<String, AttributeValue> enrolmentStatus(String name) {
        return ddb.getItem(b -> b.tableName(TABLE).key(Map.of(ResultKeys.PK, AttributeValue.fromS(ResultKeys.enrolmentPk(name)),
                ResultKeys.SK, AttributeValue.fromS("STATUS")))).item();
    }

    /** Events to a pool of containers, each retried up to twice when it fails retryably, as Lambda does. */
    static final class Lambda implements AutoCloseable {
        record Invocation(String key, long size, int attempt) {
        }

        final BlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
        final AtomicInteger outstanding = new AtomicInteger();
        final ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
        final ExecutorService pool;
        final AtomicBoolean stop = new AtomicBoolean();

        Lambda(List<RecognizerHandler> containers) {
            pool = Executors.newFixedThreadPool(containers.size());
            for (RecognizerHandler h : containers) {
                pool.submit(() -> {
                    while (!stop.get()) {
                        Invocation inv = queue.poll(100, TimeUnit.MILLISECONDS);
                        if (inv == null) {
                            continue;
                        }
                        try {
                            invoke(h, inv.key(), inv.size(), 30_000);
                        } catch (RecognizerHandler.RetryableFailureException e) {
                            if (inv.attempt() < 3) {
                                outstanding.incrementAndGet();
                                queue.add(new Invocation(inv.key(), inv.size(), inv.attempt() + 1));
                            } else {
                                failed.add(inv.key() + ": " + e.getMessage());
                            }
                        } catch (Throwable t) {
                            failed.add(inv.key() + ": " + t);
                        } finally {
                            outstanding.decrementAndGet();
                        }
                    }
                    return null;
                });
            }
        }

        void send(String key, long size) {
            outstanding.incrementAndGet();
            queue.add(new Invocation(key, size, 1));
        }

        void awaitIdle() throws InterruptedException {
            for (int i = 0; i < 6000 && outstanding.get() > 0; i++) {
                Thread.sleep(50);
            }
            assertEquals(0, outstanding.get(), "every invocation finished within five minutes");
        }

        @Override
        public void close() throws Exception {
            stop.set(true);
            pool.shutdown();
            pool.awaitTermination(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void concurrentEnrolmentKeepsEveryPhotoExactlyOnce() throws Exception {
        String prefix = "gallery-many/";
        List<byte[]> lin = linFrames(20);
        List<byte[]> obama = obamaPhotos();
        // a container that lists the folder early and is then held before it writes the gallery, while
        // the rest of the photos arrive and are enrolled by the others: a writer with an old listing
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean holding = new AtomicBoolean(true);
        RecognizerHandler stale = container(prefix, HookedS3.wrap(productS3(prefix), (op, req) -> {
            String key = HookedS3.key(req);
            if (op.equals("putObject") && key != null && key.startsWith(prefix) && holding.getAndSet(false)) {
                held.countDown();
                assertTrue(release.await(5, TimeUnit.MINUTES));
            }
        }), Clock.systemUTC());
        List<RecognizerHandler> containers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            containers.add(container(prefix, productS3(prefix), Clock.systemUTC()));
        }
        ExecutorService side = Executors.newSingleThreadExecutor();
        try (Lambda lambda = new Lambda(containers)) {
            for (int i = 0; i < 3; i++) {
                put("enroll/lin/" + i + ".jpg", lin.get(i));
            }
            lambda.send("enroll/lin/0.jpg", lin.get(0).length);
            lambda.send("enroll/lin/1.jpg", lin.get(1).length);
            Future<Object> staleRun = side.submit(() -> {
                for (int attempt = 1; ; attempt++) {
                    try {
                        return invoke(stale, "enroll/lin/2.jpg", lin.get(2).length, 30_000);
                    } catch (RecognizerHandler.RetryableFailureException e) {
                        if (attempt == 3) {
                            throw e;
                        }
                    }
                }
            });
            assertTrue(held.await(2, TimeUnit.MINUTES), "the stale container reached its gallery write");

            // the other 17 and 5 photos arrive at once, each with its event as it lands
            List<Map.Entry<String, byte[]>> uploads = new ArrayList<>();
            for (int i = 3; i < lin.size(); i++) {
                uploads.add(Map.entry("enroll/lin/" + i + ".jpg", lin.get(i)));
            }
            for (int i = 0; i < obama.size(); i++) {
                uploads.add(Map.entry("enroll/obama/" + i + ".jpg", obama.get(i)));
            }
            Collections.shuffle(uploads, new java.util.Random(11));
            ExecutorService uploaders = Executors.newFixedThreadPool(4);
            for (var u : uploads) {
                uploaders.submit(() -> {
                    put(u.getKey(), u.getValue());
                    lambda.send(u.getKey(), u.getValue().length);
                });
            }
            uploaders.shutdown();
            assertTrue(uploaders.awaitTermination(2, TimeUnit.MINUTES));
            lambda.awaitIdle();

            release.countDown();
            staleRun.get(5, TimeUnit.MINUTES);
            assertEquals(List.of(), List.copyOf(lambda.failed), "no invocation failed for good");
        } finally {
            release.countDown();
            side.shutdownNow();
        }

        Map<String, List<byte[]>> expected = new LinkedHashMap<>();
        expected.put("lin", lin);
        expected.put("obama", obama);
        Gallery g = gallery(prefix);
        assertEquals(25, g.size(), "25 usable photos, 25 rows: " + g.labels());
        assertOneRowPerPhoto(g, expected);
        assertEquals(4, commitFiles(prefix).size(), "one commit's files are kept, no more: " + commitFiles(prefix));
        assertEquals(20, enrolmentStatus("lin").get("photos").m().size(), "the status lists every photo");
        assertTrue(enrolmentStatus("lin").get("photos").m().values().stream().allMatch(v -> v.s().equals("enrolled")));
    }

    @Test
    void largeFolderStoppedAtTheDeadlineIsFinishedByTheRetryNotRedone() throws Exception {
        String prefix = "gallery-deadline/";
        List<byte[]> lin = linFrames(12);
        for (int i = 0; i < lin.size(); i++) {
            put("enroll/deadline/" + i + ".jpg", lin.get(i));
        }
        // each photo takes a second of this container's time; the invocation has six
        MutableClock clock = new MutableClock(System.currentTimeMillis());
        AtomicInteger fetched = new AtomicInteger();
        S3Client slow = HookedS3.wrap(productS3(prefix), (op, req) -> {
            String key = HookedS3.key(req);
            if (op.startsWith("getObject") && key != null && key.startsWith("enroll/")) {
                fetched.incrementAndGet();
                clock.advance(1000);
            }
        });
        RecognizerHandler h = container(prefix, slow, clock);
        String last = "enroll/deadline/" + (lin.size() - 1) + ".jpg";
        assertThrows(RecognizerHandler.RetryableFailureException.class,
                () -> invoke(h, last, lin.get(lin.size() - 1).length, Recognizer.SAFETY_MARGIN_MS + 6000),
                "stopped before the deadline, to be retried");
        int first = fetched.get();
        int kept = gallery(prefix).size();
        assertTrue(first > 0 && first < lin.size(), first + " photos embedded before the deadline");
        assertEquals(first, kept, "the work done before the deadline is kept");

        // Lambda's retry, in another container (nothing of the first one's memory), with time enough:
        // only the photos not done yet are fetched and embedded
        fetched.set(0);
        invoke(container(prefix, slow, clock), last, lin.get(lin.size() - 1).length, 600_000);
        assertEquals(lin.size() - first, fetched.get(), "the retry did not redo the first invocation's photos");
        assertOneRowPerPhoto(gallery(prefix), Map.of("deadline", lin));
    }

    /** Six people, one photo each, enrolled one after another. */
    static Map<String, byte[]> sixPeople() throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("p0", photo("face_recognition/images/barack_obama/obama.jpg"));
        out.put("p1", photo("face_recognition/images/joe_biden/biden.jpg"));
        out.put("p2", photo("face_recognition/images/rose_leslie/img1.jpg"));
        out.put("p3", photo("face_recognition/images/kit_harington/john1.jpeg"));
        out.put("p4", photo("face_recognition/images/alex_lacamoire/img1.jpg"));
        out.put("p5", photo("face_recognition/video/frames_5fps/frame_020.jpg"));
        return out;
    }

    /** The gallery now, or null while there is none; a read that fails is a failure of the test. */
    static Gallery galleryOrNone(String prefix) throws Exception {
        try {
            return gallery(prefix);
        } catch (io.facerec.model.gallery.GalleryFormatException e) {
            if (e.getMessage().contains("encodings.npy: missing (no gallery")) {
                return null;
            }
            throw e;
        }
    }

    /** A whole gallery of this test: the first k people in order, each with their photo's row. */
    static String mixIn(Gallery g, Map<String, byte[]> people, String prefix) throws Exception {
        if (g == null) {
            return null;
        }
        List<String> order = new ArrayList<>(people.keySet());
        List<String> want = order.subList(0, new java.util.TreeSet<>(g.labels()).size());
        if (!new java.util.TreeSet<>(g.labels()).equals(new java.util.TreeSet<>(want)) || g.size() != want.size()) {
            return "labels " + g.labels() + " are not the first people enrolled";
        }
        for (int r = 0; r < g.size(); r++) {
            if (maxDiff(g.embeddings().row(r), embedding(people.get(g.labels().get(r)))) >= 1e-4) {
                return "row " + r + " (" + g.labels().get(r) + ") holds another photo's vector";
            }
        }
        return null;
    }

    @Test
    void readersSeeTheOldGalleryOrTheNewOneNeverAMix() throws Exception {
        String prefix = "gallery-race/";
        Map<String, byte[]> people = sixPeople();
        for (byte[] p : people.values()) {
            embedding(p); // each is usable
        }
        // before each gallery write the writer waits for the reader to read once: the reader looks at
        // the gallery at every step of every write
        java.util.concurrent.Semaphore writing = new java.util.concurrent.Semaphore(0);
        java.util.concurrent.Semaphore looked = new java.util.concurrent.Semaphore(0);
        RecognizerHandler writer = container(prefix, HookedS3.wrap(productS3(prefix), (op, req) -> {
            String key = HookedS3.key(req);
            if (op.equals("putObject") && key != null && key.startsWith(prefix)) {
                writing.release();
                assertTrue(looked.tryAcquire(2, TimeUnit.MINUTES), "the reader looked");
            }
        }), Clock.systemUTC());
        AtomicBoolean done = new AtomicBoolean();
        List<String> mixes = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger reads = new AtomicInteger();
        ExecutorService side = Executors.newSingleThreadExecutor();
        Future<?> reader = side.submit(() -> {
            while (!done.get()) {
                boolean step = writing.tryAcquire(20, TimeUnit.MILLISECONDS);
                try {
                    String mix = mixIn(galleryOrNone(prefix), people, prefix);
                    if (mix != null) {
                        mixes.add(mix);
                    }
                } catch (Exception e) {
                    mixes.add(e.toString());
                } finally {
                    reads.incrementAndGet();
                    if (step) {
                        looked.release();
                    }
                }
            }
            return null;
        });
        try {
            for (var p : people.entrySet()) {
                String key = "enroll/" + p.getKey() + "/photo.jpg";
                put(key, p.getValue());
                invoke(writer, key, p.getValue().length, 60_000);
            }
        } finally {
            done.set(true);
            reader.get(1, TimeUnit.MINUTES);
            side.shutdownNow();
        }
        assertEquals(List.of(), mixes, "every read saw a whole gallery (" + reads.get() + " reads)");
        assertEquals(6, gallery(prefix).size());
    }

    /** What a container that dies mid-invocation (timeout, out of memory) looks like from inside. */
    static final class Killed extends Error {
        Killed() {
            super("container killed");
        }
    }

    @Test
    void writerKilledBetweenItsDataAndItsCommitLeavesTheGalleryWhole() throws Exception {
        String prefix = "gallery-killed/";
        Map<String, byte[]> people = sixPeople();
        RecognizerHandler healthy = container(prefix, productS3(prefix), Clock.systemUTC());
        put("enroll/k0/photo.jpg", people.get("p0"));
        invoke(healthy, "enroll/k0/photo.jpg", people.get("p0").length, 60_000);

        RecognizerHandler dying = container(prefix, HookedS3.wrap(productS3(prefix), (op, req) -> {
            if (op.equals("putObject") && (prefix + "gallery.json").equals(HookedS3.key(req))) {
                throw new Killed();
            }
        }), Clock.systemUTC());
        put("enroll/k1/photo.jpg", people.get("p1"));
        assertThrows(Killed.class, () -> invoke(dying, "enroll/k1/photo.jpg", people.get("p1").length, 60_000));

        Gallery after = gallery(prefix);
        assertEquals(List.of("k0"), after.labels(), "the gallery before the dead write, whole");
        assertOneRowPerPhoto(after, Map.of("k0", List.of(people.get("p0"))));

        Thread.sleep(1100); // S3 times objects to the second: what the dead writer left is now older than what comes
        invoke(healthy, "enroll/k1/photo.jpg", people.get("p1").length, 60_000); // Lambda's retry
        assertOneRowPerPhoto(gallery(prefix), Map.of("k0", List.of(people.get("p0")), "k1", List.of(people.get("p1"))));
        List<String> files = commitFiles(prefix);
        assertEquals(4, files.size(), "the dead writer's files and the replaced commit are gone: " + files);
        String folder = files.get(0).substring(0, files.get(0).indexOf('/', GalleryLayout.COMMITS.length()) + 1);
        assertEquals(List.of(folder + "encodings.npy", folder + "gallery.json", folder + "labels.json", folder + "sources.json"),
                files);
    }
}
