package io.facerec.model.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">}.
 * The key is a Standard Webhooks secret: base64 of 24 to 64 random bytes, optionally prefixed
 * {@code whsec_}, exactly what the spec's libraries take ({@code new Webhook(key)}). It is a secret of
 * its own, never the Bearer token the receiver also checks: a key that travels in a header would let
 * anyone who saw one request sign others. The key itself is never printed: {@link #toString()} hides it.
 */
public final class WebhookSigner {
    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";
    public static final String PREFIX = "whsec_";
    public static final int MIN_KEY_BYTES = 24;
    public static final int MAX_KEY_BYTES = 64;
    /** What a key must be, for messages (never with the value). */
    public static final String KEY_FORMAT = "a Standard Webhooks key: base64 of " + MIN_KEY_BYTES + " to "
            + MAX_KEY_BYTES + " bytes, optionally prefixed " + PREFIX;

    private final SecretKeySpec key;

    public WebhookSigner(String signingKey) {
        this.key = new SecretKeySpec(decode(signingKey), "HmacSHA256");
    }

    /** True when {@code signingKey} is a usable key (see {@link #KEY_FORMAT}). */
    public static boolean isKey(String signingKey) {
        try {
            decode(signingKey);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] decode(String signingKey) {
        if (signingKey == null || signingKey.isBlank()) {
            throw new IllegalArgumentException("webhook signing key is empty");
        }
        String b64 = signingKey.strip();
        if (b64.startsWith(PREFIX)) {
            b64 = b64.substring(PREFIX.length());
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("webhook signing key must be " + KEY_FORMAT + "; it is not base64");
        }
        if (bytes.length < MIN_KEY_BYTES || bytes.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("webhook signing key must be " + KEY_FORMAT + "; it has " + bytes.length
                    + " bytes");
        }
        return bytes;
    }

    /** {@code v1,<base64 signature>} for this id, timestamp (epoch seconds) and body. */
    public String sign(String id, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    /** The three Standard Webhooks headers of one delivery. */
    public Map<String, String> headers(String id, long timestampSeconds, byte[] body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(ID, id);
        h.put(TIMESTAMP, Long.toString(timestampSeconds));
        h.put(SIGNATURE, sign(id, timestampSeconds, body));
        return h;
    }

    /**
     * Checks a delivery as a receiver would: one of the space-separated {@code v1,} signatures must
     * match, and the timestamp must be within {@code toleranceSeconds} of {@code nowSeconds}.
     */
    public boolean verify(String id, String timestamp, String signatures, byte[] body, long nowSeconds,
                          long toleranceSeconds) {
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(nowSeconds - ts) > toleranceSeconds) {
            return false;
        }
        byte[] expected = sign(id, ts, body).getBytes(StandardCharsets.UTF_8);
        for (String s : signatures.split(" ")) {
            if (MessageDigest.isEqual(expected, s.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "WebhookSigner[key hidden]";
    }
}
