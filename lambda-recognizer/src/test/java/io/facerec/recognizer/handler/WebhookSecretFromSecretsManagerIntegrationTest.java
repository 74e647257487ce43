package io.facerec.recognizer.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facerec.loopback.S3VersionIds;
import io.facerec.loopback.SecretsManagerServer;
import io.facerec.loopback.WebhookReceiver;
import io.facerec.loopback.sdkcalls.ProductRole;
import io.facerec.loopback.sdkcalls.SdkCallRecorder;
import io.facerec.model.frame.FrameKey;
import io.facerec.recognizer.config.RecognizerConfig;
import io.facerec.recognizer.testing.LoopbackAws;
import io.facerec.recognizer.testing.TestData;
import io.facerec.recognizer.webhook.WebhookCredentials;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The webhook secrets as the CDK stack hands them over: only their ARNs in {@code WEBHOOK_SECRET_ARN}
 * (the Bearer token) and {@code WEBHOOK_SIGNING_KEY_ARN} (the signing key), the values read from
 * Secrets Manager (over its real protocol) at init, each generated as the stack generates it.
 */
class WebhookSecretFromSecretsManagerIntegrationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String BUCKET = "stack-frames";
    static final String TABLE = "stack-results";
    static final String SECRET = randomSecret();
    /** The stack's generator makes the signing key the same way: 48 letters and digits are base64 of 36 bytes. */
    static final String SIGNING_KEY = randomSecret();
    static LoopbackAws aws;
    static WebhookReceiver receiver;
    static SecretsManagerServer secretsManager;
    static S3Client s3;
    static String secretArn;
    static String signingKeyArn;

    @BeforeAll
    static void start() throws Exception {
        TestData.dir();
        aws = LoopbackAws.start(BUCKET, TABLE);
        s3 = aws.s3();
        receiver = WebhookReceiver.start(SECRET, SIGNING_KEY);
        secretsManager = SecretsManagerServer.start();
        secretArn = secretsManager.create("facerec-webhook", SECRET);
        signingKeyArn = secretsManager.create("facerec-webhook-signing-key", SIGNING_KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        LoopbackAws.closeAll(secretsManager, receiver, aws);
    }

    /** As a random secret from the stack's generator: 48 letters and digits. */
    static String randomSecret() {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom r = new SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 48; i++) {
            b.append(chars.charAt(r.nextInt(chars.length())));
        }
        return b.toString();
    }

    static RecognizerHandler handler(String arn) {
        return handler(arn, signingKeyArn);
    }

    static RecognizerHandler handler(String arn, String keyArn) {
        Map<String, String> env = new HashMap<>();
        env.put("RESULTS_TABLE", TABLE);
        env.put("GALLERY_BUCKET", BUCKET);
        env.put("NEXTJS_WEBHOOK_URL", receiver.url().toString());
        env.put("WEBHOOK_SECRET_ARN", arn);
        env.put("WEBHOOK_SIGNING_KEY_ARN", keyArn);
        env.put("WEBHOOK_ALLOW_HTTP", "true"); // the receiver listens on loopback
        aws.endpoints(env);
        env.put("WEBHOOK_COOLDOWN_S", "0");
        env.put("GALLERY_REFRESH_S", "0");
        var calls = SdkCallRecorder.forTest(ProductRole.RECOGNIZER, WebhookSecretFromSecretsManagerIntegrationTest.class, env);
        return new RecognizerHandler(Recognizer.create(RecognizerConfig.from(env), aws.s3Server().client(calls),
                aws.dynalite().client(calls), WebhookCredentials.from(() -> secretsManager.client(calls)), Clock.systemUTC()));
    }

    static Map<String, Object> put(RecognizerHandler h, String key, String photo) throws Exception {
        byte[] body = Files.readAllBytes(TestData.path(photo));
        String eTag = s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body)).eTag().replace("\"", "");
        return h.handleRequest(RecognizerHandlerIntegrationTest.created(BUCKET, key, body.length, eTag,
                S3VersionIds.newVersionId()), null);
    }

    @Test
    void deliveriesCarryTheTokenAndAreSignedWithTheKeyReadFromSecretsManager() throws Exception {
        RecognizerHandler h = handler(secretArn);
        assertEquals(1, put(h, "enroll/joe_biden/biden.jpg", "face_recognition/images/joe_biden/biden.jpg").get("enrolments"));
        // a person passing the camera, two frames a second apart: a person-track may need more than one face
        // to be named (README, Person-tracks)
        for (int i = 0; i < 2; i++) {
            String frame = new FrameKey("gate", 1_795_000_000_000L + i * 1000L, i + 1).toKey();
            assertEquals(1, put(h, frame, "face_recognition/images/joe_biden/biden2.jpg").get("frames"));
        }

        List<JsonNode> deliveries = new ArrayList<>();
        for (int i = 0; i < 100 && deliveries.isEmpty(); i++) {
            Thread.sleep(50);
            deliveries.clear();
            JSON.readTree(receiver.deliveriesJson()).forEach(deliveries::add);
        }
        assertEquals(1, deliveries.size(), deliveries.toString());
        JsonNode d = deliveries.get(0);
        assertTrue(d.get("authorised").asBoolean(), "Bearer token is the secret from Secrets Manager");
        assertTrue(d.get("verified").asBoolean(), "signed with the key from Secrets Manager: " + d);
        assertEquals("joe_biden", d.at("/body/result/name").asText());
    }

    @Test
    void aSecretThatCannotBeReadStopsTheStartNamingItsArnNeverAValue() {
        String missing = secretArn.substring(0, secretArn.length() - 6) + "zzzzzz";
        var e = assertThrows(IllegalStateException.class, () -> handler(missing));
        assertEquals("webhook Bearer token " + missing + " could not be read: ResourceNotFoundException", e.getMessage());
        assertFalse(String.valueOf(e.getCause()).contains(SECRET));
        String missingKey = signingKeyArn.substring(0, signingKeyArn.length() - 6) + "zzzzzz";
        var k = assertThrows(IllegalStateException.class, () -> handler(secretArn, missingKey));
        assertEquals("webhook signing key " + missingKey + " could not be read: ResourceNotFoundException", k.getMessage());
        // the token stored where the key should be: refused by what it is, its value never shown
        var notAKey = assertThrows(IllegalStateException.class, () -> handler(secretArn, secretsManager.create("x",
                "not a key")));
        assertTrue(notAKey.getMessage().contains("is unusable: webhook signing key must be a Standard Webhooks key"),
                notAKey.getMessage());
        assertFalse(notAKey.getMessage().contains("not a key"));
    }
}
