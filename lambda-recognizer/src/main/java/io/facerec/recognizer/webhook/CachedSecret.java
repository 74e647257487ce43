package io.facerec.recognizer.webhook;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A secret read from its source and kept for a while: re-read once {@code ttl} has passed, so a
 * rotation reaches running containers without a redeploy. A re-read that fails keeps the value
 * already held (and is tried again after a tenth of the TTL); with no value to keep, it throws.
 * Errors name the secret ({@code what}), never its value.
 */
public final class CachedSecret<T> {
    private static final Logger LOG = LogManager.getLogger(CachedSecret.class);

    private final String what;
    private final Supplier<String> source;
    private final Function<String, T> parse;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private T value;
    private long expiresAt;

    public CachedSecret(String what, Supplier<String> source, Function<String, T> parse, Duration ttl, LongSupplier nanoTime) {
        this.what = what;
        this.source = source;
        this.parse = parse;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
    }

    public synchronized T get() {
        if (value == null || nanoTime.getAsLong() - expiresAt >= 0) {
            read();
        }
        return value;
    }

    /** Drops the value (before a snapshot: secrets are not kept in it). */
    public synchronized void forget() {
        value = null;
    }

    /** Reads the value now (after a restore); a failure is logged, and {@link #get()} tries again. */
    public synchronized void refresh() {
        try {
            read();
        } catch (IllegalStateException e) {
            LOG.warn("{}", e.getMessage());
        }
    }

    private void read() {
        try {
            String raw = source.get();
            if (raw == null || raw.isBlank()) {
                throw new IllegalArgumentException("it is empty");
            }
            value = parse.apply(raw.strip());
            expiresAt = nanoTime.getAsLong() + ttlNanos;
        } catch (RuntimeException e) {
            // a value that is there but unusable is named as such; a failed read by its type only
            String why = e instanceof IllegalArgumentException ? "is unusable: " + e.getMessage()
                    : "could not be read: " + e.getClass().getSimpleName();
            if (value == null) {
                throw new IllegalStateException(what + " " + why, e);
            }
            expiresAt = nanoTime.getAsLong() + ttlNanos / 10;
            LOG.warn("{} {}; keeping the value read before", what, why);
        }
    }

    @Override
    public String toString() {
        return "CachedSecret[" + what + ", value hidden]";
    }
}
