package io.facerec.model.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void matchesTheStandardWebhooksSpecVector() {
        WebhookSigner s = new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                s.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, utf8("{\"test\": 2432232314}")));
    }

    @Test
    void plainSecretIsUsedAsRawBytesAsTheLibrariesRawFormatDoes() {
        // value printed by the npm standardwebhooks package: new Webhook('plain', {format: 'raw'})
        assertEquals("v1,1lnxqdnceMxHdtywk+JniZrHj7lm/7D3vew1sUxBqCg=",
                new WebhookSigner("plain").sign("id1", 1700000000, utf8("{}")));
    }

    @Test
    void headersCarryBearerAndSignature() {
        var h = new WebhookSigner("s3cret").headers("id", 100, utf8("{}"));
        assertEquals("Bearer s3cret", h.get("Authorization"));
        assertEquals("id", h.get("webhook-id"));
        assertEquals("100", h.get("webhook-timestamp"));
        assertTrue(h.get("webhook-signature").startsWith("v1,"));
    }

    @Test
    void verifyRefusesTamperingAndReplays() {
        WebhookSigner s = new WebhookSigner("s3cret");
        byte[] body = utf8("{\"a\":1}");
        String sig = s.sign("id", 1000, body);
        assertTrue(s.verify("id", "1000", "v1,bogus " + sig, body, 1000, 300));
        assertFalse(s.verify("id", "1000", sig, utf8("{\"a\":2}"), 1000, 300), "body changed");
        assertFalse(s.verify("other", "1000", sig, body, 1000, 300), "id changed");
        assertFalse(s.verify("id", "1000", sig, body, 1000 + 301, 300), "too old: a replay");
        assertFalse(new WebhookSigner("other").verify("id", "1000", sig, body, 1000, 300), "wrong secret");
    }

    @Test
    void secretNeverPrinted() {
        assertFalse(new WebhookSigner("hunter2-secret").toString().contains("hunter2"));
        assertThrows(IllegalArgumentException.class, () -> new WebhookSigner(" "));
        var e = assertThrows(IllegalArgumentException.class, () -> new WebhookSigner("whsec_%%%not-base64"));
        assertFalse(e.getMessage().contains("%%%"));
    }
}
