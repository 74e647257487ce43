package io.facerec.recognizer.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.facerec.model.webhook.WebhookSigner;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WebhookSenderTest {
    static WebhookCredentials credentials() {
        return new WebhookCredentials(new CachedSecret<>("token", () -> "tok", t -> t, Duration.ofMinutes(5), System::nanoTime),
                new CachedSecret<>("key", () -> "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", WebhookSigner::new,
                        Duration.ofMinutes(5), System::nanoTime));
    }

    @Test
    void retryAfterAsSecondsOrHttpDate() {
        assertEquals(Optional.of(3000L), WebhookSender.retryAfterMillis("3", 0));
        long now = java.time.ZonedDateTime.parse("Wed, 21 Oct 2026 07:28:00 GMT",
                java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        assertEquals(Optional.of(5000L), WebhookSender.retryAfterMillis("Wed, 21 Oct 2026 07:28:05 GMT", now));
        assertEquals(Optional.empty(), WebhookSender.retryAfterMillis("soon", 0));
        assertEquals(Optional.empty(), WebhookSender.retryAfterMillis("-1", 0));
    }

    @Test
    void retryAfterThatOverflowsSaturatesInsteadOfWrappingNegative() {
        assertEquals(Optional.of(Long.MAX_VALUE), WebhookSender.retryAfterMillis("9223372036854775807", 0));
        assertEquals(Optional.of(Long.MAX_VALUE), WebhookSender.retryAfterMillis("99999999999999999999", 0));
        long now = System.currentTimeMillis();
        assertTrue(WebhookSender.retryAfterMillis("Fri, 31 Dec 9999 23:59:59 GMT", now).orElseThrow() > 0);
    }

    /** A loopback server answering every request with {@code status} and these headers. */
    static HttpServer answering(int status, String retryAfter, AtomicInteger hits) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            hits.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("Retry-After", retryAfter);
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
        return server;
    }

    @Test
    void retryAfterPastTheDeadlineIsAClearFailureNotAnException() throws Exception {
        for (String huge : List.of("9223372036854775807", "99999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT")) {
            AtomicInteger hits = new AtomicInteger();
            HttpServer server = answering(503, huge, hits);
            try {
                List<Long> slept = new ArrayList<>();
                WebhookSender s = new WebhookSender(HttpClient::newHttpClient,
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), credentials(),
                        Duration.ofSeconds(2), 5, new Jitter(), millis -> {
                            if (millis < 0) {
                                throw new IllegalArgumentException("timeout value is negative"); // as Thread.sleep
                            }
                            slept.add(millis);
                        }, System::currentTimeMillis);
                WebhookSender.Outcome o = s.deliver("id", new byte[0], System.currentTimeMillis() + 20_000);
                assertEquals(WebhookSender.Status.GAVE_UP, o.status(), huge + ": " + o);
                assertEquals(1, hits.get(), huge);
                assertEquals(List.of(), slept, huge);
                assertTrue(o.detail().contains("Retry-After") && o.detail().contains("past the deadline"), o.detail());
            } finally {
                server.stop(0);
            }
        }
    }

    @Test
    void aResponseBodyThatNeverEndsIsCutAtTheTimeout() throws Exception {
        // HttpClient's request timeout stops at the headers; the body must be bounded too
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, 0); // chunked
            try (var out = ex.getResponseBody()) {
                for (int i = 0; i < 100; i++) {
                    out.write('.');
                    out.flush();
                    Thread.sleep(200);
                }
            } catch (Exception e) {
                // the client hung up: what this test wants
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        try {
            WebhookSender s = new WebhookSender(HttpClient::newHttpClient,
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), credentials(),
                    Duration.ofMillis(500), 1, new Jitter(), millis -> { }, System::currentTimeMillis);
            WebhookSender.Outcome o = s.deliver("id", new byte[0], System.currentTimeMillis() + 60_000);
            assertEquals(WebhookSender.Status.FAILED, o.status(), o.toString());
            assertTrue(o.detail().startsWith("timed out after 500 ms"), o.detail());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void backoffIsJitteredUnderACap() {
        for (int a = 1; a < 30; a++) {
            long b = WebhookSender.backoff(a, new Jitter());
            assertTrue(b >= 0 && b <= Math.min(WebhookSender.MAX_BACKOFF_MS, WebhookSender.BASE_BACKOFF_MS << Math.min(a - 1, 20)));
        }
    }

    @Test
    void retryAfterLongerThanTheTimeLeftGivesUpInsteadOfOverrunning() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger hits = new AtomicInteger();
        server.createContext("/", ex -> {
            hits.incrementAndGet();
            ex.getResponseHeaders().add("Retry-After", "30");
            ex.sendResponseHeaders(429, -1);
            ex.close();
        });
        server.start();
        try {
            List<Long> slept = new ArrayList<>();
            WebhookSender s = new WebhookSender(HttpClient::newHttpClient,
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), credentials(),
                    Duration.ofSeconds(2), 5, new Jitter(), slept::add, System::currentTimeMillis);
            WebhookSender.Outcome o = s.deliver("id", new byte[0], System.currentTimeMillis() + 5000);
            assertEquals(WebhookSender.Status.GAVE_UP, o.status());
            assertEquals(1, hits.get());
            assertEquals(List.of(), slept, "did not wait 30 s with 5 s left");
            assertTrue(o.detail().contains("past the deadline"), o.detail());
        } finally {
            server.stop(0);
        }
    }
}
