package io.facerec.recognizer.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CachedSecretTest {
    @Test
    void aRotationIsPickedUpAfterTheTtlWithoutARedeployAndAFailedReReadKeepsTheOldValue() {
        AtomicLong now = new AtomicLong();
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<String> value = new AtomicReference<>("v1");
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        CachedSecret<String> s = new CachedSecret<>("the token arn:aws:secretsmanager:x", () -> {
            reads.incrementAndGet();
            if (failure.get() != null) {
                throw failure.get();
            }
            return value.get();
        }, v -> v, Duration.ofSeconds(300), now::get);
        assertEquals("v1", s.get());
        value.set("v2");
        now.addAndGet(Duration.ofSeconds(299).toNanos());
        assertEquals("v1", s.get(), "within the TTL: cached");
        assertEquals(1, reads.get());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals("v2", s.get(), "after the TTL: the rotated value");

        failure.set(new IllegalStateException("throttled"));
        now.addAndGet(Duration.ofSeconds(300).toNanos());
        assertEquals("v2", s.get(), "Secrets Manager down: the value held is kept");
        int r = reads.get();
        assertEquals("v2", s.get());
        assertEquals(r, reads.get(), "and not re-read on every use");

        s.forget();
        var e = assertThrows(IllegalStateException.class, s::get);
        assertEquals("the token arn:aws:secretsmanager:x could not be read: IllegalStateException", e.getMessage());
        assertFalse(s.toString().contains("v2"));
    }
}
