package io.facerec.model.gallery;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The objects under one gallery prefix (an S3 prefix, a local folder), named relative to it: what
 * {@link GalleryLayout} needs to read a gallery wherever it is kept.
 */
public interface GalleryObjects {
    /** Names the gallery in messages: {@code s3://bucket/gallery}, a folder path. */
    String location();

    /**
     * The object's bytes and version tag (S3's ETag), or empty when there is none. An object over
     * {@code maxBytes} is refused with a {@link GalleryFormatException} that names it and its size,
     * before its body is read.
     */
    Optional<Blob> get(String name, long maxBytes) throws IOException;

    /** Every object whose name starts with {@code prefix} ("" for all). */
    List<Entry> list(String prefix) throws IOException;

    record Blob(byte[] bytes, String etag) {
    }

    record Entry(String name, String etag, long size, Instant lastModified) {
    }

    /** ETags as S3 returns them in one call and another (with or without quotes) compare equal. */
    static String tag(String etag) {
        return etag == null ? null : etag.replace("\"", "");
    }
}
