package io.facerec.recognizer.webhook;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * The random source of retry backoff. Not {@code ThreadLocalRandom}: its state is captured in a
 * SnapStart snapshot, so every container restored from one snapshot would draw the same "random"
 * waits and retry in step. {@link #reseed()} after a restore gives each its own sequence.
 */
public final class Jitter {
    private SplittableRandom random;

    public Jitter() {
        reseed();
    }

    /** A fixed seed: what a snapshot hands every container restored from it. */
    public Jitter(long seed) {
        random = new SplittableRandom(seed);
    }

    /** Uniform in [0, bound]. */
    public synchronized long upTo(long bound) {
        return bound <= 0 ? 0 : random.nextLong(bound + 1);
    }

    /** A new seed from the operating system's entropy, read now (after a restore, not at init). */
    public synchronized void reseed() {
        random = new SplittableRandom(new SecureRandom().nextLong());
    }
}
