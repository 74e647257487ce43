package io.facerec.archiver.store;

import io.facerec.model.frame.BundleKey;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The archive in S3: one LIST per day or hour, GET for indexes, HEAD, RestoreObject, ranged GET. */
public final class S3ArchiveStore implements ArchiveStore {
    private static final Comparator<BundleKey> ORDER = Comparator.comparing(BundleKey::hour).thenComparingInt(BundleKey::part);
    private final S3Client s3;
    private final String bucket;

    public S3ArchiveStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public List<StoredPart> partsOfDay(String cameraId, LocalDate day) {
        BundleKey any = new BundleKey(cameraId, day.atStartOfDay(ZoneOffset.UTC).toInstant(), 0);
        return list(any.dayPrefix());
    }

    @Override
    public List<StoredPart> partsOfHour(BundleKey hour) {
        return list(hour.hourPrefix());
    }

    private List<StoredPart> list(String prefix) {
        Map<BundleKey, S3Object> tars = new TreeMap<>(ORDER);
        Set<BundleKey> indexes = new TreeSet<>(ORDER);
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            BundleKey.parse(o.key()).ifPresent(k -> {
                if (BundleKey.isTar(o.key())) {
                    tars.put(k, o);
                } else {
                    indexes.add(k);
                }
            });
        }
        Set<BundleKey> parts = new TreeSet<>(ORDER);
        parts.addAll(tars.keySet());
        parts.addAll(indexes);
        List<StoredPart> out = new ArrayList<>();
        for (BundleKey k : parts) {
            S3Object tar = tars.get(k);
            out.add(new StoredPart(k, tar != null, indexes.contains(k), tar == null ? 0 : tar.size(),
                    tar == null ? null : tar.storageClassAsString()));
        }
        return out;
    }

    @Override
    public byte[] indexBytes(BundleKey part) throws IOException {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(part.indexKey())).asByteArrayUnsafe();
        } catch (NoSuchKeyException e) {
            throw new IOException(part.indexKey() + " is missing", e);
        }
    }

    @Override
    public BundleState state(BundleKey part) throws IOException {
        try {
            var h = s3.headObject(b -> b.bucket(bucket).key(part.tarKey()));
            return BundleState.of(h.storageClassAsString(), h.restore(), h.contentLength());
        } catch (NoSuchKeyException e) {
            throw new IOException(part.tarKey() + " is missing", e);
        }
    }

    @Override
    public RestoreRequest requestRestore(BundleKey part, int days, String tier) {
        try {
            s3.restoreObject(b -> b.bucket(bucket).key(part.tarKey())
                    .restoreRequest(r -> r.days(days).glacierJobParameters(g -> g.tier(tier))));
            return RestoreRequest.STARTED;
        } catch (S3Exception e) {
            if (e.statusCode() == 409) {
                return RestoreRequest.ALREADY_IN_PROGRESS;
            }
            if (e.statusCode() == 501) {
                return RestoreRequest.NOT_SUPPORTED;
            }
            throw e;
        }
    }

    @Override
    public byte[] read(BundleKey part, long offset, long length) throws IOException {
        if (length == 0) {
            return new byte[0];
        }
        byte[] b = s3.getObjectAsBytes(r -> r.bucket(bucket).key(part.tarKey())
                .range("bytes=" + offset + "-" + (offset + length - 1))).asByteArrayUnsafe();
        if (b.length != length) {
            throw new IOException(part.tarKey() + ": asked for " + length + " bytes at " + offset + ", got " + b.length);
        }
        return b;
    }
}
