package io.facerec.forwarder.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.facerec.forwarder.ingest.CameraStatus;
import io.facerec.forwarder.spool.FrameSpool;
import io.facerec.forwarder.upload.S3Status;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * {@code GET /health}: per camera, connected, age of the last frame, spool depth and age; S3's state;
 * 503 when a camera has sent no frame for CAMERA_DOWN_AFTER_S (connected or not: a stream that
 * stays open and sends nothing is down too) or S3 has failed every put for S3_DOWN_AFTER_S.
 * {@code GET /metrics}: Prometheus text format.
 */
public final class OpsServer implements AutoCloseable {
    private final HttpServer server;

    /** What /health judges by. */
    public record HealthRules(Duration cameraDownAfter, Duration s3DownAfter) {
    }

    public OpsServer(InetAddress bind, int port, List<CameraStatus> cameras, FrameSpool spool, S3Status s3,
                     ForwarderMetrics metrics, HealthRules rules, Clock clock) throws IOException {
        server = HttpServer.create(new InetSocketAddress(bind, port), 0);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ops-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/health", ex -> {
            long now = clock.millis();
            StringBuilder json = new StringBuilder("{\"cameras\":[");
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < cameras.size(); i++) {
                CameraStatus c = cameras.get(i);
                boolean down = c.frameAgeMillis(now) > rules.cameraDownAfter().toMillis();
                if (down && problems.isEmpty()) {
                    problems.add("camera down");
                }
                json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"camera\":\"%s\",\"connected\":%s,\"down\":%s,\"lastFrameAgeSeconds\":%s,\"spoolDepth\":%d,"
                                + "\"spoolOldestAgeSeconds\":%s,\"lastError\":\"%s\"}",
                        c.cameraId(), c.connected(), down,
                        c.lastFrameMillis() == 0 ? "null" : seconds(now - c.lastFrameMillis()),
                        spool.depth(c.cameraId()), age(now, spool.oldestMillis(c.cameraId())), escape(c.lastError())));
            }
            Optional<Long> failingSince = s3.failingSince();
            boolean s3Down = failingSince.isPresent() && now - failingSince.get() > rules.s3DownAfter().toMillis();
            if (s3Down) {
                problems.add("s3 failing");
            }
            json.append("],\"s3\":{\"ok\":").append(failingSince.isEmpty())
                    .append(",\"failingForSeconds\":").append(age(now, failingSince))
                    .append(",\"lastError\":\"").append(escape(s3.lastError())).append("\"}")
                    .append(",\"spoolFrames\":").append(spool.depth())
                    .append(",\"spoolBytes\":").append(spool.bytes())
                    .append(",\"spoolOldestAgeSeconds\":").append(age(now, spool.oldestMillis()))
                    .append(",\"status\":\"").append(problems.isEmpty() ? "ok" : String.join(", ", problems)).append("\"}");
            send(ex, problems.isEmpty() ? 200 : 503, "application/json", json.toString());
        });
        server.createContext("/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        server.start();
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }

    private static String age(long now, Optional<Long> since) {
        return since.map(t -> seconds(Math.max(0, now - t))).orElse("null");
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "'").replaceAll("\\p{Cntrl}", " ");
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        try (var out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
