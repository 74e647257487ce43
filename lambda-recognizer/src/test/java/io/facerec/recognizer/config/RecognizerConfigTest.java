package io.facerec.recognizer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.model.config.ConfigException;
import io.facerec.recognizer.engine.EmbeddingModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecognizerConfigTest {
    static Map<String, String> base() {
        Map<String, String> env = new HashMap<>();
        env.put("RESULTS_TABLE", "t");
        env.put("GALLERY_BUCKET", "b");
        return env;
    }

    @Test
    void defaults() {
        RecognizerConfig c = RecognizerConfig.from(base());
        assertEquals("gallery/", c.galleryPrefix());
        assertEquals(io.facerec.recognizer.engine.FaceModels.DEFAULT_THRESHOLD, c.thresholdFor(EmbeddingModel.DEFAULT, null).value());
        assertEquals(0.6, c.thresholdFor(EmbeddingModel.DLIB, null).value(), "dlib's distance, as the old app's");
        assertEquals(0.42, c.thresholdFor(EmbeddingModel.DEFAULT, 0.42).value(),
                "the gallery's own threshold when THRESHOLD is unset");
        assertEquals(30, c.webhookCooldown().toSeconds());
        assertTrue(c.webhookUrl().isEmpty());
        assertEquals(1.0, c.engine().downscale());
    }

    @Test
    void everyProblemIsListedAtOnce() {
        Map<String, String> env = new HashMap<>();
        env.put("THRESHOLD", "0.6x");
        env.put("DOWNSCALE", "2");
        env.put("WEBHOOK_SEND_UNKNOWN", "maybe");
        env.put("NEXTJS_WEBHOOK_URL", "ftp://host/x?token=abc123");
        var e = assertThrows(ConfigException.class, () -> RecognizerConfig.from(env));
        assertEquals(List.of("RESULTS_TABLE is required", "GALLERY_BUCKET is required",
                "THRESHOLD must be a number, got '0.6x'", "DOWNSCALE must be between 0.01 and 1.0, got 2",
                "NEXTJS_WEBHOOK_URL must be an http(s) URL with a host",
                "WEBHOOK_SEND_UNKNOWN must be true or false, got 'maybe'"), e.problems());
        assertFalse(e.getMessage().contains("abc123"), "a URL's token is not echoed");
    }

    static final String SIGNING_KEY = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void webhookWithoutSecretIsRefusedAndSecretIsNeverPrinted() {
        Map<String, String> env = base();
        env.put("NEXTJS_WEBHOOK_URL", "https://app.example.com/api/facial-recognition/webhook");
        assertThrows(ConfigException.class, () -> RecognizerConfig.from(env));
        env.put("FACIAL_RECOGNITION_WEBHOOK_SECRET", "very-secret-value");
        env.put("WEBHOOK_SIGNING_KEY", SIGNING_KEY);
        RecognizerConfig c = RecognizerConfig.from(env);
        assertFalse(c.toString().contains("very-secret-value"), c.toString());
        assertFalse(c.toString().contains("MfKQ9r8"), c.toString());
        assertTrue(c.toString().contains("secret=from env"));
    }

    @Test
    void theSigningKeyIsASecretOfItsOwnNotTheBearerToken() {
        // one value as both Bearer token and HMAC key lets anyone who sees one request forge signed ones
        Map<String, String> env = base();
        env.put("NEXTJS_WEBHOOK_URL", "https://app.example.com/api/facial-recognition/webhook");
        env.put("FACIAL_RECOGNITION_WEBHOOK_SECRET", "very-secret-value");
        var missing = assertThrows(ConfigException.class, () -> RecognizerConfig.from(env));
        assertEquals(List.of("NEXTJS_WEBHOOK_URL is set but neither WEBHOOK_SIGNING_KEY_ARN nor WEBHOOK_SIGNING_KEY is: "
                + "deliveries must be signed with a key of their own"), missing.problems());

        env.put("WEBHOOK_SIGNING_KEY", "very-secret-value");
        var notAKey = assertThrows(ConfigException.class, () -> RecognizerConfig.from(env));
        assertEquals(List.of("WEBHOOK_SIGNING_KEY must be a Standard Webhooks key: base64 of 24 to 64 bytes, "
                + "optionally prefixed whsec_"), notAKey.problems());
        assertFalse(notAKey.getMessage().contains("very-secret"), "the value is not echoed");

        env.put("FACIAL_RECOGNITION_WEBHOOK_SECRET", SIGNING_KEY);
        env.put("WEBHOOK_SIGNING_KEY", SIGNING_KEY);
        var same = assertThrows(ConfigException.class, () -> RecognizerConfig.from(env));
        assertEquals(List.of("WEBHOOK_SIGNING_KEY must differ from FACIAL_RECOGNITION_WEBHOOK_SECRET"), same.problems());

        env.put("FACIAL_RECOGNITION_WEBHOOK_SECRET", "very-secret-value");
        assertEquals(SIGNING_KEY, RecognizerConfig.from(env).webhookSigningKey().orElseThrow());

        Map<String, String> arns = base();
        arns.put("NEXTJS_WEBHOOK_URL", "https://app.example.com/api/facial-recognition/webhook");
        arns.put("WEBHOOK_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:hook-AbC123");
        arns.put("WEBHOOK_SIGNING_KEY_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:hook-AbC123");
        var sameSecret = assertThrows(ConfigException.class, () -> RecognizerConfig.from(arns));
        assertEquals(List.of("WEBHOOK_SIGNING_KEY_ARN must name another secret than WEBHOOK_SECRET_ARN"),
                sameSecret.problems());
    }

    @Test
    void plainHttpWebhooksAreRefusedUnlessAllowed() {
        Map<String, String> env = base();
        env.put("NEXTJS_WEBHOOK_URL", "http://app.example.com/api/facial-recognition/webhook?token=abc123");
        env.put("FACIAL_RECOGNITION_WEBHOOK_SECRET", "very-secret-value");
        env.put("WEBHOOK_SIGNING_KEY", SIGNING_KEY);
        var e = assertThrows(ConfigException.class, () -> RecognizerConfig.from(env));
        assertEquals(List.of("NEXTJS_WEBHOOK_URL must be https: the Bearer token travels with every delivery "
                + "(WEBHOOK_ALLOW_HTTP=true allows http, for a receiver on this machine)"), e.problems());
        assertFalse(e.getMessage().contains("abc123"));
        env.put("WEBHOOK_ALLOW_HTTP", "true");
        assertEquals("http", RecognizerConfig.from(env).webhookUrl().orElseThrow().getScheme());
    }

    @Test
    void appCameraIdsAndPrefixNormalisation() {
        Map<String, String> env = base();
        env.put("APP_CAMERA_IDS", "door=clx1a2b3c4d5e6f7g8h9, yard=clx9z8y7x6w5v4u3t2s1");
        env.put("GALLERY_PREFIX", "faces");
        RecognizerConfig c = RecognizerConfig.from(env);
        assertEquals("clx9z8y7x6w5v4u3t2s1", c.appCameraIds().get("yard"));
        assertEquals("faces/", c.galleryPrefix());
        env.put("APP_CAMERA_IDS", "door/x=clx1, yard");
        var e = assertThrows(ConfigException.class, () -> RecognizerConfig.from(env));
        assertTrue(e.getMessage().contains("APP_CAMERA_IDS must be key=value pairs"), e.getMessage());
        env.put("APP_CAMERA_IDS", "door/x=clx1");
        e = assertThrows(ConfigException.class, () -> RecognizerConfig.from(env));
        assertTrue(e.getMessage().contains("APP_CAMERA_IDS: 'door/x' is not a forwarder camera id"), e.getMessage());
    }

    @Test
    void thresholdIsInTheGallerysMetric() {
        Map<String, String> env = base();
        env.put("THRESHOLD", "0.6");
        RecognizerConfig c = RecognizerConfig.from(env);
        assertEquals(0.6, c.thresholdFor(EmbeddingModel.DLIB, 0.55).value(), "the old app's THRESHOLD: a distance");
        assertEquals(0.6, c.thresholdFor(EmbeddingModel.DEFAULT, 0.42).value(), "a cosine similarity");
        env.put("THRESHOLD", "-0.2");
        c = RecognizerConfig.from(env);
        RecognizerConfig.Threshold t = c.thresholdFor(EmbeddingModel.DLIB, 0.55);
        assertEquals(0.55, t.value(), "no distance is negative: the gallery's own is used");
        assertTrue(t.problem().orElseThrow().startsWith("THRESHOLD -0.2 is not a Euclidean distance"), t.problem().get());
        assertEquals(-0.2, c.thresholdFor(EmbeddingModel.DEFAULT, 0.42).value());
        assertTrue(c.thresholdFor(EmbeddingModel.DEFAULT, 0.42).problem().isEmpty());
    }
}
