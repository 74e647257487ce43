package io.facerec.recognizer.config;

import io.facerec.model.config.SettingsReader;
import io.facerec.model.frame.FrameKey;
import io.facerec.model.match.Metric;
import io.facerec.model.webhook.WebhookSigner;
import io.facerec.recognizer.aws.AwsClients;
import io.facerec.recognizer.engine.EmbeddingModel;
import io.facerec.recognizer.engine.EngineConfig;
import io.facerec.recognizer.image.ImageDecoder;
import io.facerec.recognizer.track.TrackSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;

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
        Optional<String> webhookSigningKeyArn,
        Optional<String> webhookSigningKey,
        Duration webhookSecretTtl,
        Duration webhookCooldown,
        boolean webhookSendUnknown,
        Duration webhookTimeout,
        int webhookMaxAttempts,
        Map<String, String> appCameraIds,
        int resultTtlDays,
        Duration galleryRefresh,
        Optional<URI> s3Endpoint,
        Optional<URI> dynamoDbEndpoint,
        Optional<URI> secretsManagerEndpoint,
        AwsClients.Timeouts awsTimeouts,
        Optional<Path> modelsDir,
        long maxGalleryBytes,
        Duration controlRefresh,
        TrackSettings tracks,
        int unknownTtlDays) {

    public static final String DEFAULT_GALLERY_PREFIX = "gallery/";
    /** Per gallery object: about 130,000 rows of 512 float32 numbers. */
    public static final long DEFAULT_MAX_GALLERY_BYTES = 256L * 1024 * 1024;

    @Override
    public String toString() {
        // never print the secret
        return "RecognizerConfig[table=" + resultsTable + ", gallery=s3://" + galleryBucket + "/" + galleryPrefix
                + ", threshold=" + threshold + ", engine=" + engine + ", webhook=" + webhookUrl.map(u -> u.getHost()).orElse("none")
                + ", secret=" + (webhookSecretArn.isPresent() ? "from Secrets Manager" : webhookSecret.isPresent() ? "from env" : "none")
                + ", signingKey=" + (webhookSigningKeyArn.isPresent() ? "from Secrets Manager"
                        : webhookSigningKey.isPresent() ? "from env" : "none")
                + "]";
    }

    public static RecognizerConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static RecognizerConfig from(Map<String, String> env) {
        SettingsReader r = SettingsReader.of(env);
        String table = r.required("RESULTS_TABLE");
        String bucket = r.required("GALLERY_BUCKET");
        String prefix = r.string("GALLERY_PREFIX", DEFAULT_GALLERY_PREFIX);
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        Double threshold = r.optionalDecimal("THRESHOLD", -1, 1).orElse(null);
        double downscale = r.decimal("DOWNSCALE", EngineConfig.DEFAULT_DOWNSCALE, 0.01, 1);
        int minFace = r.integer("MIN_FACE_PX", EngineConfig.DEFAULT_MIN_FACE_PX, 0, 10_000);
        double minScore = r.decimal("MIN_DETECTION_SCORE", EngineConfig.DEFAULT_MIN_SCORE, 0.01, 0.99);
        double minQuality = r.decimal("MIN_FACE_QUALITY", EngineConfig.DEFAULT_MIN_QUALITY, 0, 100);
        boolean tiledPass = r.bool("TILED_DETECTION", false);
        long maxPixels = r.whole("MAX_PIXELS", ImageDecoder.DEFAULT_MAX_PIXELS, 1, Integer.MAX_VALUE);
        long maxBytes = r.whole("MAX_FRAME_BYTES", 10 * 1024 * 1024, 1, Integer.MAX_VALUE);
        Optional<URI> webhook = r.url("NEXTJS_WEBHOOK_URL");
        Optional<String> secretArn = r.optional("WEBHOOK_SECRET_ARN");
        Optional<String> secret = r.optional("FACIAL_RECOGNITION_WEBHOOK_SECRET");
        if (webhook.isPresent() && secretArn.isEmpty() && secret.isEmpty()) {
            r.problem("NEXTJS_WEBHOOK_URL is set but neither WEBHOOK_SECRET_ARN nor "
                    + "FACIAL_RECOGNITION_WEBHOOK_SECRET is: deliveries must carry the receiver's Bearer token");
        }
        Optional<String> signingKeyArn = r.optional("WEBHOOK_SIGNING_KEY_ARN");
        Optional<String> signingKey = r.optional("WEBHOOK_SIGNING_KEY");
        if (webhook.isPresent() && signingKeyArn.isEmpty() && signingKey.isEmpty()) {
            r.problem("NEXTJS_WEBHOOK_URL is set but neither WEBHOOK_SIGNING_KEY_ARN nor WEBHOOK_SIGNING_KEY is: "
                    + "deliveries must be signed with a key of their own");
        }
        if (signingKey.isPresent() && !WebhookSigner.isKey(signingKey.get())) {
            r.problem("WEBHOOK_SIGNING_KEY must be " + WebhookSigner.KEY_FORMAT);
        } else if (signingKey.isPresent() && signingKey.equals(secret)) {
            r.problem("WEBHOOK_SIGNING_KEY must differ from FACIAL_RECOGNITION_WEBHOOK_SECRET");
        }
        if (signingKeyArn.isPresent() && signingKeyArn.equals(secretArn)) {
            r.problem("WEBHOOK_SIGNING_KEY_ARN must name another secret than WEBHOOK_SECRET_ARN");
        }
        boolean allowHttp = r.bool("WEBHOOK_ALLOW_HTTP", false);
        if (webhook.isPresent() && webhook.get().getScheme().equalsIgnoreCase("http") && !allowHttp) {
            r.problem("NEXTJS_WEBHOOK_URL must be https: the Bearer token travels with every delivery "
                    + "(WEBHOOK_ALLOW_HTTP=true allows http, for a receiver on this machine)");
        }
        int secretTtl = r.integer("WEBHOOK_SECRET_TTL_S", 300, 1, 86_400);
        int cooldown = r.integer("WEBHOOK_COOLDOWN_S", 30, 0, 86_400);
        boolean sendUnknown = r.bool("WEBHOOK_SEND_UNKNOWN", true);
        int timeoutMs = r.integer("WEBHOOK_TIMEOUT_MS", 5000, 100, 60_000);
        int attempts = r.integer("WEBHOOK_MAX_ATTEMPTS", 5, 1, 20);
        // forwarder camera -> the app's own id of that Camera (a foreign key there): sent as camera_id
        Map<String, String> appCameras = r.pairs("APP_CAMERA_IDS");
        if (r.has("CAMERA_STREAM_URLS")) {
            LogManager.getLogger(RecognizerConfig.class).warn("CAMERA_STREAM_URLS is no longer read: each frame carries "
                    + "its camera's stream URL (the forwarder's stream-url metadata); APP_CAMERA_IDS names the app's own "
                    + "camera ids");
        }
        appCameras.forEach((camera, appId) -> {
            if (!FrameKey.CAMERA_ID.matcher(camera).matches()) {
                r.problem("APP_CAMERA_IDS: '" + camera + "' is not a forwarder camera id (1-64 letters, digits, '.', '-' "
                        + "or '_')");
            }
            if (appId.length() > 200 || appId.chars().anyMatch(Character::isISOControl)) {
                r.problem("APP_CAMERA_IDS: the app's id of camera '" + camera + "' must be at most 200 characters, "
                        + "without control characters");
            }
        });
        int ttlDays = r.integer("RESULT_TTL_DAYS", 30, 0, 3650);
        int refresh = r.integer("GALLERY_REFRESH_S", 30, 0, 86_400);
        Optional<URI> s3 = r.url("AWS_ENDPOINT_URL_S3").or(() -> r.url("AWS_ENDPOINT_URL"));
        Optional<URI> ddb = r.url("AWS_ENDPOINT_URL_DYNAMODB").or(() -> r.url("AWS_ENDPOINT_URL"));
        Optional<URI> secrets = r.url("AWS_ENDPOINT_URL_SECRETS_MANAGER").or(() -> r.url("AWS_ENDPOINT_URL"));
        int callMs = r.integer("AWS_CALL_TIMEOUT_MS", 12_000, 100, 900_000);
        int attemptMs = r.integer("AWS_ATTEMPT_TIMEOUT_MS", 5_000, 100, 900_000);
        if (attemptMs > callMs) {
            r.problem("AWS_ATTEMPT_TIMEOUT_MS (" + attemptMs + ") must not exceed AWS_CALL_TIMEOUT_MS (" + callMs + ")");
            attemptMs = callMs;
        }
        Optional<Path> models = r.optional("FACE_MODELS_DIR").map(Path::of);
        long maxGallery = r.whole("MAX_GALLERY_BYTES", DEFAULT_MAX_GALLERY_BYTES, 1, Integer.MAX_VALUE - 8);
        int controlRefresh = r.integer("CONTROL_REFRESH_S", 5, 0, 3600);
        TrackSettings tracks = TrackSettings.read(r);
        int unknownTtlDays = r.integer("UNKNOWN_TTL_DAYS", 30, 1, 3650);
        r.finish();
        EngineConfig engine = new EngineConfig(downscale, minFace, (float) minScore, (float) minQuality, maxPixels, tiledPass);
        return new RecognizerConfig(table, bucket, prefix, threshold, engine, maxBytes, webhook, secretArn, secret,
                signingKeyArn, signingKey, Duration.ofSeconds(secretTtl), Duration.ofSeconds(cooldown), sendUnknown,
                Duration.ofMillis(timeoutMs), attempts, appCameras, ttlDays, Duration.ofSeconds(refresh), s3, ddb, secrets,
                new AwsClients.Timeouts(Duration.ofMillis(callMs), Duration.ofMillis(attemptMs)), models, maxGallery,
                Duration.ofSeconds(controlRefresh), tracks, unknownTtlDays);
    }

    /** A threshold to match with, and why THRESHOLD was not it when it could not be. */
    public record Threshold(double value, Optional<String> problem) {
    }

    /**
     * The threshold to match a gallery of {@code model} with, in that model's metric (a cosine
     * similarity, or for dlib a Euclidean distance, as the old app's THRESHOLD was): THRESHOLD when
     * set, else the gallery's own, else the model's default. A THRESHOLD that cannot be a threshold
     * of the metric (a negative distance) is not used, and the problem says so.
     */
    public Threshold thresholdFor(EmbeddingModel model, Double galleryThreshold) {
        double fallback = galleryThreshold != null && fits(model.metric(), galleryThreshold) ? galleryThreshold
                : model.defaultThreshold();
        if (threshold == null) {
            return new Threshold(fallback, Optional.empty());
        }
        if (fits(model.metric(), threshold)) {
            return new Threshold(threshold, Optional.empty());
        }
        return new Threshold(fallback, Optional.of("THRESHOLD " + threshold + " is not a Euclidean distance (the "
                + "gallery holds dlib vectors, matched at a distance of 0 or more; the old app used 0.6): matching at "
                + fallback));
    }

    private static boolean fits(Metric metric, double t) {
        return metric == Metric.COSINE ? t >= -1 && t <= 1 : t >= 0;
    }
}
