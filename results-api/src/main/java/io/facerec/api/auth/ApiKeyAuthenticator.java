package io.facerec.api.auth;

import io.facerec.api.http.ApiRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code Authorization: Bearer <key>}, compared in constant time: both sides are hashed first, so
 * neither the key's content nor its length shows in the time a refusal takes. The key is read at
 * init and again every {@code API_KEY_REFRESH_S} (a rotated secret is picked up without a deploy;
 * a failed re-read keeps the key in hand). The key is never logged.
 */
public class ApiKeyAuthenticator {
    private static final Logger LOG = LogManager.getLogger(ApiKeyAuthenticator.class);

    private final Supplier<String> source;
    private final Duration refresh;
    private final Clock clock;
    private byte[] expectedHash;
    private Instant readAt;

    public ApiKeyAuthenticator(Supplier<String> source, Duration refresh, Clock clock) {
        this.source = source;
        this.refresh = refresh;
        this.clock = clock;
        this.expectedHash = sha256(requireKey(source.get()));
        this.readAt = clock.instant();
    }

    /** The local stack's API: loopback only, no key, as the old API had none. */
    public static ApiKeyAuthenticator none() {
        return new ApiKeyAuthenticator(() -> "unused-local-key-0000", Duration.ZERO, Clock.systemUTC()) {
            @Override
            public boolean allows(ApiRequest request) {
                return true;
            }
        };
    }

    public boolean allows(ApiRequest request) {
        String h = request.header("authorization").orElse("");
        if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return false;
        }
        byte[] given = sha256(h.substring(7).strip());
        return MessageDigest.isEqual(given, expected());
    }

    private synchronized byte[] expected() {
        Instant now = clock.instant();
        if (!refresh.isZero() && !now.isBefore(readAt.plus(refresh))) {
            readAt = now;
            try {
                expectedHash = sha256(requireKey(source.get()));
            } catch (RuntimeException e) {
                LOG.warn("API key could not be re-read ({}): keeping the one in hand", e.getClass().getSimpleName());
            }
        }
        return expectedHash;
    }

    private static String requireKey(String key) {
        if (key == null || key.strip().length() < 16) {
            throw new IllegalStateException("the API key must be at least 16 characters");
        }
        return key.strip();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
