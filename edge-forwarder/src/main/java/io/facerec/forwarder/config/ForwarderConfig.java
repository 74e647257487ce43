package io.facerec.forwarder.config;

import io.facerec.model.config.SettingsReader;
import io.facerec.model.frame.FrameKey;
import io.facerec.model.frame.FrameMetadata;
import java.io.IOException;
import java.net.InetAddress;
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
 * {@code .env.example} documents each variable and its default. Stream URLs and AWS keys are never
 * quoted in problems, and {@link #toString()} shows neither.
 */
public record ForwarderConfig(
        Map<String, StreamUrl> cameras,
        String bucket,
        Optional<URI> s3Endpoint,
        String region,
        AwsAccess aws,
        Duration s3CallTimeout,
        Duration s3AttemptTimeout,
        Duration s3DownAfter,
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
        Duration backoffResetAfter,
        int maxFrameBytes,
        long maxFramePixels,
        InetAddress healthBind,
        int healthPort,
        Duration cameraDownAfter,
        Duration controlPoll) {

    public static final String VERSION = "0.1.0";
    static final Set<String> SCHEMES = Set.of("http", "https", "rtsp", "file");

    /** Environment first, then the .env file (when present) for what the environment lacks. */
    public static ForwarderConfig load(Map<String, String> env, Path dotEnv) throws IOException {
        List<String> lines = dotEnv != null && Files.isRegularFile(dotEnv) ? Files.readAllLines(dotEnv) : List.of();
        return from(SettingsReader.overDotEnv(env, lines));
    }

    public static ForwarderConfig from(Map<String, String> env) throws IOException {
        SettingsReader r = SettingsReader.of(env);
        Map<String, StreamUrl> cameras = new LinkedHashMap<>();
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
        Optional<String> keyId = r.optional("AWS_ACCESS_KEY_ID");
        Optional<String> secret = r.optional("AWS_SECRET_ACCESS_KEY");
        if (keyId.isPresent() != secret.isPresent()) {
            r.problem(keyId.isPresent() ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
                    : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
        }
        AwsAccess aws = new AwsAccess(keyId, secret, r.optional("AWS_SESSION_TOKEN"), r.optional("AWS_PROFILE"),
                r.optional("AWS_SHARED_CREDENTIALS_FILE").map(Path::of), r.optional("AWS_CONFIG_FILE").map(Path::of));
        Duration callTimeout = Duration.ofSeconds(r.whole("S3_CALL_TIMEOUT_S", 60, 1, 3600));
        Duration attemptTimeout = Duration.ofSeconds(r.whole("S3_ATTEMPT_TIMEOUT_S", 20, 1, 3600));
        if (attemptTimeout.compareTo(callTimeout) > 0) {
            r.problem("S3_ATTEMPT_TIMEOUT_S must not be longer than S3_CALL_TIMEOUT_S");
        }
        InetAddress bind = bindAddress(r.string("HEALTH_BIND_ADDRESS", "0.0.0.0"), r);
        ForwarderConfig c = new ForwarderConfig(cameras, bucket, endpoint,
                r.optional("AWS_REGION").or(() -> r.optional("AWS_DEFAULT_REGION")).orElse("us-east-1"),
                aws, callTimeout, attemptTimeout,
                Duration.ofSeconds(r.whole("S3_DOWN_AFTER_S", 300, 1, 86_400)),
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
                Duration.ofSeconds(r.whole("RECONNECT_RESET_S", 30, 1, 86_400)),
                r.integer("MAX_FRAME_KB", 4096, 16, 262_144) * 1024,
                r.whole("MAX_FRAME_PIXELS", 3840L * 2160, 4096, 100_000_000),
                bind,
                r.integer("HEALTH_PORT", 8080, 0, 65535),
                Duration.ofSeconds(r.whole("CAMERA_DOWN_AFTER_S", 120, 1, 86_400)),
                Duration.ofSeconds(r.whole("CONTROL_POLL_S", 30, 0, 86_400)));
        r.finish();
        return c;
    }

    @Override
    public String toString() {
        return "ForwarderConfig[cameras=" + cameras + ", bucket=" + bucket + ", region=" + region + ", aws=" + aws
                + ", spoolDir=" + spoolDir + ", health=" + healthBind.getHostAddress() + ":" + healthPort + "]";
    }

    private static InetAddress bindAddress(String value, SettingsReader r) {
        try {
            return InetAddress.ofLiteral(value);
        } catch (IllegalArgumentException e) {
            r.problem("HEALTH_BIND_ADDRESS must be an IP address (0.0.0.0 for all, 127.0.0.1 for this machine only), got '"
                    + value + "'");
            return InetAddress.getLoopbackAddress();
        }
    }

    private static void addCamera(Map<String, StreamUrl> cameras, String id, String url, String where, SettingsReader r) {
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
            StreamUrl s = new StreamUrl(u);
            if (cameras.put(id, s) != null) {
                r.problem(where + ": camera id '" + id + "' is used twice");
            }
            if (!FrameMetadata.streamUrlFits(s.withoutCredentials())) {
                r.problem(where + ": the stream URL is too long to travel in S3 metadata (2 KB for all of it)");
            }
        } catch (IllegalArgumentException e) {
            // not quoted: the value may carry a password
            r.problem(where + " is not a stream URL (http://host:81/stream, rtsp://..., file:...)");
        }
    }
}
