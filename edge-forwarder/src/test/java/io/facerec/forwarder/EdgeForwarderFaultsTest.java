package io.facerec.forwarder;

import static io.facerec.forwarder.EdgeForwarderIntegrationTest.BUCKET;
import static io.facerec.forwarder.EdgeForwarderIntegrationTest.await;
import static io.facerec.forwarder.EdgeForwarderIntegrationTest.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.forwarder.config.ForwarderConfig;
import io.facerec.forwarder.simulator.SimulatedCamera;
import io.facerec.loopback.NodeProcess;
import io.facerec.loopback.S3Server;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The forwarder when its parts fail: a silent camera, S3 away, a full spool, no credentials, a hung S3. */
class EdgeForwarderFaultsTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static HttpResponse<String> health(EdgeForwarder f) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.opsPort() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static boolean healthIs(EdgeForwarder f, int status, String text) {
        try {
            HttpResponse<String> r = health(f);
            return r.statusCode() == status && r.body().contains(text);
        } catch (Exception e) {
            return false;
        }
    }

    /** AWS settings for the loopback S3, as a user puts them in .env. */
    static Map<String, String> keys() {
        return Map.of("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
    }

    @Test
    void aConnectedCameraThatSendsNoFramesIsDown(@TempDir Path tmp) throws Exception {
        try (S3Server s3s = new S3Server(null); S3Client s3 = s3s.client();
             SimulatedCamera cam = new SimulatedCamera(TestFrames.video(), 10, 0, "/stream")) {
            s3.createBucket(b -> b.bucket(BUCKET));
            ForwarderConfig c = config(cam.streamUrl(), s3s.endpoint(), tmp.resolve("spool"),
                    Map.of("STALL_TIMEOUT_S", "120", "CAMERA_DOWN_AFTER_S", "1"));
            try (EdgeForwarder f = new EdgeForwarder(c, s3, Clock.systemUTC())) {
                await("frames", 10_000, () -> f.metrics().count("forwarder_frames_read", "door") >= 2);
                assertEquals(200, health(f).statusCode(), health(f).body());
                cam.stall(60_000); // the connection stays open, nothing comes
                await("503 while still connected", 15_000,
                        () -> healthIs(f, 503, "\"camera\":\"door\",\"connected\":true,\"down\":true"));
                assertTrue(health(f).body().contains("\"status\":\"camera down\""), health(f).body());
            }
        }
    }

    @Test
    void s3FailingPastItsLimitIs503WithTheSpoolsDepthAndAge(@TempDir Path tmp) throws Exception {
        try (SimulatedCamera cam = new SimulatedCamera(TestFrames.video(), 10, 0, "/stream")) {
            S3Server s3s = new S3Server(null);
            S3Client s3 = s3s.client();
            s3.createBucket(b -> b.bucket(BUCKET));
            ForwarderConfig c = config(cam.streamUrl(), s3s.endpoint(), tmp.resolve("spool"),
                    Map.of("S3_DOWN_AFTER_S", "1"));
            try (EdgeForwarder f = new EdgeForwarder(c, s3, Clock.systemUTC())) {
                await("uploads", 10_000, () -> f.metrics().count("forwarder_frames_uploaded", "door") >= 1);
                assertTrue(health(f).body().contains("\"s3\":{\"ok\":true"), health(f).body());
                s3s.close();
                await("503 for S3", 20_000, () -> healthIs(f, 503, "\"status\":\"s3 failing\""));
                String body = health(f).body();
                assertTrue(body.contains("\"s3\":{\"ok\":false,\"failingForSeconds\":"), body);
                assertTrue(body.contains("\"lastError\":\"unreachable"), body);
                assertTrue(body.matches(".*\"spoolFrames\":[1-9]\\d*,.*"), body);
                assertTrue(body.matches(".*\"spoolOldestAgeSeconds\":\\d+\\.\\d,.*"), body);
                assertTrue(body.matches(".*\"spoolDepth\":[1-9]\\d*,\"spoolOldestAgeSeconds\":\\d+\\.\\d,.*"), body);
            } finally {
                s3.close();
            }
        }
    }

    @Test
    void spoolEvictionsAreCountedUnderTheirCamera(@TempDir Path tmp) throws Exception {
        int closed = NodeProcess.freePort(); // S3 never answers: the spool fills to its 1 MB cap
        try (SimulatedCamera cam = new SimulatedCamera(TestFrames.video(), 25, 0, "/stream")) {
            Map<String, String> env = new HashMap<>(keys());
            env.putAll(Map.of("SPOOL_MAX_MB", "1", "SAMPLE_FPS", "30", "S3_CALL_TIMEOUT_S", "2", "S3_ATTEMPT_TIMEOUT_S", "1"));
            ForwarderConfig c = config(cam.streamUrl(), URI.create("http://127.0.0.1:" + closed), tmp.resolve("spool"), env);
            try (S3Client s3 = EdgeForwarder.s3Client(c); EdgeForwarder f = new EdgeForwarder(c, s3, Clock.systemUTC())) {
                await("evictions", 30_000, () -> f.metrics().droppedCount("door", "spool_evicted") >= 1);
                assertEquals(0, f.metrics().droppedCount("all", "spool_evicted"), "nothing under a camera called all");
                assertTrue(f.spool().bytes() <= 1024 * 1024);
            }
        }
    }

    @Test
    void anUploaderThatThrowsIsStartedAgain(@TempDir Path tmp) throws Exception {
        try (S3Server s3s = new S3Server(null); S3Client real = s3s.client();
             SimulatedCamera cam = new SimulatedCamera(TestFrames.video(), 10, 0, "/stream")) {
            real.createBucket(b -> b.bucket(BUCKET));
            AtomicInteger puts = new AtomicInteger();
            // the first put fails with something that is not an SDK exception, as a bug in our own code would
            S3Client flaky = (S3Client) java.lang.reflect.Proxy.newProxyInstance(S3Client.class.getClassLoader(),
                    new Class<?>[] {S3Client.class}, (proxy, m, a) -> {
                        if (m.getName().equals("putObject") && puts.getAndIncrement() == 0) {
                            throw new IllegalStateException("bug in the uploader");
                        }
                        try {
                            return m.invoke(real, a);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            ForwarderConfig c = config(cam.streamUrl(), s3s.endpoint(), tmp.resolve("spool"), Map.of());
            try (EdgeForwarder f = new EdgeForwarder(c, flaky, Clock.systemUTC())) {
                await("uploads after the failure", 20_000, () -> f.metrics().count("forwarder_frames_uploaded", "door") >= 3);
            }
        }
    }

    @Test
    void missingCredentialsAreNamedAsSuch(@TempDir Path tmp) throws Exception {
        Path empty = Files.writeString(tmp.resolve("credentials"), "");
        try (S3Server s3s = new S3Server(null)) {
            ForwarderConfig c = config("http://127.0.0.1:9/stream", s3s.endpoint(), tmp.resolve("spool"), Map.of(
                    "AWS_PROFILE", "edge", "AWS_SHARED_CREDENTIALS_FILE", empty.toString(),
                    "AWS_CONFIG_FILE", empty.toString()));
            try (S3Client s3 = EdgeForwarder.s3Client(c)) {
                var e = assertThrows(StartupException.class, () -> new EdgeForwarder(c, s3, Clock.systemUTC()));
                assertTrue(e.getMessage().startsWith("no AWS credentials (looked in AWS_PROFILE 'edge'): set "
                        + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE"), e.getMessage());
                assertEquals(2, e.exitStatus());
            }
        }
    }

    @Test
    void theHealthAddressIsASetting(@TempDir Path tmp) throws Exception {
        try (S3Server s3s = new S3Server(null); S3Client s3 = s3s.client()) {
            s3.createBucket(b -> b.bucket(BUCKET));
            ForwarderConfig c = config("http://127.0.0.1:9/stream", s3s.endpoint(), tmp.resolve("spool"),
                    Map.of("HEALTH_BIND_ADDRESS", "127.0.0.1"));
            try (EdgeForwarder f = new EdgeForwarder(c, s3, Clock.systemUTC())) {
                assertEquals(InetAddress.getByName("127.0.0.1"), f.opsAddress().getAddress());
            }
            ForwarderConfig all = config("http://127.0.0.1:9/stream", s3s.endpoint(), tmp.resolve("spool"), Map.of());
            try (EdgeForwarder f = new EdgeForwarder(all, s3, Clock.systemUTC())) {
                assertTrue(f.opsAddress().getAddress().isAnyLocalAddress(), "default: every interface, as before");
            }
        }
    }

    @Test
    void s3CallsGiveUpAtTheirTimeouts(@TempDir Path tmp) throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        Socket s = silent.accept(); // takes the request and never answers
                        attempts.incrementAndGet();
                        Thread r = new Thread(() -> {
                            try (s; InputStream in = s.getInputStream()) {
                                in.transferTo(java.io.OutputStream.nullOutputStream());
                            } catch (Exception ignored) {
                                // closed by the client
                            }
                        });
                        r.setDaemon(true);
                        r.start();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            Map<String, String> env = new HashMap<>(keys());
            env.putAll(Map.of("S3_CALL_TIMEOUT_S", "3", "S3_ATTEMPT_TIMEOUT_S", "1"));
            ForwarderConfig c = config("http://127.0.0.1:9/stream", URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                    tmp.resolve("spool"), env);
            try (S3Client s3 = EdgeForwarder.s3Client(c)) {
                SdkClientException e = assertThrows(SdkClientException.class, () -> s3.putObject(
                        b -> b.bucket(BUCKET).key("frames/x.jpg"), RequestBody.fromBytes(new byte[10])));
                assertTrue(e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException,
                        "gave up at the configured timeout, not the socket's: " + e);
                assertTrue(attempts.get() >= 1);
            }
        }
    }
}
