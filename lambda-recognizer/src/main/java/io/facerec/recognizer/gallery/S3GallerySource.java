package io.facerec.recognizer.gallery;

import io.facerec.model.gallery.Gallery;
import io.facerec.model.gallery.GalleryFormatException;
import io.facerec.model.gallery.GalleryInfo;
import io.facerec.model.gallery.GalleryLayout;
import io.facerec.model.gallery.GalleryObjects;
import io.facerec.model.gallery.GallerySources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The gallery under {@code s3://bucket/prefix}, kept as {@link GalleryLayout} says: read with a size
 * cap on every object, and committed by writing a new commit folder and then replacing the pointer
 * with one conditional put, so two writers can never both win and a reader never sees half a write.
 */
public final class S3GallerySource implements GalleryObjects {
    private static final Logger LOG = LogManager.getLogger(S3GallerySource.class);
    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final long maxBytes;

    public S3GallerySource(S3Client s3, String bucket, String prefix, long maxBytes) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.maxBytes = maxBytes;
    }

    @Override
    public String location() {
        return "s3://" + bucket + "/" + (prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
    }

    /** The whole gallery as it is now; S3 failures are {@link software.amazon.awssdk.core.exception.SdkException}s. */
    public GalleryLayout.Snapshot read() {
        try {
            return GalleryLayout.read(this, maxBytes);
        } catch (IOException e) {
            throw SdkClientException.create("reading " + location() + " failed: " + e.getMessage(), e);
        }
    }

    /** The top objects' ETags: one listing call, to tell whether anything changed since a read. */
    public GalleryLayout.Versions versions() {
        List<Entry> top = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).delimiter("/")
                .encodingType(EncodingType.URL)).contents()) {
            top.add(entry(o));
        }
        return GalleryLayout.Versions.of(top);
    }

    @Override
    public Optional<Blob> get(String name, long max) throws GalleryFormatException {
        String key = prefix + name;
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            Long length = in.response().contentLength();
            if (length != null && length > max) {
                in.abort(); // the body is never read
                throw tooLarge(name, length, max);
            }
            byte[] bytes = readAtMost(in, max);
            if (bytes == null) {
                in.abort();
                throw tooLarge(name, max + 1, max);
            }
            return Optional.of(new Blob(bytes, in.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            if (e instanceof GalleryFormatException g) {
                throw g;
            }
            throw SdkClientException.create("reading " + location() + "/" + name + " failed", e);
        }
    }

    private GalleryFormatException tooLarge(String name, long size, long max) {
        return new GalleryFormatException(location() + "/" + name + ": " + (size > max + 1 ? size + " bytes" : "more than "
                + max + " bytes") + ", over the limit of " + max + (max == maxBytes ? " (MAX_GALLERY_BYTES)" : ""));
    }

    /** Up to {@code max} bytes of the stream, or null when it holds more. */
    public static byte[] readAtMost(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > max) {
                return null;
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    @Override
    public List<Entry> list(String p) {
        List<Entry> out = new ArrayList<>();
        // URL-encoded (the SDK decodes it): any key a user puts here stays listable
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + p)
                .encodingType(EncodingType.URL)).contents()) {
            out.add(entry(o));
        }
        return out;
    }

    private Entry entry(S3Object o) {
        return new Entry(o.key().substring(prefix.length()), o.eTag(), o.size() == null ? 0 : o.size(), o.lastModified());
    }

    /** Another writer replaced the pointer since {@code base} was read. */
    public static final class ConcurrentWriteException extends Exception {
        public ConcurrentWriteException(String message) {
            super(message);
        }
    }

    /**
     * Commits {@code g} (its info: the model fields) with its rows' origins as the successor of
     * {@code base}: the commit's files first, under a folder no other commit can have, then the pointer,
     * conditional on the ETag {@code base} read (or on there being none). Then the folder the pointer
     * named before is removed, with what dead writers left behind. Returns the new commit's folder.
     */
    public String commit(Gallery g, GallerySources sources, GalleryLayout.Snapshot base) throws ConcurrentWriteException {
        long generation = base.commit().map(c -> c.generation() + 1).orElse(1L);
        GalleryLayout.EncodedCommit c = GalleryLayout.encodeCommit(g, sources, generation, base.pointerEtag());
        for (Map.Entry<String, byte[]> f : c.files().entrySet()) {
            s3.putObject(b -> b.bucket(bucket).key(prefix + f.getKey()).contentType(type(f.getKey())),
                    RequestBody.fromBytes(f.getValue()));
        }
        PutObjectRequest.Builder pointer = PutObjectRequest.builder().bucket(bucket).key(prefix + GalleryLayout.POINTER)
                .contentType("application/json");
        if (base.pointerEtag() == null) {
            pointer.ifNoneMatch("*");
        } else {
            pointer.ifMatch("\"" + base.pointerEtag() + "\"");
        }
        try {
            s3.putObject(pointer.build(), RequestBody.fromBytes(c.pointer()));
        } catch (S3Exception e) {
            if (e.statusCode() != 412 && e.statusCode() != 409) {
                throw e;
            }
            // a retried put that had landed, or a writer that made this very commit: it is in, either way
            if (!c.folder().equals(currentCommitFolder())) {
                delete(c.files().keySet());
                throw new ConcurrentWriteException(location() + "/" + GalleryLayout.POINTER + " changed since it was read");
            }
        }
        collectGarbage(c.folder(), base.commit().map(GalleryLayout.Commit::folder).orElse(null));
        return c.folder();
    }

    private String currentCommitFolder() {
        try {
            Optional<Blob> p = get(GalleryLayout.POINTER, GalleryLayout.MAX_POINTER_BYTES);
            if (p.isEmpty()) {
                return null;
            }
            GalleryInfo info = GalleryInfo.decode(p.get().bytes(), location() + "/" + GalleryLayout.POINTER);
            return info.commit();
        } catch (GalleryFormatException e) {
            return null;
        }
    }

    /**
     * Removes the commit the pointer named before (no later commit can name its folder) and any other
     * folder older than the new commit's files: those were left by writers that died or lost, and since
     * a commit's folder depends on the pointer it replaces, none of them can be committed any more.
     */
    private void collectGarbage(String current, String replaced) {
        try {
            List<Entry> all = list(GalleryLayout.COMMITS);
            java.time.Instant ours = all.stream().filter(e -> e.name().startsWith(current) && e.lastModified() != null)
                    .map(Entry::lastModified).min(java.time.Instant::compareTo).orElse(java.time.Instant.MIN);
            List<String> dead = new ArrayList<>();
            for (Entry e : all) {
                if (e.name().startsWith(current)) {
                    continue;
                }
                if ((replaced != null && e.name().startsWith(replaced))
                        || (e.lastModified() != null && e.lastModified().isBefore(ours))) {
                    dead.add(e.name());
                }
            }
            delete(dead);
        } catch (RuntimeException e) {
            // the commit is in; what is left is removed by the next one
            LOG.warn("removing old commits under {} failed: {}", location(), e.toString());
        }
    }

    private void delete(java.util.Collection<String> names) {
        for (String n : names) {
            s3.deleteObject(b -> b.bucket(bucket).key(prefix + n));
        }
    }

    private static String type(String name) {
        return name.endsWith(".npy") ? "application/octet-stream" : "application/json";
    }
}
