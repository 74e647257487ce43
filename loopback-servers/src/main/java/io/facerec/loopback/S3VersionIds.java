package io.facerec.loopback;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a versioned bucket on AWS puts in its event records and S3Proxy does not keep: a version id
 * for every write (32 characters of {@code [A-Za-z0-9._]}, new even when the bytes are the same) and
 * a sequencer (hexadecimal, growing with each write). The local stack's events and the tests' events
 * carry them, so the recognizer meets what AWS sends.
 */
public final class S3VersionIds {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong SEQUENCER = new AtomicLong(System.currentTimeMillis() << 8);

    private S3VersionIds() {
    }

    public static String newVersionId() {
        StringBuilder b = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** 18 hexadecimal digits, as S3 writes them ("0055AED6DCD90281E5"). */
    public static String nextSequencer() {
        return String.format(Locale.ROOT, "%018X", SEQUENCER.incrementAndGet());
    }
}
