package io.facerec.recognizer.gallery;

import io.facerec.model.gallery.Gallery;
import io.facerec.model.gallery.GalleryFormatException;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The gallery's three objects under {@code s3://bucket/prefix}: reads them with their ETags, and
 * writes them conditionally so two writers can never both win.
 */
public final class S3GallerySource {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    public S3GallerySource(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    public String location() {
        return "s3://" + bucket + "/" + (prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
    }

    /** The ETags of the data files, or empty when encodings.npy is missing. */
    public Optional<Versions> head() {
        String enc = etag(Gallery.ENCODINGS).orElse(null);
        if (enc == null) {
            return Optional.empty();
        }
        return Optional.of(new Versions(enc, etag(Gallery.LABELS).orElse(null), etag(Gallery.INFO).orElse(null)));
    }

    /** A read of all three objects: the decoded gallery (or the reason it is unusable) and their ETags. */
    public record Snapshot(Gallery gallery, Versions versions) {
    }

    /** ETags of encodings.npy, labels.json and gallery.json; null where an object is absent. */
    public record Versions(String encodings, String labels, String info) {
    }

    /**
     * Reads the gallery. Throws {@link GalleryFormatException} when it is missing or unusable (the
     * message says which object and why); an empty gallery is returned only when none exists and
     * {@code missingIsEmpty}.
     */
    public Snapshot read(boolean missingIsEmpty, int dimension, io.facerec.model.gallery.GalleryInfo emptyInfo)
            throws GalleryFormatException {
        Optional<ResponseBytes<GetObjectResponse>> npy = get(Gallery.ENCODINGS);
        Optional<ResponseBytes<GetObjectResponse>> labels = get(Gallery.LABELS);
        Optional<ResponseBytes<GetObjectResponse>> info = get(Gallery.INFO);
        if (npy.isEmpty() && labels.isEmpty()) {
            if (missingIsEmpty) {
                return new Snapshot(Gallery.empty(dimension, emptyInfo),
                        new Versions(null, null, info.map(i -> i.response().eTag()).orElse(null)));
            }
            throw new GalleryFormatException(location() + "/" + Gallery.ENCODINGS + ": missing (no gallery enrolled yet)");
        }
        if (npy.isEmpty()) {
            throw new MissingHalfException(location() + "/" + Gallery.ENCODINGS + ": missing");
        }
        if (labels.isEmpty()) {
            throw new MissingHalfException(location() + "/" + Gallery.LABELS + ": missing");
        }
        Gallery g = Gallery.decode(npy.get().asByteArrayUnsafe(), labels.get().asByteArrayUnsafe(),
                info.map(ResponseBytes::asByteArrayUnsafe).orElse(null), location());
        return new Snapshot(g, new Versions(npy.get().response().eTag(), labels.get().response().eTag(),
                info.map(i -> i.response().eTag()).orElse(null)));
    }

    /** One data file there without the other: a first write in progress, or one that died half-way. */
    public static final class MissingHalfException extends io.facerec.model.gallery.TornGalleryException {
        public MissingHalfException(String message) {
            super(message);
        }
    }

    /** Thrown when another writer changed the gallery since {@code expected} was read. */
    public static final class ConcurrentWriteException extends Exception {
        public ConcurrentWriteException(String message) {
            super(message);
        }
    }

    /**
     * Writes {@code g} over the objects last seen at {@code expected}: each put is conditional on the
     * object's ETag (or on its absence), so a concurrent writer makes this fail instead of being lost.
     */
    public void write(Gallery g, Versions expected) throws ConcurrentWriteException {
        Gallery.Encoded e = g.encode();
        put(Gallery.ENCODINGS, e.encodings(), "application/octet-stream", expected.encodings());
        if (e.info() != null) {
            put(Gallery.INFO, e.info(), "application/json", expected.info());
        }
        put(Gallery.LABELS, e.labels(), "application/json", expected.labels());
    }

    private void put(String name, byte[] body, String type, String ifMatch) throws ConcurrentWriteException {
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(bucket).key(prefix + name).contentType(type);
        if (ifMatch == null) {
            req.ifNoneMatch("*");
        } else {
            req.ifMatch(ifMatch);
        }
        try {
            s3.putObject(req.build(), RequestBody.fromBytes(body));
        } catch (S3Exception ex) {
            if (ex.statusCode() == 412 || ex.statusCode() == 409) {
                // the SDK may have retried a put that had in fact landed: then the object is ours
                if (etag(name).map(S3GallerySource::unquote).filter(md5Hex(body)::equals).isPresent()) {
                    return;
                }
                throw new ConcurrentWriteException(prefix + name + " changed since it was read");
            }
            throw ex;
        }
    }

    private static String unquote(String etag) {
        return etag.replace("\"", "");
    }

    private static String md5Hex(byte[] body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ETags now, absent objects as null: the precondition for overwriting whatever is there. */
    public Versions currentVersions() {
        return new Versions(etag(Gallery.ENCODINGS).orElse(null), etag(Gallery.LABELS).orElse(null),
                etag(Gallery.INFO).orElse(null));
    }

    private Optional<ResponseBytes<GetObjectResponse>> get(String name) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + name)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    private Optional<String> etag(String name) {
        try {
            HeadObjectResponse h = s3.headObject(b -> b.bucket(bucket).key(prefix + name));
            return Optional.of(h.eTag());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
