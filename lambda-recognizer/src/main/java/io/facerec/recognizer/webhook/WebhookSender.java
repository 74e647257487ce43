package io.facerec.recognizer.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * POSTs signed deliveries to the Next.js webhook. Any 2xx is success. 408, 429, 5xx and network
 * errors are retried with exponential backoff and full jitter, honouring {@code Retry-After}, for as
 * long as the deadline (the invocation's remaining time) allows; other 4xx are final. The same
 * {@code webhook-id} is sent on every attempt so the receiver can drop repeats. Each request carries
 * the receiver's Bearer token and a Standard Webhooks signature made with a key of its own.
 */
public final class WebhookSender {
    static final long BASE_BACKOFF_MS = 200;
    static final long MAX_BACKOFF_MS = 5_000;

    private final HttpClient http;
    private final URI url;
    private final WebhookCredentials credentials;
    private final Duration timeout;
    private final int maxAttempts;
    private final Sleeper sleeper;
    private final LongSupplier clockMillis;

    /** Waits between attempts; a seam for tests. */
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    public enum Status { DELIVERED, FAILED, GAVE_UP }

    /** What became of one delivery; {@code detail} never holds the secret or the full URL. */
    public record Outcome(Status status, int attempts, int httpStatus, String detail) {
    }

    public WebhookSender(HttpClient http, URI url, WebhookCredentials credentials, Duration timeout, int maxAttempts) {
        this(http, url, credentials, timeout, maxAttempts, Thread::sleep, System::currentTimeMillis);
    }

    WebhookSender(HttpClient http, URI url, WebhookCredentials credentials, Duration timeout, int maxAttempts,
                  Sleeper sleeper, LongSupplier clockMillis) {
        this.http = http;
        this.url = url;
        this.credentials = credentials;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.sleeper = sleeper;
        this.clockMillis = clockMillis;
    }

    /** Where deliveries go, for logs: scheme, host and port only. */
    public String target() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
    }

    public Outcome deliver(String id, byte[] body, long deadlineMillis) {
        int attempt = 0;
        int lastStatus = 0;
        String lastDetail = "not attempted: no time left";
        while (attempt < maxAttempts) {
            long left = deadlineMillis - clockMillis.getAsLong();
            if (left < 100) {
                return new Outcome(Status.GAVE_UP, attempt, lastStatus, lastDetail + "; out of time");
            }
            attempt++;
            long ts = Instant.ofEpochMilli(clockMillis.getAsLong()).getEpochSecond();
            HttpRequest.Builder req = HttpRequest.newBuilder(url)
                    .timeout(Duration.ofMillis(Math.min(timeout.toMillis(), left)))
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "facerec-recognizer")
                    .header("Authorization", "Bearer " + credentials.bearer())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            credentials.signer().headers(id, ts, body).forEach(req::header);
            Optional<Long> retryAfter = Optional.empty();
            try {
                HttpResponse<Void> res = http.send(req.build(), HttpResponse.BodyHandlers.discarding());
                lastStatus = res.statusCode();
                if (lastStatus >= 200 && lastStatus < 300) {
                    return new Outcome(Status.DELIVERED, attempt, lastStatus, "HTTP " + lastStatus);
                }
                lastDetail = "HTTP " + lastStatus;
                if (lastStatus >= 400 && lastStatus < 500 && lastStatus != 408 && lastStatus != 429) {
                    return new Outcome(Status.FAILED, attempt, lastStatus, lastDetail + " (not retried)");
                }
                retryAfter = res.headers().firstValue("Retry-After").flatMap(v -> retryAfterMillis(v, clockMillis.getAsLong()));
            } catch (HttpTimeoutException e) {
                lastDetail = "timed out after " + timeout.toMillis() + " ms";
            } catch (IOException e) {
                lastDetail = "connection failed: " + e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(Status.GAVE_UP, attempt, lastStatus, "interrupted");
            }
            if (attempt >= maxAttempts) {
                break;
            }
            long wait = retryAfter.orElse(backoff(attempt));
            if (clockMillis.getAsLong() + wait + 100 > deadlineMillis) {
                return new Outcome(Status.GAVE_UP, attempt, lastStatus,
                        lastDetail + "; next attempt (in " + wait + " ms) would pass the deadline");
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(Status.GAVE_UP, attempt, lastStatus, "interrupted");
            }
        }
        return new Outcome(Status.FAILED, attempt, lastStatus, lastDetail + " after " + attempt + " attempts");
    }

    /** Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))]. */
    static long backoff(int attempt) {
        long cap = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS << Math.min(attempt - 1, 20));
        return ThreadLocalRandom.current().nextLong(cap + 1);
    }

    /** Retry-After as delta-seconds or an HTTP date. */
    static Optional<Long> retryAfterMillis(String value, long nowMillis) {
        String v = value.strip();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? Optional.empty() : Optional.of(seconds * 1000);
        } catch (NumberFormatException e) {
            try {
                long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                return Optional.of(Math.max(0, at - nowMillis));
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }
}
