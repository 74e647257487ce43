package io.facerec.recognizer.webhook;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

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
    /** An attempt with less time than this left is not started. */
    static final long MIN_ATTEMPT_MS = 100;

    private final Supplier<HttpClient> httpFactory;
    private final Jitter jitter;
    private HttpClient http;
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

    /** {@code httpFactory} builds the HTTP client now and again after its connections were dropped. */
    public WebhookSender(Supplier<HttpClient> httpFactory, URI url, WebhookCredentials credentials, Duration timeout,
                         int maxAttempts, Jitter jitter) {
        this(httpFactory, url, credentials, timeout, maxAttempts, jitter, Thread::sleep, System::currentTimeMillis);
    }

    WebhookSender(Supplier<HttpClient> httpFactory, URI url, WebhookCredentials credentials, Duration timeout,
                  int maxAttempts, Jitter jitter, Sleeper sleeper, LongSupplier clockMillis) {
        this.httpFactory = httpFactory;
        this.jitter = jitter;
        this.url = url;
        this.credentials = credentials;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.sleeper = sleeper;
        this.clockMillis = clockMillis;
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = httpFactory.get();
        }
        return http;
    }

    /**
     * Closes the HTTP client and its pooled connections (before a SnapStart snapshot: no socket is
     * kept in it); the next delivery builds a new one.
     */
    public synchronized void dropConnections() {
        if (http != null) {
            http.shutdownNow();
            http = null;
        }
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
            if (left < MIN_ATTEMPT_MS) {
                return new Outcome(Status.GAVE_UP, attempt, lastStatus, lastDetail + "; out of time");
            }
            attempt++;
            long attemptMillis = Math.min(timeout.toMillis(), left);
            long ts = Instant.ofEpochMilli(clockMillis.getAsLong()).getEpochSecond();
            HttpRequest.Builder req = HttpRequest.newBuilder(url)
                    .timeout(Duration.ofMillis(attemptMillis))
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "facerec-recognizer")
                    .header("Authorization", "Bearer " + credentials.bearer())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            credentials.signer().headers(id, ts, body).forEach(req::header);
            Optional<Long> retryAfter = Optional.empty();
            String retryAfterText = null;
            CompletableFuture<HttpResponse<Void>> call = http().sendAsync(req.build(), HttpResponse.BodyHandlers.discarding());
            try {
                // the request timeout may stop at the headers: the attempt, body included, ends here
                HttpResponse<Void> res = call.get(attemptMillis, TimeUnit.MILLISECONDS);
                lastStatus = res.statusCode();
                if (lastStatus >= 200 && lastStatus < 300) {
                    return new Outcome(Status.DELIVERED, attempt, lastStatus, "HTTP " + lastStatus);
                }
                lastDetail = "HTTP " + lastStatus;
                if (lastStatus >= 400 && lastStatus < 500 && lastStatus != 408 && lastStatus != 429) {
                    return new Outcome(Status.FAILED, attempt, lastStatus, lastDetail + " (not retried)");
                }
                retryAfterText = res.headers().firstValue("Retry-After").orElse(null);
                retryAfter = retryAfterText == null ? Optional.empty()
                        : retryAfterMillis(retryAfterText, clockMillis.getAsLong());
            } catch (TimeoutException e) {
                call.cancel(true);
                lastDetail = "timed out after " + attemptMillis + " ms (body included)";
            } catch (ExecutionException e) {
                lastDetail = e.getCause() instanceof HttpTimeoutException
                        ? "timed out after " + attemptMillis + " ms"
                        : "connection failed: " + e.getCause().getClass().getSimpleName();
            } catch (InterruptedException e) {
                call.cancel(true);
                Thread.currentThread().interrupt();
                return new Outcome(Status.GAVE_UP, attempt, lastStatus, "interrupted");
            }
            if (attempt >= maxAttempts) {
                break;
            }
            long wait = retryAfter.isPresent() ? retryAfter.get() : backoff(attempt, jitter);
            // compared as what is left, so a wait near Long.MAX_VALUE cannot overflow into the past
            long leftAfterWait = deadlineMillis - clockMillis.getAsLong() - MIN_ATTEMPT_MS;
            if (wait > leftAfterWait) {
                return new Outcome(Status.GAVE_UP, attempt, lastStatus, lastDetail + "; "
                        + (retryAfter.isPresent() ? "Retry-After " + abbreviate(retryAfterText) + " asks for a wait"
                        : "the next attempt (in " + wait + " ms) would be") + " past the deadline");
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
    static long backoff(int attempt, Jitter jitter) {
        long cap = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS << Math.min(attempt - 1, 20));
        return jitter.upTo(cap);
    }

    /**
     * Retry-After as delta-seconds or an HTTP date, in milliseconds. Values too large for a long
     * saturate at {@link Long#MAX_VALUE}: they only ever mean "later than this invocation can wait".
     */
    static Optional<Long> retryAfterMillis(String value, long nowMillis) {
        String v = value.strip();
        if (v.matches("\\d{1,1000}")) {
            try {
                return Optional.of(Math.multiplyExact(Long.parseLong(v), 1000L));
            } catch (ArithmeticException | NumberFormatException e) {
                return Optional.of(Long.MAX_VALUE);
            }
        }
        try {
            long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            return Optional.of(Math.max(0, at - nowMillis));
        } catch (DateTimeParseException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
