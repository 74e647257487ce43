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
 * A secret of the form {@code whsec_<base64>} keys the HMAC with the decoded bytes, as the spec's
 * libraries do; any other secret (the old system's plain {@code FACIAL_RECOGNITION_WEBHOOK_SECRET})
 * keys it with its UTF-8 bytes, which those libraries accept as a "raw" secret. The secret itself is
 * never printed: {@link #toString()} hides it.
 */
public final class WebhookSigner {
    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";

    private final SecretKeySpec key;
    private final byte[] bearer;

    public WebhookSigner(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("webhook secret is empty");
        }
        byte[] keyBytes;
        if (secret.startsWith("whsec_")) {
            try {
                keyBytes = Base64.getDecoder().decode(secret.substring(6));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("webhook secret starts with whsec_ but is not valid base64");
            }
        } else {
            keyBytes = secret.getBytes(StandardCharsets.UTF_8);
        }
        this.key = new SecretKeySpec(keyBytes, "HmacSHA256");
        this.bearer = secret.getBytes(StandardCharsets.UTF_8);
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

    /** The headers of one delivery: Bearer token and the three Standard Webhooks headers. */
    public Map<String, String> headers(String id, long timestampSeconds, byte[] body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + new String(bearer, StandardCharsets.UTF_8));
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
        return "WebhookSigner[secret hidden]";
    }
}
