package io.facerec.model.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    static final String KEY = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void matchesTheStandardWebhooksSpecVector() {
        WebhookSigner s = new WebhookSigner(KEY);
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                s.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, utf8("{\"test\": 2432232314}")));
        // the prefix is optional, as in the spec's libraries: a generated base64 value is a key as it is
        assertEquals(s.sign("id", 1, utf8("{}")), new WebhookSigner(KEY.substring(6)).sign("id", 1, utf8("{}")));
    }

    @Test
    void headersAreTheThreeStandardOnesAndNoBearer() {
        var h = new WebhookSigner(KEY).headers("id", 100, utf8("{}"));
        assertEquals(java.util.List.of("webhook-id", "webhook-timestamp", "webhook-signature"), java.util.List.copyOf(h.keySet()));
        assertEquals("id", h.get("webhook-id"));
        assertEquals("100", h.get("webhook-timestamp"));
        assertTrue(h.get("webhook-signature").startsWith("v1,"));
    }

    @Test
    void verifyRefusesTamperingAndReplays() {
        WebhookSigner s = new WebhookSigner(KEY);
        byte[] body = utf8("{\"a\":1}");
        String sig = s.sign("id", 1000, body);
        assertTrue(s.verify("id", "1000", "v1,bogus " + sig, body, 1000, 300));
        assertFalse(s.verify("id", "1000", sig, utf8("{\"a\":2}"), 1000, 300), "body changed");
        assertFalse(s.verify("other", "1000", sig, body, 1000, 300), "id changed");
        assertFalse(s.verify("id", "1000", sig, body, 1000 + 301, 300), "too old: a replay");
        assertFalse(new WebhookSigner("whsec_" + "A".repeat(32)).verify("id", "1000", sig, body, 1000, 300), "wrong key");
    }

    @Test
    void onlyStandardWebhooksKeysAreAcceptedAndNeverPrinted() {
        assertFalse(new WebhookSigner(KEY).toString().contains("MfKQ"));
        assertThrows(IllegalArgumentException.class, () -> new WebhookSigner(" "));
        var notBase64 = assertThrows(IllegalArgumentException.class, () -> new WebhookSigner("whsec_%%%not-base64"));
        assertFalse(notBase64.getMessage().contains("%%%"));
        // a password is not a key: too short once decoded (and a plain Bearer token usually is not base64)
        var shortKey = assertThrows(IllegalArgumentException.class, () -> new WebhookSigner("s3cretpassword12"));
        assertTrue(shortKey.getMessage().contains("has 12 bytes"), shortKey.getMessage());
        assertFalse(WebhookSigner.isKey("whsec_" + "A".repeat(100)), "over 64 bytes");
        assertTrue(WebhookSigner.isKey("A".repeat(48)), "48 base64 characters: 36 bytes");
    }
}
