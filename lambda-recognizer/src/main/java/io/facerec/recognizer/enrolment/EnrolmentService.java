package io.facerec.recognizer.enrolment;

import io.facerec.model.gallery.Gallery;
import io.facerec.model.gallery.GalleryFormatException;
import io.facerec.model.gallery.GalleryInfo;
import io.facerec.model.gallery.TornGalleryException;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.engine.FrameAnalysis;
import io.facerec.recognizer.gallery.GalleryCache;
import io.facerec.recognizer.gallery.S3GallerySource;
import io.facerec.recognizer.image.ImageDecodeException;
import io.facerec.recognizer.results.ResultStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Enrolment in the cloud: any change under {@code enroll/<name>/} rebuilds that person's rows of the
 * gallery from the photos now in the folder (one face per photo; refused photos are recorded with the
 * reason). An emptied folder removes the person. The gallery write is conditional on the ETags read,
 * and retried from a fresh read when another enrolment got there first, so none is lost.
 */
public final class EnrolmentService {
    public static final String PREFIX = "enroll/";
    private static final Logger LOG = LogManager.getLogger(EnrolmentService.class);
    private static final int MAX_WRITE_ATTEMPTS = 8;
    private static final int TORN_READS_BEFORE_REBUILD = 3;

    private final S3Client s3;
    private final FaceEngine engine;
    private final S3GallerySource gallery;
    private final GalleryCache cache;
    private final ResultStore store;
    private final long maxPhotoBytes;
    private final Clock clock;

    public EnrolmentService(S3Client s3, FaceEngine engine, S3GallerySource gallery, GalleryCache cache,
                            ResultStore store, long maxPhotoBytes, Clock clock) {
        this.s3 = s3;
        this.engine = engine;
        this.gallery = gallery;
        this.cache = cache;
        this.store = store;
        this.maxPhotoBytes = maxPhotoBytes;
        this.clock = clock;
    }

    /** The person a key belongs to: {@code enroll/<name>/<file>}, or empty for anything else. */
    public static Optional<String> personOf(String key) {
        if (!key.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = key.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(rest.substring(0, slash));
    }

    /** What the rebuild did. */
    public record Outcome(String name, int samples, Map<String, String> photos) {
    }

    public Outcome rebuild(String bucket, String name) throws GalleryFormatException {
        Map<String, String> photos = new LinkedHashMap<>();
        List<float[]> rows = embedFolder(bucket, name, photos);
        writeRows(bucket, name, rows);
        store.putEnrolment(name, photos, rows.size(), clock.instant());
        cache.invalidate();
        LOG.info("enrolment of {}: {} samples from {} photos {}", name, rows.size(), photos.size(), photos);
        return new Outcome(name, rows.size(), photos);
    }

    /** One row per photo of {@code enroll/<name>/} with exactly one face; {@code photos} gets each outcome. */
    private List<float[]> embedFolder(String bucket, String name, Map<String, String> photos) {
        List<float[]> rows = new ArrayList<>();
        String folder = PREFIX + name + "/";
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(folder)).contents()) {
            String file = o.key().substring(folder.length());
            if (!isPhoto(file)) {
                continue;
            }
            if (o.size() > maxPhotoBytes) {
                photos.put(file, "refused: " + o.size() + " bytes, over the limit of " + maxPhotoBytes);
                continue;
            }
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArrayUnsafe();
            try {
                FrameAnalysis a = engine.analyze(bytes, o.key());
                if (a.faces().size() == 1) {
                    rows.add(a.faces().get(0).embedding());
                    photos.put(file, "enrolled");
                } else {
                    photos.put(file, "refused: " + (a.faces().isEmpty() ? "no face found"
                            : a.faces().size() + " faces found, need exactly one"));
                }
            } catch (ImageDecodeException e) {
                photos.put(file, "refused: " + e.getMessage().substring(o.key().length() + 2));
            }
        }
        return rows;
    }

    private void writeRows(String bucket, String name, List<float[]> rows) throws GalleryFormatException {
        GalleryInfo info = new GalleryInfo(engine.modelId(), engine.dimension(), GalleryInfo.COSINE, null);
        int torn = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                Gallery next;
                S3GallerySource.Versions expected;
                if (torn < TORN_READS_BEFORE_REBUILD) {
                    S3GallerySource.Snapshot snap = gallery.read(true, engine.dimension(), info);
                    snap.gallery().requireCompatible(engine.modelId(), engine.dimension(), gallery.location());
                    Gallery current = snap.gallery().info() == null
                            ? new Gallery(snap.gallery().labels(), snap.gallery().embeddings(), info) : snap.gallery();
                    next = current.replacePerson(name, rows);
                    expected = snap.versions();
                } else {
                    // a writer died half-way: the photos under enroll/ are the truth, rebuild from them all
                    LOG.warn("gallery at {} stays torn; rebuilding it from every folder under {}", gallery.location(), PREFIX);
                    expected = gallery.currentVersions();
                    next = rebuildAll(bucket, name, rows, info);
                }
                gallery.write(next, expected);
                return;
            } catch (TornGalleryException e) {
                torn++;
                retryOrGiveUp(name, attempt, e);
            } catch (S3GallerySource.ConcurrentWriteException e) {
                retryOrGiveUp(name, attempt, e);
            }
        }
    }

    private void retryOrGiveUp(String name, int attempt, Exception e) {
        if (attempt >= MAX_WRITE_ATTEMPTS) {
            throw new IllegalStateException("gallery write for " + name + " kept conflicting with other "
                    + "writers after " + attempt + " attempts: " + e.getMessage(), e);
        }
        LOG.info("gallery changed under enrolment of {} (attempt {}): {}; retrying", name, attempt, e.getMessage());
        sleep(Math.min(2000, 50L << attempt));
    }

    private Gallery rebuildAll(String bucket, String name, List<float[]> rows, GalleryInfo info) {
        Gallery g = Gallery.empty(engine.dimension(), info);
        for (var p : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(PREFIX).delimiter("/")).commonPrefixes()) {
            String person = p.prefix().substring(PREFIX.length(), p.prefix().length() - 1);
            if (!person.equals(name)) {
                g = g.replacePerson(person, embedFolder(bucket, person, new LinkedHashMap<>()));
            }
        }
        return g.replacePerson(name, rows);
    }

    static boolean isPhoto(String file) {
        String f = file.toLowerCase(Locale.ROOT);
        return !f.contains("/") && (f.endsWith(".jpg") || f.endsWith(".jpeg") || f.endsWith(".png"));
    }

    private static void sleep(long capMillis) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(capMillis / 2, capMillis + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
