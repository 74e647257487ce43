package io.facerec.localstack;

import io.facerec.model.gallery.GalleryFormatException;
import io.facerec.model.gallery.GalleryLayout;
import io.facerec.model.gallery.GalleryObjects;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The local bucket's gallery prefix as {@link GalleryObjects}, for the page to show who is in the gallery. */
final class S3GalleryObjects implements GalleryObjects {
    /** The page reads what the local recognizer wrote; this only keeps a stray file from filling memory. */
    static final long MAX_BYTES = 256L * 1024 * 1024;
    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    S3GalleryObjects(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    /** The labels of the gallery the recognizer matches against (model not checked), empty when there is none. */
    static List<String> labels(S3Client s3, String bucket, String prefix) throws java.io.IOException {
        return GalleryLayout.read(new S3GalleryObjects(s3, bucket, prefix), MAX_BYTES).combine(null, 0).gallery()
                .map(g -> g.labels()).orElse(List.of());
    }

    @Override
    public String location() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public Optional<Blob> get(String name, long maxBytes) throws GalleryFormatException {
        try {
            ResponseBytes<GetObjectResponse> b = s3.getObjectAsBytes(r -> r.bucket(bucket).key(prefix + name));
            if (b.response().contentLength() != null && b.response().contentLength() > maxBytes) {
                throw new GalleryFormatException(location() + name + ": over " + maxBytes + " bytes");
            }
            return Optional.of(new Blob(b.asByteArrayUnsafe(), b.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<Entry> list(String p) {
        List<Entry> out = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + p)
                .encodingType(EncodingType.URL)).contents()) {
            out.add(new Entry(o.key().substring(prefix.length()), o.eTag(), o.size(), o.lastModified()));
        }
        return out;
    }
}
