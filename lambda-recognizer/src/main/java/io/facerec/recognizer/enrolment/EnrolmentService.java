package io.facerec.recognizer.enrolment;

import io.facerec.model.gallery.DescriptorFile;
import io.facerec.model.gallery.FloatMatrix;
import io.facerec.model.gallery.Gallery;
import io.facerec.model.gallery.GalleryFormatException;
import io.facerec.model.gallery.GalleryInfo;
import io.facerec.model.gallery.GalleryLayout;
import io.facerec.model.gallery.GalleryObjects;
import io.facerec.model.gallery.GallerySources;
import io.facerec.model.gallery.PersonNames;
import io.facerec.recognizer.engine.EmbeddingModel;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.engine.FrameAnalysis;
import io.facerec.recognizer.gallery.GalleryCache;
import io.facerec.recognizer.gallery.GalleryModel;
import io.facerec.recognizer.gallery.S3GallerySource;
import io.facerec.recognizer.image.ImageDecodeException;
import io.facerec.recognizer.results.ResultStore;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Enrolment in the cloud: any change under {@code enroll/<name>/} makes that person's rows of the
 * gallery the photos now in the folder, one row per photo with exactly one face; the other photos
 * are recorded with the reason. An emptied folder removes the person.
 *
 * <p>Concurrent enrolments (one S3 event per uploaded photo) all succeed and lose nothing: each one
 * reads the gallery, then lists the folder, and commits conditionally on the gallery it read; after a
 * conflict it reads and lists again. A commit therefore always rests on a listing newer than the one
 * behind the gallery it replaces. Each row records its photo's key and ETag, so a photo already in the
 * gallery is never embedded again, by a concurrent invocation or by a retry; this container also
 * keeps the embeddings it made. Near the invocation's deadline it stops embedding, commits what it
 * has, and fails retryably: the retry does the rest, not the whole folder again.
 *
 * <p>Rows are made with the gallery's model ({@link GalleryModel}), so old and new rows of a dlib
 * gallery live together. A descriptor file ({@link DescriptorFile}, the kiosk's face-api vector sent
 * to {@code POST /api/register}) becomes the person's row as it is in a dlib gallery; in a gallery
 * of another model it is skipped, left in place, and the person's status says so.
 */
public final class EnrolmentService {
    public static final String PREFIX = "enroll/";
    private static final Logger LOG = LogManager.getLogger(EnrolmentService.class);
    /** Time kept for reading, committing and recording after the last photo. */
    static final long COMMIT_RESERVE_MS = 2000;
    /** What one photo is assumed to take before this container has timed one. */
    static final long FIRST_PHOTO_ESTIMATE_MS = 2000;
    private static final int MAX_ATTEMPTS = 50;
    private static final int CACHED_PHOTOS = 4096;
    /** A descriptor file is about 3 KB (128 numbers); anything far larger is not one. */
    static final long MAX_DESCRIPTOR_BYTES = 64 * 1024;
    static final String SKIPPED_DESCRIPTOR = "skipped: dlib descriptor";

    private final S3Client s3;
    private final FaceEngine engine;
    private final S3GallerySource gallery;
    private final GalleryCache cache;
    private final ResultStore store;
    private final long maxPhotoBytes;
    private final Clock clock;
    private final Map<String, Embedded> embedded = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Embedded> eldest) {
            return size() > CACHED_PHOTOS;
        }
    });
    private volatile long slowestPhotoMs = -1;

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

    /** The folder a key is in: {@code enroll/<name>/<file>} gives the name as written, or empty. */
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

    /** What the rebuild did: the person's rows, each photo's outcome, how many photos it embedded. */
    public record Outcome(String name, int samples, Map<String, String> photos, int embedded) {
    }

    /** The deadline came before every photo was embedded; what was done is committed. */
    public static final class IncompleteException extends IllegalStateException {
        public IncompleteException(String message) {
            super(message);
        }
    }

    /** A photo's result: its row, or why it has none ({@code lasting}: recorded in the gallery). */
    record Embedded(String etag, float[] row, String refusal, boolean lasting) {
    }

    /**
     * Makes the person of {@code key}'s folder what the folder holds now. Photos are embedded until
     * {@code deadlineMillis} (this service's clock) draws near. Throws {@link GalleryFormatException}
     * when the name or the gallery cannot be used (a retry would not help), {@link IncompleteException}
     * (retryable) when the deadline came first.
     */
    public Outcome rebuild(String bucket, String key, long deadlineMillis) throws GalleryFormatException {
        String raw = personOf(key).orElseThrow(() -> new IllegalArgumentException(key + " is not under " + PREFIX));
        String name = PersonNames.normalise(raw);
        Optional<String> bad = PersonNames.problem(name);
        if (bad.isPresent()) {
            throw new GalleryFormatException(PREFIX + PersonNames.quoted(raw) + ": not enrolled, the name " + bad.get());
        }
        int made = 0;
        for (int attempt = 1; ; attempt++) {
            if (clock.millis() + COMMIT_RESERVE_MS > deadlineMillis) {
                throw new IncompleteException("enrolment of " + PersonNames.quoted(name) + " reached the invocation's "
                        + "deadline before it could write the gallery; the retry does it");
            }
            GalleryLayout.Snapshot base = gallery.read();
            if (base.top() != null && base.top().isPointer() && base.commit().isEmpty()) {
                // the commit the pointer names cannot be read: building on nothing would drop everyone
                if (attempt >= 3) {
                    throw new GalleryFormatException(String.join("; ", base.unreadable()));
                }
                pause(attempt, deadlineMillis);
                continue;
            }
            if (GalleryModel.undecided(base)) {
                // a copy of the old gallery in progress: enrolling now could pick the wrong model
                throw new IllegalStateException("enrolment of " + PersonNames.quoted(name) + " waits: the gallery's "
                        + "model cannot be told until the copied files can be read (" + String.join("; ", base.unreadable())
                        + ")");
            }
            EmbeddingModel model = GalleryModel.of(base);
            GalleryInfo info = infoFor(base, model);
            Gallery current = base.commit().map(GalleryLayout.Commit::gallery).orElse(Gallery.empty(model.dimension(), info));
            current.requireCompatible(model.modelId(), model.dimension(), gallery.location());
            GallerySources sources = base.commit().map(GalleryLayout.Commit::sources)
                    .orElse(GallerySources.empty(current.size()));
            // listed after the gallery was read: newer than the listing behind the commit it replaces
            List<S3Object> photos = listPhotos(bucket, name);
            Plan plan = plan(bucket, key, name, photos, current, sources, model, deadlineMillis);
            made += plan.embedded;
            long generation = base.commit().map(GalleryLayout.Commit::generation).orElse(0L);
            if (!plan.changed) {
                LOG.info("enrolment of {}: the gallery already holds the folder as listed", PersonNames.quoted(name));
            } else {
                try {
                    String folder = gallery.commit(new Gallery(plan.labels, FloatMatrix.ofRows(model.dimension(), plan.rows),
                            info), new GallerySources(plan.sources, plan.refused), base);
                    generation++;
                    LOG.info("enrolment of {} committed {}", PersonNames.quoted(name), folder);
                } catch (S3GallerySource.ConcurrentWriteException e) {
                    LOG.info("gallery changed under enrolment of {} (attempt {}): reading and listing again",
                            PersonNames.quoted(name), attempt);
                    if (attempt >= MAX_ATTEMPTS) {
                        throw new IllegalStateException("gallery write for " + PersonNames.quoted(name) + " kept "
                                + "conflicting with other writers after " + attempt + " attempts", e);
                    }
                    pause(attempt, deadlineMillis);
                    continue;
                }
            }
            store.putEnrolment(name, plan.status, plan.samples, clock.instant(), generation);
            cache.invalidate();
            LOG.info("enrolment of {}: {} samples, {} photos embedded here, {}", PersonNames.quoted(name), plan.samples,
                    made, plan.status);
            if (plan.pending > 0) {
                throw new IncompleteException("enrolment of " + PersonNames.quoted(name) + " reached the invocation's "
                        + "deadline with " + plan.pending + " photos to go; the " + plan.samples
                        + " done are in the gallery and the retry does the rest");
            }
            return new Outcome(name, plan.samples, plan.status, made);
        }
    }

    /** The person's rows and photos after this rebuild, and the rest of the gallery as it was. */
    private static final class Plan {
        final List<String> labels = new ArrayList<>();
        final List<float[]> rows = new ArrayList<>();
        final List<GallerySources.Row> sources = new ArrayList<>();
        final Map<String, GallerySources.Refusal> refused = new HashMap<>();
        final Map<String, String> status = new LinkedHashMap<>();
        int samples;
        int pending;
        int embedded;
        boolean changed;
    }

    private Plan plan(String bucket, String key, String name, List<S3Object> photos, Gallery current,
                      GallerySources sources, EmbeddingModel model, long deadlineMillis) {
        Plan p = new Plan();
        Map<String, Embedded> known = new HashMap<>(); // this person's photos as the gallery has them
        Set<String> before = new HashSet<>();
        for (int r = 0; r < current.size(); r++) {
            GallerySources.Row src = sources.rows().get(r);
            if (current.labels().get(r).equals(name) && belongsTo(src.photo(), name)) {
                known.put(src.photo(), new Embedded(src.etag(), current.embeddings().row(r), null, true));
                before.add(src.photo() + "\n" + src.etag());
            } else {
                p.labels.add(current.labels().get(r));
                p.rows.add(current.embeddings().row(r));
                p.sources.add(src);
            }
        }
        Map<String, GallerySources.Refusal> refusedBefore = new HashMap<>();
        sources.refused().forEach((photo, why) -> {
            if (belongsTo(photo, name)) {
                refusedBefore.put(photo, why);
                known.putIfAbsent(photo, new Embedded(why.etag(), null, why.reason(), true));
            } else {
                p.refused.put(photo, why);
            }
        });

        Map<String, Embedded> results = new HashMap<>();
        List<S3Object> todo = new ArrayList<>();
        for (S3Object o : photos) {
            String etag = GalleryObjects.tag(o.eTag());
            Embedded k = known.get(o.key());
            Embedded c = embedded.get(model + "\n" + o.key() + "\n" + etag); // a row of one model is no row of another
            boolean descriptor = DescriptorFile.isDescriptorFile(o.key());
            long cap = descriptor ? MAX_DESCRIPTOR_BYTES : maxPhotoBytes;
            if (descriptor && model != EmbeddingModel.DLIB) {
                // not read: the file waits in the folder for a dlib-compatible gallery
                results.put(o.key(), new Embedded(etag, null, SKIPPED_DESCRIPTOR + " (the gallery holds " + model.modelId()
                        + " vectors; it is used in a dlib-compatible gallery)", false));
            } else if (o.size() != null && o.size() > cap) {
                results.put(o.key(), new Embedded(etag, null, o.size() + " bytes, over the limit of " + cap, false));
            } else if (k != null && etag.equals(k.etag())) {
                results.put(o.key(), k);
            } else if (c != null) {
                results.put(o.key(), c);
            } else {
                todo.add(o);
            }
        }
        // this event's photo first, the rest in an order of this invocation's own, so that concurrent
        // invocations of one folder tend to embed different photos
        Collections.shuffle(todo, ThreadLocalRandom.current());
        todo.sort((a, b) -> Boolean.compare(!a.key().equals(key), !b.key().equals(key)));
        Set<String> pending = new HashSet<>();
        for (S3Object o : todo) {
            long estimate = slowestPhotoMs < 0 ? FIRST_PHOTO_ESTIMATE_MS : slowestPhotoMs;
            if (clock.millis() + estimate + COMMIT_RESERVE_MS > deadlineMillis) {
                pending.add(o.key());
                continue;
            }
            long t0 = clock.millis();
            Embedded e = embed(bucket, o.key(), model);
            slowestPhotoMs = Math.max(slowestPhotoMs, clock.millis() - t0);
            if (e == null) {
                continue; // deleted since the listing
            }
            p.embedded++;
            if (e.lasting()) {
                embedded.put(model + "\n" + o.key() + "\n" + e.etag(), e);
            }
            results.put(o.key(), e);
        }

        Set<String> after = new HashSet<>();
        Map<String, GallerySources.Refusal> refusedAfter = new HashMap<>();
        for (S3Object o : photos) {
            String shown = shownName(o.key(), name);
            Embedded e = results.get(o.key());
            if (e == null) {
                if (pending.contains(o.key())) {
                    p.status.put(shown, "pending: the invocation's deadline came first; the retry enrols it");
                }
            } else if (e.row() != null) {
                p.labels.add(name);
                p.rows.add(e.row());
                p.sources.add(new GallerySources.Row(o.key(), e.etag()));
                after.add(o.key() + "\n" + e.etag());
                p.samples++;
                p.status.put(shown, "enrolled");
            } else if (e.refusal().startsWith(SKIPPED_DESCRIPTOR)) {
                p.status.put(shown, e.refusal());
            } else {
                p.status.put(shown, "refused: " + e.refusal());
                if (e.lasting()) {
                    refusedAfter.put(o.key(), new GallerySources.Refusal(e.etag(), e.refusal()));
                }
            }
        }
        p.pending = pending.size();
        p.refused.putAll(refusedAfter);
        p.changed = !after.equals(before) || !refusedAfter.equals(refusedBefore);
        return p;
    }

    /**
     * One photo fetched (with the size cap checked before its body is read) and embedded with
     * {@code model}, or one descriptor file read as its row; null if gone.
     */
    private Embedded embed(String bucket, String key, EmbeddingModel model) {
        boolean descriptor = DescriptorFile.isDescriptorFile(key);
        long maxPhotoBytes = descriptor ? MAX_DESCRIPTOR_BYTES : this.maxPhotoBytes;
        byte[] bytes;
        String etag;
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            etag = GalleryObjects.tag(in.response().eTag());
            Long length = in.response().contentLength();
            if (length != null && length > maxPhotoBytes) {
                in.abort();
                return new Embedded(etag, null, length + " bytes, over the limit of " + maxPhotoBytes, false);
            }
            bytes = S3GallerySource.readAtMost(in, maxPhotoBytes);
            if (bytes == null) {
                in.abort();
                return new Embedded(etag, null, "over the limit of " + maxPhotoBytes + " bytes", false);
            }
        } catch (NoSuchKeyException e) {
            return null;
        } catch (IOException e) {
            throw SdkClientException.create("reading s3://" + bucket + "/" + key + " failed", e);
        }
        if (descriptor) {
            return descriptorRow(etag, bytes);
        }
        try {
            FrameAnalysis a = engine.analyze(bytes, key, EnumSet.of(model));
            if (a.faces().size() == 1) {
                return new Embedded(etag, model.vectorOf(a.faces().get(0)), null, true);
            }
            return new Embedded(etag, null, a.faces().isEmpty() ? "no face found"
                    : a.faces().size() + " faces found, need exactly one", true);
        } catch (ImageDecodeException e) {
            return new Embedded(etag, null, e.getMessage().substring(key.length() + 2), true);
        }
    }

    /** A descriptor file's numbers, as they are (no re-embedding), or why they cannot be a dlib row. */
    private static Embedded descriptorRow(String etag, byte[] json) {
        try {
            DescriptorFile d = DescriptorFile.fromJson(json);
            if (!DescriptorFile.DLIB_MODEL.equals(d.model()) || d.dimension() != DescriptorFile.DLIB_DIMENSION) {
                return new Embedded(etag, null, "descriptor file holds model " + d.model() + " (" + d.dimension()
                        + " numbers), not " + DescriptorFile.DLIB_MODEL + " (" + DescriptorFile.DLIB_DIMENSION + ")", true);
            }
            return new Embedded(etag, d.toFloats(), null, true);
        } catch (IllegalArgumentException e) {
            return new Embedded(etag, null, e.getMessage(), true);
        }
    }

    /**
     * The photos of every folder whose name is {@code name} in NFC: "José" typed composed and
     * decomposed are two folders in S3 and one person here.
     */
    private List<S3Object> listPhotos(String bucket, String name) {
        List<S3Object> out = new ArrayList<>();
        // URL-encoded listings (the SDK decodes them): a key XML 1.0 cannot carry, such as a folder name with
        // a control character, would otherwise make the listing unreadable and stop every enrolment
        for (CommonPrefix folder : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(PREFIX).delimiter("/")
                .encodingType(EncodingType.URL)).commonPrefixes()) {
            String raw = folder.prefix().substring(PREFIX.length(), folder.prefix().length() - 1);
            if (!PersonNames.normalise(raw).equals(name)) {
                continue;
            }
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(folder.prefix())
                    .encodingType(EncodingType.URL)).contents()) {
                String file = o.key().substring(folder.prefix().length());
                if (isPhoto(file) || (!file.contains("/") && DescriptorFile.isDescriptorFile(file))) {
                    out.add(o);
                }
            }
        }
        out.sort((a, b) -> a.key().compareTo(b.key()));
        return out;
    }

    private static boolean belongsTo(String photo, String name) {
        return photo != null && personOf(photo).map(PersonNames::normalise).filter(name::equals).isPresent();
    }

    /** The photo as the status shows it: its file name, with its folder when that is another form of the name. */
    private static String shownName(String key, String name) {
        String folder = personOf(key).orElseThrow();
        String file = key.substring(PREFIX.length() + folder.length() + 1);
        return folder.equals(name) ? file : folder + "/" + file;
    }

    /** The model fields of the next commit; a threshold set in gallery.json (for that metric) carries over. */
    private GalleryInfo infoFor(GalleryLayout.Snapshot base, EmbeddingModel model) throws GalleryFormatException {
        GalleryInfo top = base.top();
        if (top != null && !top.isPointer() && (top.modelId() != null && !top.modelId().equals(model.modelId())
                || top.dimension() != null && top.dimension() != model.dimension())) {
            throw new GalleryFormatException(gallery.location() + "/" + GalleryLayout.POINTER + " describes a gallery of "
                    + "model " + top.modelId() + " (" + top.dimension() + " numbers), copied in; enrolment with "
                    + model.modelId() + " would replace it. Move it aside (with the encodings.npy and labels.json it "
                    + "describes) to enrol");
        }
        Double threshold = GalleryModel.thresholdOf(top, model);
        if (threshold == null) {
            threshold = base.commit().map(c -> GalleryModel.thresholdOf(c.gallery().info(), model)).orElse(null);
        }
        return new GalleryInfo(model.modelId(), model.dimension(), model.metric().id(), threshold);
    }

    static boolean isPhoto(String file) {
        String f = file.toLowerCase(Locale.ROOT);
        return !f.contains("/") && (f.endsWith(".jpg") || f.endsWith(".jpeg") || f.endsWith(".png"));
    }

    /** Backs off after a conflict, never past the time kept for committing. */
    private void pause(int attempt, long deadlineMillis) {
        long cap = Math.min(1000, 50L << Math.min(attempt, 5));
        long room = deadlineMillis - COMMIT_RESERVE_MS - clock.millis();
        long ms = Math.min(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1), Math.max(0, room));
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
