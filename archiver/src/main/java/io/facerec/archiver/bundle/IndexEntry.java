package io.facerec.archiver.bundle;

/**
 * One frame in a bundle: where it came from ({@code key}, its S3 {@code etag} when it was read), its
 * member {@code name}, capture time (ISO-8601 UTC), where its bytes lie in the tar, and their SHA-256.
 */
public record IndexEntry(String key, String name, String captureTime, long offset, long length, String sha256,
                         String etag) {
}
