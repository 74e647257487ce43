package io.facerec.forwarder.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.facerec.forwarder.ingest.CameraStatus;
import io.facerec.forwarder.spool.FrameSpool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;

/**
 * {@code GET /health}: per camera, connected, age of the last frame, spool depth; 503 when a camera
 * has been down longer than CAMERA_DOWN_AFTER_S. {@code GET /metrics}: Prometheus text format.
 */
public final class OpsServer implements AutoCloseable {
    private final HttpServer server;

    public OpsServer(int port, List<CameraStatus> cameras, FrameSpool spool, ForwarderMetrics metrics,
                     Duration downAfter, Clock clock) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ops-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/health", ex -> {
            long now = clock.millis();
            StringBuilder json = new StringBuilder("{\"cameras\":[");
            boolean healthy = true;
            for (int i = 0; i < cameras.size(); i++) {
                CameraStatus c = cameras.get(i);
                boolean down = !c.connected() && now - c.downSinceMillis() > downAfter.toMillis();
                healthy &= !down;
                json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"camera\":\"%s\",\"connected\":%s,\"lastFrameAgeSeconds\":%s,\"spoolDepth\":%d,\"lastError\":\"%s\"}",
                        c.cameraId(), c.connected(),
                        c.lastFrameMillis() == 0 ? "null" : String.format(Locale.ROOT, "%.1f", (now - c.lastFrameMillis()) / 1000.0),
                        spool.depth(c.cameraId()), c.lastError().replace("\\", "\\\\").replace("\"", "'")));
            }
            json.append("],\"spoolBytes\":").append(spool.bytes()).append(",\"status\":\"")
                    .append(healthy ? "ok" : "camera down").append("\"}");
            send(ex, healthy ? 200 : 503, "application/json", json.toString());
        });
        server.createContext("/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        server.start();
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
