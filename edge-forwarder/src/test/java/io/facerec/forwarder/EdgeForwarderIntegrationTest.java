package io.facerec.forwarder;

import io.facerec.model.config.ConfigException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.forwarder.config.ForwarderConfig;
import io.facerec.forwarder.config.StreamUrl;
import io.facerec.forwarder.ingest.CameraReader;
import io.facerec.forwarder.ingest.CameraStatus;
import io.facerec.forwarder.ops.ForwarderMetrics;
import io.facerec.forwarder.sampling.FrameSampler;
import io.facerec.forwarder.simulator.SimulatedCamera;
import io.facerec.loopback.S3Server;
import io.facerec.loopback.sdkcalls.ProductRole;
import io.facerec.loopback.sdkcalls.SdkCallRecorder;
import io.facerec.model.frame.FrameKey;
import io.facerec.model.frame.FrameMetadata;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The forwarder between a simulated ESP32-CAM and an S3-compatible server, both real, on loopback. */
class EdgeForwarderIntegrationTest {
    static final String BUCKET = "camera-frames";

    static ForwarderConfig config(String streamUrl, URI s3, Path spool, Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("STREAM_URL", streamUrl);
        env.put("CAMERA_ID", "door");
        env.put("S3_BUCKET", BUCKET);
        env.put("AWS_ENDPOINT_URL_S3", s3.toString());
        env.put("SPOOL_DIR", spool.toString());
        env.put("SAMPLE_FPS", "4");
        env.put("MOTION_THRESHOLD", "0");
        env.put("STALL_TIMEOUT_S", "2");
        env.put("RECONNECT_MAX_S", "2");
        env.put("HEALTH_PORT", "0");
        env.putAll(extra);
        return ForwarderConfig.from(env);
    }

    /** The forwarder's own client, recorded for the IAM contract; the test's client stays unrecorded. */
    static S3Client product(S3Server s3s) {
        return s3s.client(SdkCallRecorder.forTest(ProductRole.FORWARDER, EdgeForwarderIntegrationTest.class,
                Map.of("S3_BUCKET", BUCKET)));
    }

    static List<S3Object> frames(S3Client s3) {
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("frames/")).contents().stream().toList();
    }

    static void await(String what, long timeoutMillis, BooleanSupplier ok) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (!ok.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void framesArriveWithTheirKeysContentTypeAndMetadata(@TempDir Path tmp) throws Exception {
        List<byte[]> video = TestFrames.video();
        try (S3Server s3s = new S3Server(null); S3Client s3 = s3s.client();
             SimulatedCamera cam = new SimulatedCamera(video, 10, 0, "/stream")) {
            s3.createBucket(b -> b.bucket(BUCKET));
            // the URL as a user writes it for a board behind a password; S3 gets it without the secrets
            String url = "http://admin:pa55word@127.0.0.1:" + cam.port() + "/stream?token=t0ken&fps=5";
            String sent = "http://127.0.0.1:" + cam.port() + "/stream?fps=5";
            ForwarderConfig c = config(url, s3s.endpoint(), tmp.resolve("spool"), Map.of());
            try (EdgeForwarder f = new EdgeForwarder(c, product(s3s), Clock.systemUTC())) {
                await("4 frames in S3", 15_000, () -> frames(s3).size() >= 4);
                // like a real board, the camera serves one client: a second one is refused
                var second = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(cam.streamUrl())).build(),
                        HttpResponse.BodyHandlers.discarding());
                assertEquals(503, second.statusCode());
                assertEquals(1, cam.refusedClients());
            }
            for (S3Object o : frames(s3)) {
                FrameKey k = FrameKey.parse(o.key()).orElseThrow(() -> new AssertionError("not a frame key: " + o.key()));
                assertEquals("door", k.cameraId());
                var head = s3.headObject(b -> b.bucket(BUCKET).key(o.key()));
                assertEquals("image/jpeg", head.contentType());
                assertEquals("door", head.metadata().get("camera-id"));
                assertEquals(k.captureTime().toString(), head.metadata().get("capture-time"));
                assertEquals(Long.toString(k.sequence()), head.metadata().get("sequence"));
                assertEquals(ForwarderConfig.VERSION, head.metadata().get("forwarder-version"));
                assertEquals(sent, head.metadata().get("stream-url"));
                assertEquals(sent, FrameMetadata.from(head.metadata(), k).streamUrl(), "what the recognizer reads");
                byte[] body = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(o.key())).asByteArray();
                assertTrue(video.stream().anyMatch(v -> java.util.Arrays.equals(v, body)), "sent as the camera sent it");
            }
        }
    }

    @Test
    void recoversFromDropsTruncationCorruptionStallsAndReboots(@TempDir Path tmp) throws Exception {
        List<byte[]> video = TestFrames.video();
        try (S3Server s3s = new S3Server(null); S3Client s3 = s3s.client();
             SimulatedCamera cam = new SimulatedCamera(video, 10, 0, "/stream")) {
            s3.createBucket(b -> b.bucket(BUCKET));
            ForwarderConfig c = config(cam.streamUrl(), s3s.endpoint(), tmp.resolve("spool"),
                    Map.of("SAMPLE_FPS", "30"));
            try (EdgeForwarder f = new EdgeForwarder(c, product(s3s), Clock.systemUTC())) {
                ForwarderMetrics m = f.metrics();
                await("first frames", 10_000, () -> frames(s3).size() >= 2);
                for (Runnable trouble : List.<Runnable>of(cam::sendTruncatedFrame, cam::sendCorruptFrame,
                        cam::sendDamagedFrame, cam::dropConnectionMidFrame, () -> cam.stall(4000), () -> cam.reboot(1500))) {
                    // frames read by the forwarder, not objects in S3: the spool may still hold a backlog
                    double before = m.count("forwarder_frames_read", "door");
                    trouble.run();
                    await("frames after the trouble", 20_000, () -> m.count("forwarder_frames_read", "door") >= before + 3);
                }
                assertTrue(m.count("forwarder_reconnects", "door") >= 3, "reconnected after drop, stall and reboot");
                assertTrue(m.droppedCount("door", "corrupt") >= 3, "truncated, corrupt and damaged frames counted");
                assertTrue(cam.connections() >= 4);
            }
            for (S3Object o : frames(s3)) {
                byte[] body = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(o.key())).asByteArray();
                assertTrue(video.stream().anyMatch(v -> java.util.Arrays.equals(v, body)),
                        "no truncated or corrupt frame uploaded: " + o.key());
            }
        }
    }

    /** Keys of the puts S3 confirmed, in the order it confirmed them. */
    static final class ConfirmedPuts implements ExecutionInterceptor {
        final List<String> keys = new CopyOnWriteArrayList<>();

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutObjectRequest put) {
                keys.add(put.key());
            }
        }
    }

    /** The forwarder's client, recorded for the IAM contract and noting the puts S3 confirmed. */
    static S3Client product(S3Server s3s, ConfirmedPuts puts) {
        return s3s.client(puts, SdkCallRecorder.forTest(ProductRole.FORWARDER, EdgeForwarderIntegrationTest.class,
                Map.of("S3_BUCKET", BUCKET)));
    }

    /** The frames in the spool, as the keys they will be put under. */
    static List<String> spooledKeys(Path spool) throws Exception {
        List<String> keys = new ArrayList<>();
        try (var files = Files.walk(spool)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                var m = java.util.regex.Pattern.compile("(\\d+)-(\\d+)\\.jpg").matcher(f.getFileName().toString());
                if (m.matches()) {
                    keys.add(new FrameKey(f.getParent().getFileName().toString(), Long.parseLong(m.group(1)),
                            Long.parseLong(m.group(2))).toKey());
                }
            }
        }
        return keys;
    }

    @Test
    void s3OutageLosesNothingAndRestartResumesTheSpool(@TempDir Path tmp) throws Exception {
        Path store = Files.createDirectories(tmp.resolve("s3"));
        int port = io.facerec.loopback.NodeProcess.freePort();
        Path spool = tmp.resolve("spool");
        List<byte[]> video = TestFrames.video();
        ConfirmedPuts firstPuts = new ConfirmedPuts();
        ConfirmedPuts secondPuts = new ConfirmedPuts();
        EdgeForwarder first;
        ForwarderConfig c;
        try (SimulatedCamera cam = new SimulatedCamera(video, 10, 0, "/stream")) {
            S3Server s3s = new S3Server(store, port);
            S3Client s3 = s3s.client();
            s3.createBucket(b -> b.bucket(BUCKET));
            c = config(cam.streamUrl(), s3s.endpoint(), spool, Map.of());
            first = new EdgeForwarder(c, product(s3s, firstPuts), Clock.systemUTC());
            await("uploads", 10_000, () -> firstPuts.keys.size() >= 2);
            s3s.close(); // S3 goes away
            await("frames spooled during the outage", 15_000, () -> first.spool().depth() >= 6);
            first.close(); // and the forwarder restarts in the middle of it
        } // the camera is gone too: the second run only drains
        int sampled = (int) first.metrics().count("forwarder_frames_sampled", "door");
        assertEquals(0, first.metrics().droppedCount("door", "spool_write_failed") + first.metrics().droppedCount("door",
                "spool_evicted"), "no frame was meant to be lost");
        List<String> spooled = spooledKeys(spool);
        assertTrue(spooled.size() >= 6, "spooled " + spooled.size());
        // every sampled frame is either confirmed by S3 or waiting in the spool (a put whose answer was lost is both)
        java.util.SortedSet<String> expected = new java.util.TreeSet<>(firstPuts.keys);
        expected.addAll(spooled);
        assertEquals(sampled, expected.size(), "sampled frames accounted for");

        try (S3Server back = new S3Server(store, port); S3Client s3b = back.client();
             EdgeForwarder second = new EdgeForwarder(c, product(back, secondPuts), Clock.systemUTC())) {
            await("spool drained", 20_000, () -> second.spool().depth() == 0);
            second.close();
            List<S3Object> objects = frames(s3b);
            List<String> keys = objects.stream().map(S3Object::key).toList();
            // completeness and no duplicates: exactly the sampled frames, each under its own key and no other
            assertEquals(expected, new java.util.TreeSet<>(keys));
            assertEquals(sampled, keys.size(), "objects in S3");
            for (S3Object o : objects) {
                FrameKey k = FrameKey.parse(o.key()).orElseThrow();
                var meta = FrameMetadata.from(s3b.headObject(b -> b.bucket(BUCKET).key(o.key())).metadata(), k);
                assertEquals(k.captureTime(), meta.captureTime(), o.key());
                assertEquals(k.sequence(), meta.sequence(), o.key());
            }
            // order: S3 confirmed the frames in capture order, across the outage and the restart
            List<String> confirmed = new ArrayList<>(firstPuts.keys);
            confirmed.addAll(secondPuts.keys);
            for (int i = 1; i < confirmed.size(); i++) {
                FrameKey a = FrameKey.parse(confirmed.get(i - 1)).orElseThrow();
                FrameKey b = FrameKey.parse(confirmed.get(i)).orElseThrow();
                boolean later = b.captureMillis() > a.captureMillis()
                        || b.captureMillis() == a.captureMillis() && b.sequence() > a.sequence();
                assertTrue(later || a.equals(b), "put " + i + " " + b.toKey() + " after " + a.toKey());
            }
            assertEquals(0, second.spool().depth());
        }
    }

    @Test
    void spooledFramesAreUploadedOldestFirst(@TempDir Path tmp) throws Exception {
        Path store = Files.createDirectories(tmp.resolve("s3"));
        try (S3Server s3s = new S3Server(store); S3Client s3 = s3s.client()) {
            s3.createBucket(b -> b.bucket(BUCKET));
            Path spoolDir = tmp.resolve("spool");
            var spool = new io.facerec.forwarder.spool.FrameSpool(spoolDir, 1 << 24, Duration.ofHours(1),
                    Clock.systemUTC(), n -> { });
            byte[] jpeg = TestFrames.video().get(0);
            long t0 = System.currentTimeMillis();
            for (int i = 5; i >= 0; i--) {
                spool.put(new FrameKey("door", t0 + i * 100, i), jpeg);
            }
            List<String> order = new CopyOnWriteArrayList<>();
            S3Client uploads = product(s3s);
            S3Client recording = (S3Client) java.lang.reflect.Proxy.newProxyInstance(S3Client.class.getClassLoader(),
                    new Class<?>[] {S3Client.class}, (p, m, a) -> {
                        if (m.getName().equals("putObject") && a.length == 2
                                && a[0] instanceof java.util.function.Consumer<?> c) {
                            var b = software.amazon.awssdk.services.s3.model.PutObjectRequest.builder();
                            @SuppressWarnings("unchecked")
                            var cc = (java.util.function.Consumer<software.amazon.awssdk.services.s3.model.PutObjectRequest.Builder>) c;
                            cc.accept(b);
                            order.add(b.build().key());
                        }
                        try {
                            return m.invoke(uploads, a);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            var up = new io.facerec.forwarder.upload.FrameUploader("door", spool, recording, BUCKET,
                    new java.util.concurrent.Semaphore(2), new ForwarderMetrics(), Clock.systemUTC());
            Thread t = new Thread(up);
            t.start();
            await("drained", 10_000, () -> spool.depth() == 0);
            up.stop();
            t.join(2000);
            List<Long> times = order.stream().map(k -> FrameKey.parse(k).orElseThrow().captureMillis()).toList();
            assertEquals(times.stream().sorted().toList(), times, "capture order");
            assertEquals(6, order.size());
        }
    }

    @Test
    void wrongStreamUrlAndMissingBucketAreClearErrors(@TempDir Path tmp) throws Exception {
        try (S3Server s3s = new S3Server(null); S3Client s3 = s3s.client()) {
            var bad = assertThrows(ConfigException.class,
                    () -> config("htp://admin:s3cret@camera/stream", s3s.endpoint(), tmp, Map.of("SAMPLE_FPS", "fast")));
            assertEquals("invalid configuration:\n  STREAM_URL is not a stream URL "
                    + "(http://host:81/stream, rtsp://..., file:...)\n  SAMPLE_FPS must be a number, got 'fast'", bad.getMessage());
            var e = assertThrows(IllegalStateException.class, () -> new EdgeForwarder(
                    config("http://127.0.0.1:9/stream", s3s.endpoint(), tmp, Map.of()), product(s3s), Clock.systemUTC()));
            assertEquals("S3 bucket 'camera-frames' does not exist: check S3_BUCKET", e.getMessage());
        }
    }

    @Test
    void deadCameraShowsInHealthAsDownWith503(@TempDir Path tmp) throws Exception {
        int closed = io.facerec.loopback.NodeProcess.freePort();
        try (S3Server s3s = new S3Server(null); S3Client s3 = s3s.client()) {
            s3.createBucket(b -> b.bucket(BUCKET));
            ForwarderConfig c = config("http://127.0.0.1:" + closed + "/stream", s3s.endpoint(), tmp,
                    Map.of("CAMERA_DOWN_AFTER_S", "1"));
            try (EdgeForwarder f = new EdgeForwarder(c, product(s3s), Clock.systemUTC())) {
                HttpClient http = HttpClient.newHttpClient();
                URI health = URI.create("http://127.0.0.1:" + f.opsPort() + "/health");
                await("503", 10_000, () -> {
                    try {
                        return http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString())
                                .statusCode() == 503;
                    } catch (Exception ex) {
                        return false;
                    }
                });
                String body = http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(body.contains("\"camera\":\"door\",\"connected\":false"), body);
                assertTrue(body.contains("\"status\":\"camera down\""), body);
                String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.opsPort() + "/metrics"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(metrics.contains("forwarder_spool_bytes"), metrics);
            }
        }
    }

    @Test
    void recordedEsp32StreamIsReadByteForByte() throws Exception {
        Path dir = TestFrames.testdata().resolve("esp32-mjpeg");
        byte[] raw = Files.readAllBytes(dir.resolve("stream-raw-http-chunked.bin"));
        byte[] body = Files.readAllBytes(dir.resolve("stream-body-dechunked.bin"));
        List<byte[]> expected = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("stream-index.tsv")).subList(1, 6)) {
            String[] f = line.split("\t");
            int off = Integer.parseInt(f[4]);
            expected.add(java.util.Arrays.copyOfRange(body, off, off + Integer.parseInt(f[2])));
        }
        List<byte[]> got = readRecording(raw, expected.size());
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < got.size(); i++) {
            assertArrayEquals(expected.get(i), got.get(i), "frame " + i);
        }
    }

    @Test
    void legacyStreamWithoutTimestampsAndACutFrameYieldsOnlyWholeFrames() throws Exception {
        Path dir = TestFrames.testdata().resolve("esp32-mjpeg");
        byte[] legacyBody = Files.readAllBytes(dir.resolve("stream-body-legacy-no-timestamp-truncated.bin"));
        String head = "HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary=frame\r\n\r\n";
        byte[] raw = concat(head.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), legacyBody);
        List<byte[]> got = readRecording(raw, 10);
        long whole = got.stream().filter(FrameSampler::hasMarkers).count();
        assertEquals(2, whole, "two whole frames before the cut");
    }

    /** Serves the bytes verbatim on a socket once and collects what the reader passes on. */
    static List<byte[]> readRecording(byte[] raw, int max) throws Exception {
        List<byte[]> got = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0)) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    s.getInputStream().read(new byte[4096]);
                    out.write(raw);
                    out.flush();
                    Thread.sleep(300);
                } catch (Exception ignored) {
                    // done
                }
            });
            t.setDaemon(true);
            t.start();
            CameraStatus status = new CameraStatus("rec", 0);
            CameraReader reader = new CameraReader("rec",
                    new StreamUrl(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/stream")),
                    new CameraReader.Settings(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(30), 1 << 22),
                    (jpeg, at) -> got.add(jpeg), new ForwarderMetrics(), status, Clock.systemUTC());
            Thread rt = new Thread(reader);
            rt.setDaemon(true);
            rt.start();
            await("frames", 8_000, () -> got.size() >= max || (!status.connected() && !status.lastError().isEmpty()));
            reader.stop();
        }
        return got;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
