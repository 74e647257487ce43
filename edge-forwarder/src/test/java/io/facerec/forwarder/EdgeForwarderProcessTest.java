package io.facerec.forwarder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.forwarder.simulator.SimulatedCamera;
import io.facerec.loopback.NodeProcess;
import io.facerec.loopback.S3Server;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The forwarder as its own process, as an operator meets it: what it prints, and what it never prints. */
class EdgeForwarderProcessTest {
    record Run(int exit, String stdout, String stderr) {
    }

    static ProcessBuilder forwarder(Map<String, String> settings, Path dir) throws Exception {
        Path classes = Path.of(EdgeForwarder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "--enable-native-access=ALL-UNNAMED",
                // the production logging (stdout), not the tests'
                "-Dlog4j2.configurationFile=" + classes.resolve("log4j2.xml"),
                "-cp", System.getProperty("java.class.path"), EdgeForwarder.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        pb.environment().put("FORWARDER_ENV_FILE", dir.resolve("absent.env").toString());
        pb.environment().putAll(settings);
        return pb;
    }

    static Run run(Map<String, String> settings, Path dir) throws Exception {
        Process p = forwarder(settings, dir).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the forwarder should have stopped");
        return new Run(p.exitValue(), Files.readString(dir.resolve("stdout")), Files.readString(dir.resolve("stderr")));
    }

    static Map<String, String> settings(S3Server s3s, Path spool) {
        Map<String, String> env = new HashMap<>();
        env.put("STREAM_URL", "http://127.0.0.1:9/stream");
        env.put("CAMERA_ID", "door");
        env.put("S3_BUCKET", EdgeForwarderIntegrationTest.BUCKET);
        env.put("AWS_ENDPOINT_URL_S3", s3s.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
        env.put("SPOOL_DIR", spool.toString());
        env.put("HEALTH_PORT", "0");
        return env;
    }

    static void assertOneLine(Run r, int exit, String line) {
        assertEquals(exit, r.exit(), r.stderr());
        assertEquals(line + "\n", r.stderr());
        assertFalse(r.stdout().contains("\tat "), "no stack trace: " + r.stdout());
    }

    @Test
    void aBusyPortIsOneLine(@TempDir Path tmp) throws Exception {
        try (S3Server s3s = new S3Server(null); S3Client s3 = s3s.client(); ServerSocket busy = new ServerSocket(0)) {
            s3.createBucket(b -> b.bucket(EdgeForwarderIntegrationTest.BUCKET));
            Map<String, String> env = settings(s3s, tmp.resolve("spool"));
            env.put("HEALTH_PORT", Integer.toString(busy.getLocalPort()));
            assertOneLine(run(env, tmp), 1, "edge-forwarder: HEALTH_PORT " + busy.getLocalPort()
                    + " on 0.0.0.0 cannot be used: Address already in use");
        }
    }

    @Test
    void anUnusableSpoolIsOneLine(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a folder");
        try (S3Server s3s = new S3Server(null); S3Client s3 = s3s.client()) {
            s3.createBucket(b -> b.bucket(EdgeForwarderIntegrationTest.BUCKET));
            Run r = run(settings(s3s, file.resolve("spool")), tmp);
            assertOneLine(r, 2, "edge-forwarder: SPOOL_DIR " + file.resolve("spool") + " cannot be used: Not a directory");
        }
    }

    @Test
    void streamCredentialsAppearInNoOutput(@TempDir Path tmp) throws Exception {
        List<String> secrets = List.of("pa55word", "t0ken");
        try (S3Server s3s = new S3Server(null); S3Client s3 = s3s.client();
             SimulatedCamera cam = new SimulatedCamera(TestFrames.video(), 10, 0, "/stream")) {
            s3.createBucket(b -> b.bucket(EdgeForwarderIntegrationTest.BUCKET));
            // a bad URL: the configuration error names the setting, not the value
            Map<String, String> bad = settings(s3s, tmp.resolve("spool"));
            bad.put("STREAM_URL", "htp://admin:pa55word@127.0.0.1:" + cam.port() + "/stream?token=t0ken");
            Path badDir = Files.createDirectories(tmp.resolve("bad"));
            Run refused = run(bad, badDir);
            assertEquals(2, refused.exit(), refused.stderr());
            assertTrue(refused.stderr().contains("STREAM_URL is not a stream URL"), refused.stderr());

            Map<String, String> env = settings(s3s, tmp.resolve("spool"));
            env.put("STREAM_URL", "http://admin:pa55word@127.0.0.1:" + cam.port() + "/stream?token=t0ken");
            env.put("HEALTH_PORT", Integer.toString(NodeProcess.freePort()));
            env.put("SAMPLE_FPS", "5");
            env.put("MOTION_THRESHOLD", "0");
            env.put("STALL_TIMEOUT_S", "2");
            env.put("RECONNECT_MAX_S", "2");
            env.put("LOG_LEVEL", "DEBUG");
            Process p = forwarder(env, tmp).start();
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + env.get("HEALTH_PORT");
            List<String> seen = new ArrayList<>();
            try {
                EdgeForwarderIntegrationTest.await("frames in S3", 30_000, () -> EdgeForwarderIntegrationTest.frames(s3).size() >= 3);
                cam.dropConnectionMidFrame();
                cam.sendDamagedFrame();
                EdgeForwarderIntegrationTest.await("a reconnect", 20_000, () -> cam.connections() >= 2);
                for (String path : List.of("/health", "/metrics")) {
                    seen.add(http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                            HttpResponse.BodyHandlers.ofString()).body());
                }
            } finally {
                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            }
            seen.add(Files.readString(tmp.resolve("stdout"), StandardCharsets.UTF_8));
            seen.add(Files.readString(tmp.resolve("stderr"), StandardCharsets.UTF_8));
            seen.add(refused.stdout() + refused.stderr());
            List<S3Object> objects = EdgeForwarderIntegrationTest.frames(s3);
            for (S3Object o : objects) {
                var meta = s3.headObject(b -> b.bucket(EdgeForwarderIntegrationTest.BUCKET).key(o.key())).metadata();
                assertEquals("http://127.0.0.1:" + cam.port() + "/stream", meta.get("stream-url"));
                seen.add(meta.toString());
            }
            assertTrue(seen.get(2).contains("camera door: connected to http://127.0.0.1:" + cam.port() + "/stream"),
                    "the log names the camera's address: " + seen.get(2));
            for (String text : seen) {
                for (String secret : secrets) {
                    assertFalse(text.contains(secret), "'" + secret + "' in: " + text);
                }
            }
        }
    }
}
