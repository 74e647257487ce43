package io.facerec.forwarder.config;

import io.facerec.model.config.SettingsReader;
import io.facerec.model.frame.FrameKey;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The forwarder's settings: environment variables, over an optional {@code .env} file. Every value
 * is checked at start; an invalid one stops the start with all problems listed.
 * {@code .env.example} documents each variable and its default.
 */
public record ForwarderConfig(
        Map<String, URI> cameras,
        String bucket,
        Optional<URI> s3Endpoint,
        String region,
        double sampleFps,
        double motionThreshold,
        Duration keepAlive,
        double downscale,
        int jpegQuality,
        Path spoolDir,
        long spoolMaxBytes,
        Duration spoolMaxAge,
        int uploadConcurrency,
        Duration stallTimeout,
        Duration reconnectMax,
        int healthPort,
        Duration cameraDownAfter) {

    public static final String VERSION = "0.1.0";
    static final Set<String> SCHEMES = Set.of("http", "https", "rtsp", "file");

    /** Environment first, then the .env file (when present) for what the environment lacks. */
    public static ForwarderConfig load(Map<String, String> env, Path dotEnv) throws IOException {
        List<String> lines = dotEnv != null && Files.isRegularFile(dotEnv) ? Files.readAllLines(dotEnv) : List.of();
        return from(SettingsReader.overDotEnv(env, lines));
    }

    public static ForwarderConfig from(Map<String, String> env) throws IOException {
        SettingsReader r = SettingsReader.of(env);
        Map<String, URI> cameras = new LinkedHashMap<>();
        Optional<String> camerasFile = r.optional("CAMERAS_FILE");
        Optional<String> streamUrl = r.optional("STREAM_URL");
        if (camerasFile.isEmpty() && streamUrl.isEmpty()) {
            r.problem("STREAM_URL (one camera) or CAMERAS_FILE (several) is required");
        }
        streamUrl.ifPresent(u -> addCamera(cameras, r.string("CAMERA_ID", "cam1"), u, "STREAM_URL", r));
        if (camerasFile.isPresent()) {
            Path f = Path.of(camerasFile.get());
            if (!Files.isRegularFile(f)) {
                r.problem("CAMERAS_FILE " + f + " does not exist");
            } else {
                int n = 0;
                for (String line : Files.readAllLines(f)) {
                    n++;
                    String l = line.strip();
                    if (l.isEmpty() || l.startsWith("#")) {
                        continue;
                    }
                    String[] parts = l.split("\\s*[=\\s]\\s*", 2);
                    if (parts.length != 2) {
                        r.problem("CAMERAS_FILE line " + n + ": expected 'camera-id url'");
                        continue;
                    }
                    addCamera(cameras, parts[0], parts[1], "CAMERAS_FILE line " + n, r);
                }
            }
        }
        String bucket = r.required("S3_BUCKET");
        Optional<URI> endpoint = r.url("AWS_ENDPOINT_URL_S3");
        ForwarderConfig c = new ForwarderConfig(cameras, bucket, endpoint,
                r.string("AWS_REGION", "us-east-1"),
                r.decimal("SAMPLE_FPS", 1, 0.01, 30),
                r.decimal("MOTION_THRESHOLD", 0.02, 0, 1),
                Duration.ofSeconds(r.whole("KEEPALIVE_S", 60, 1, 86_400)),
                r.decimal("DOWNSCALE", 1.0, 0.1, 1),
                r.integer("JPEG_QUALITY", 85, 10, 100),
                Path.of(r.string("SPOOL_DIR", "spool")),
                r.whole("SPOOL_MAX_MB", 1024, 1, 1_000_000) * 1024 * 1024,
                Duration.ofHours(r.whole("SPOOL_MAX_AGE_H", 72, 1, 24 * 365)),
                r.integer("UPLOAD_CONCURRENCY", 4, 1, 64),
                Duration.ofSeconds(r.whole("STALL_TIMEOUT_S", 10, 1, 3600)),
                Duration.ofSeconds(r.whole("RECONNECT_MAX_S", 30, 1, 3600)),
                r.integer("HEALTH_PORT", 8080, 0, 65535),
                Duration.ofSeconds(r.whole("CAMERA_DOWN_AFTER_S", 120, 1, 86_400)));
        r.finish();
        return c;
    }

    private static void addCamera(Map<String, URI> cameras, String id, String url, String where, SettingsReader r) {
        if (!FrameKey.CAMERA_ID.matcher(id).matches()) {
            r.problem(where + ": camera id '" + id + "' must be 1-64 letters, digits, '.', '-' or '_'");
            return;
        }
        try {
            URI u = URI.create(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!SCHEMES.contains(scheme) || (!scheme.equals("file") && u.getHost() == null)) {
                throw new IllegalArgumentException();
            }
            if (cameras.put(id, u) != null) {
                r.problem(where + ": camera id '" + id + "' is used twice");
            }
        } catch (IllegalArgumentException e) {
            r.problem(where + ": '" + url + "' is not a stream URL (http://host:81/stream, rtsp://..., file:...)");
        }
    }
}
