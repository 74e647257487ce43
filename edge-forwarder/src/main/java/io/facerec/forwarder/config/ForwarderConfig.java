package io.facerec.forwarder.config;

import io.facerec.model.frame.FrameKey;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
        Map<String, String> merged = new HashMap<>();
        if (dotEnv != null && Files.isRegularFile(dotEnv)) {
            merged.putAll(parseDotEnv(Files.readAllLines(dotEnv)));
        }
        merged.putAll(env);
        return from(merged);
    }

    static Map<String, String> parseDotEnv(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String v = line.substring(eq + 1).strip();
            if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                v = v.substring(1, v.length() - 1);
            }
            out.put(line.substring(0, eq).strip(), v);
        }
        return out;
    }

    public static ForwarderConfig from(Map<String, String> env) throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, URI> cameras = new LinkedHashMap<>();
        String camerasFile = env.get("CAMERAS_FILE");
        String streamUrl = env.get("STREAM_URL");
        if (blank(camerasFile) && blank(streamUrl)) {
            problems.add("STREAM_URL (one camera) or CAMERAS_FILE (several) is required");
        }
        if (!blank(streamUrl)) {
            addCamera(cameras, env.getOrDefault("CAMERA_ID", "cam1").strip(), streamUrl.strip(), "STREAM_URL", problems);
        }
        if (!blank(camerasFile)) {
            Path f = Path.of(camerasFile.strip());
            if (!Files.isRegularFile(f)) {
                problems.add("CAMERAS_FILE " + f + " does not exist");
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
                        problems.add("CAMERAS_FILE line " + n + ": expected 'camera-id url'");
                        continue;
                    }
                    addCamera(cameras, parts[0], parts[1], "CAMERAS_FILE line " + n, problems);
                }
            }
        }
        String bucket = env.getOrDefault("S3_BUCKET", "").strip();
        if (bucket.isEmpty()) {
            problems.add("S3_BUCKET is required");
        }
        Optional<URI> endpoint = Optional.empty();
        String ep = env.get("AWS_ENDPOINT_URL_S3");
        if (!blank(ep)) {
            try {
                URI u = URI.create(ep.strip());
                if (u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                    throw new IllegalArgumentException();
                }
                endpoint = Optional.of(u);
            } catch (IllegalArgumentException e) {
                problems.add("AWS_ENDPOINT_URL_S3 must be an http(s) URL");
            }
        }
        Num n = new Num(env, problems);
        ForwarderConfig c = new ForwarderConfig(cameras, bucket, endpoint,
                env.getOrDefault("AWS_REGION", "us-east-1").strip(),
                n.dbl("SAMPLE_FPS", 1, 0.01, 30),
                n.dbl("MOTION_THRESHOLD", 0.02, 0, 1),
                Duration.ofSeconds(n.lng("KEEPALIVE_S", 60, 1, 86_400)),
                n.dbl("DOWNSCALE", 1.0, 0.1, 1),
                (int) n.lng("JPEG_QUALITY", 85, 10, 100),
                Path.of(env.getOrDefault("SPOOL_DIR", "spool").strip()),
                n.lng("SPOOL_MAX_MB", 1024, 1, 1_000_000) * 1024 * 1024,
                Duration.ofHours(n.lng("SPOOL_MAX_AGE_H", 72, 1, 24 * 365)),
                (int) n.lng("UPLOAD_CONCURRENCY", 4, 1, 64),
                Duration.ofSeconds(n.lng("STALL_TIMEOUT_S", 10, 1, 3600)),
                Duration.ofSeconds(n.lng("RECONNECT_MAX_S", 30, 1, 3600)),
                (int) n.lng("HEALTH_PORT", 8080, 0, 65535),
                Duration.ofSeconds(n.lng("CAMERA_DOWN_AFTER_S", 120, 1, 86_400)));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return c;
    }

    private static void addCamera(Map<String, URI> cameras, String id, String url, String where, List<String> problems) {
        if (!FrameKey.CAMERA_ID.matcher(id).matches()) {
            problems.add(where + ": camera id '" + id + "' must be 1-64 letters, digits, '.', '-' or '_'");
            return;
        }
        try {
            URI u = URI.create(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!SCHEMES.contains(scheme) || (!scheme.equals("file") && u.getHost() == null)) {
                throw new IllegalArgumentException();
            }
            if (cameras.put(id, u) != null) {
                problems.add(where + ": camera id '" + id + "' is used twice");
            }
        } catch (IllegalArgumentException e) {
            problems.add(where + ": '" + url + "' is not a stream URL (http://host:81/stream, rtsp://..., file:...)");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private record Num(Map<String, String> env, List<String> problems) {
        double dbl(String key, double def, double min, double max) {
            String v = env.get(key);
            if (blank(v)) {
                return def;
            }
            try {
                double d = Double.parseDouble(v.strip());
                if (!(d >= min && d <= max)) {
                    problems.add(key + " must be between " + min + " and " + max + ", got " + v.strip());
                    return def;
                }
                return d;
            } catch (NumberFormatException e) {
                problems.add(key + " must be a number, got '" + v.strip() + "'");
                return def;
            }
        }

        long lng(String key, long def, long min, long max) {
            String v = env.get(key);
            if (blank(v)) {
                return def;
            }
            try {
                long l = Long.parseLong(v.strip());
                if (l < min || l > max) {
                    problems.add(key + " must be between " + min + " and " + max + ", got " + l);
                    return def;
                }
                return l;
            } catch (NumberFormatException e) {
                problems.add(key + " must be a whole number, got '" + v.strip() + "'");
                return def;
            }
        }
    }

    /** Every problem of the configuration, one per line. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(List<String> problems) {
            super("invalid configuration:\n  " + String.join("\n  ", problems));
        }
    }
}
