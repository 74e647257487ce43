package io.facerec.recognizer.config;

import io.facerec.recognizer.engine.EngineConfig;
import io.facerec.recognizer.engine.FaceModels;
import io.facerec.recognizer.image.ImageDecoder;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the recognizer, read from the environment once at init and validated: a bad
 * value stops the function at start with all the problems listed, not at the first frame.
 */
public record RecognizerConfig(
        String resultsTable,
        String galleryBucket,
        String galleryPrefix,
        Double threshold,
        EngineConfig engine,
        long maxFrameBytes,
        Optional<URI> webhookUrl,
        Optional<String> webhookSecretArn,
        Optional<String> webhookSecret,
        Duration webhookCooldown,
        boolean webhookSendUnknown,
        Duration webhookTimeout,
        int webhookMaxAttempts,
        Map<String, String> cameraStreamUrls,
        int resultTtlDays,
        Duration galleryRefresh,
        Optional<URI> s3Endpoint,
        Optional<URI> dynamoDbEndpoint,
        Optional<Path> modelsDir) {

    public static final String DEFAULT_GALLERY_PREFIX = "gallery/";

    @Override
    public String toString() {
        // never print the secret
        return "RecognizerConfig[table=" + resultsTable + ", gallery=s3://" + galleryBucket + "/" + galleryPrefix
                + ", threshold=" + threshold + ", engine=" + engine + ", webhook=" + webhookUrl.map(u -> u.getHost()).orElse("none")
                + ", secret=" + (webhookSecretArn.isPresent() ? "from Secrets Manager" : webhookSecret.isPresent() ? "from env" : "none")
                + "]";
    }

    public static RecognizerConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static RecognizerConfig from(Map<String, String> env) {
        Reader r = new Reader(env);
        String table = r.required("RESULTS_TABLE");
        String bucket = r.required("GALLERY_BUCKET");
        String prefix = r.string("GALLERY_PREFIX", DEFAULT_GALLERY_PREFIX);
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        Double threshold = r.has("THRESHOLD") ? r.decimal("THRESHOLD", 0.5, -1, 1) : null;
        double downscale = r.decimal("DOWNSCALE", EngineConfig.DEFAULT_DOWNSCALE, 0.01, 1);
        int minFace = r.integer("MIN_FACE_PX", EngineConfig.DEFAULT_MIN_FACE_PX, 0, 10_000);
        double minScore = r.decimal("MIN_DETECTION_SCORE", EngineConfig.DEFAULT_MIN_SCORE, 0.01, 0.99);
        double minQuality = r.decimal("MIN_FACE_QUALITY", EngineConfig.DEFAULT_MIN_QUALITY, 0, 100);
        long maxPixels = r.integer("MAX_PIXELS", (int) ImageDecoder.DEFAULT_MAX_PIXELS, 1, Integer.MAX_VALUE);
        long maxBytes = r.integer("MAX_FRAME_BYTES", 10 * 1024 * 1024, 1, Integer.MAX_VALUE);
        Optional<URI> webhook = r.url("NEXTJS_WEBHOOK_URL");
        Optional<String> secretArn = r.optional("WEBHOOK_SECRET_ARN");
        Optional<String> secret = r.optional("FACIAL_RECOGNITION_WEBHOOK_SECRET");
        if (webhook.isPresent() && secretArn.isEmpty() && secret.isEmpty()) {
            r.problems.add("NEXTJS_WEBHOOK_URL is set but neither WEBHOOK_SECRET_ARN nor "
                    + "FACIAL_RECOGNITION_WEBHOOK_SECRET is: deliveries must be signed");
        }
        int cooldown = r.integer("WEBHOOK_COOLDOWN_S", 30, 0, 86_400);
        boolean sendUnknown = r.bool("WEBHOOK_SEND_UNKNOWN", true);
        int timeoutMs = r.integer("WEBHOOK_TIMEOUT_MS", 5000, 100, 60_000);
        int attempts = r.integer("WEBHOOK_MAX_ATTEMPTS", 5, 1, 20);
        Map<String, String> streams = r.cameraStreams("CAMERA_STREAM_URLS");
        int ttlDays = r.integer("RESULT_TTL_DAYS", 30, 0, 3650);
        int refresh = r.integer("GALLERY_REFRESH_S", 30, 0, 86_400);
        Optional<URI> s3 = r.url("AWS_ENDPOINT_URL_S3").or(() -> r.url("AWS_ENDPOINT_URL"));
        Optional<URI> ddb = r.url("AWS_ENDPOINT_URL_DYNAMODB").or(() -> r.url("AWS_ENDPOINT_URL"));
        Optional<Path> models = r.optional("FACE_MODELS_DIR").map(Path::of);
        if (!r.problems.isEmpty()) {
            throw new ConfigException(r.problems);
        }
        EngineConfig engine = new EngineConfig(downscale, minFace, (float) minScore, (float) minQuality, maxPixels);
        return new RecognizerConfig(table, bucket, prefix, threshold, engine, maxBytes, webhook, secretArn, secret,
                Duration.ofSeconds(cooldown), sendUnknown, Duration.ofMillis(timeoutMs), attempts, streams, ttlDays,
                Duration.ofSeconds(refresh), s3, ddb, models);
    }

    /** The threshold to match with: THRESHOLD when set, else the gallery's own, else the model default. */
    public double thresholdFor(Double galleryThreshold) {
        return threshold != null ? threshold : galleryThreshold != null ? galleryThreshold : FaceModels.DEFAULT_THRESHOLD;
    }

    private static final class Reader {
        final Map<String, String> env;
        final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> env) {
            this.env = env;
        }

        boolean has(String name) {
            String v = env.get(name);
            return v != null && !v.isBlank();
        }

        Optional<String> optional(String name) {
            return has(name) ? Optional.of(env.get(name).strip()) : Optional.empty();
        }

        String string(String name, String def) {
            return optional(name).orElse(def);
        }

        String required(String name) {
            if (!has(name)) {
                problems.add(name + " is required");
                return "";
            }
            return env.get(name).strip();
        }

        double decimal(String name, double def, double min, double max) {
            if (!has(name)) {
                return def;
            }
            try {
                double v = Double.parseDouble(env.get(name).strip());
                if (!(v >= min && v <= max)) {
                    problems.add(name + " must be between " + min + " and " + max + ", got " + env.get(name).strip());
                    return def;
                }
                return v;
            } catch (NumberFormatException e) {
                problems.add(name + " must be a number, got '" + env.get(name).strip() + "'");
                return def;
            }
        }

        int integer(String name, int def, int min, int max) {
            if (!has(name)) {
                return def;
            }
            try {
                int v = Integer.parseInt(env.get(name).strip());
                if (v < min || v > max) {
                    problems.add(name + " must be between " + min + " and " + max + ", got " + v);
                    return def;
                }
                return v;
            } catch (NumberFormatException e) {
                problems.add(name + " must be a whole number, got '" + env.get(name).strip() + "'");
                return def;
            }
        }

        boolean bool(String name, boolean def) {
            if (!has(name)) {
                return def;
            }
            return switch (env.get(name).strip().toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes" -> true;
                case "false", "0", "no" -> false;
                default -> {
                    problems.add(name + " must be true or false, got '" + env.get(name).strip() + "'");
                    yield def;
                }
            };
        }

        Optional<URI> url(String name) {
            if (!has(name)) {
                return Optional.empty();
            }
            String v = env.get(name).strip();
            try {
                URI u = URI.create(v);
                if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                    throw new IllegalArgumentException();
                }
                return Optional.of(u);
            } catch (IllegalArgumentException e) {
                // the URL may carry a token: name the variable, not the value
                problems.add(name + " must be an http(s) URL with a host");
                return Optional.empty();
            }
        }

        /** {@code cam1=http://...,cam2=http://...} */
        Map<String, String> cameraStreams(String name) {
            Map<String, String> m = new LinkedHashMap<>();
            if (!has(name)) {
                return m;
            }
            for (String part : env.get(name).split(",")) {
                String p = part.strip();
                if (p.isEmpty()) {
                    continue;
                }
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    problems.add(name + " must be camera=url pairs separated by commas");
                    return m;
                }
                m.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
            }
            return m;
        }
    }
}
