package io.facerec.recognizer.gallery;

import io.facerec.model.gallery.GalleryFormatException;
import io.facerec.model.match.FaceMatcher;
import io.facerec.recognizer.config.RecognizerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The gallery as the recognizer uses it: loaded at init, checked for a new version (two HEADs) at
 * most every {@code GALLERY_REFRESH_S}, reloaded when an ETag changed. A gallery that becomes
 * unusable does not replace a good one; a container that never had a good one reports the problem
 * with every frame, and logs it once per check.
 */
public final class GalleryCache {
    private static final Logger LOG = LogManager.getLogger(GalleryCache.class);

    /** A usable matcher, or the reason there is none. */
    public record State(Optional<FaceMatcher> matcher, Optional<String> problem, int people, int samples) {
    }

    private final S3GallerySource source;
    private final String modelId;
    private final int dimension;
    private final RecognizerConfig config;
    private final Duration refresh;
    private final Clock clock;
    private Instant lastCheck = Instant.MIN;
    private S3GallerySource.Versions loaded;
    private FaceMatcher matcher;
    private String problem = "gallery not loaded yet";

    public GalleryCache(S3GallerySource source, String modelId, int dimension, RecognizerConfig config, Clock clock) {
        this.source = source;
        this.modelId = modelId;
        this.dimension = dimension;
        this.config = config;
        this.refresh = config.galleryRefresh();
        this.clock = clock;
    }

    public synchronized State current() {
        Instant now = clock.instant();
        if (lastCheck == Instant.MIN || !now.isBefore(lastCheck.plus(refresh))) {
            lastCheck = now;
            check();
        }
        return new State(Optional.ofNullable(matcher), matcher == null ? Optional.of(problem) : Optional.empty(),
                matcher == null ? 0 : matcher.people().size(), matcher == null ? 0 : matcher.size());
    }

    /** Forces the next {@link #current()} to check S3 (after an enrolment in this container). */
    public synchronized void invalidate() {
        lastCheck = Instant.MIN;
    }

    private void check() {
        try {
            Optional<S3GallerySource.Versions> head = source.head();
            if (head.isPresent() && matcher != null && sameData(head.get(), loaded)) {
                return;
            }
            S3GallerySource.Snapshot snap = source.read(false, dimension, null);
            snap.gallery().requireCompatible(modelId, dimension, source.location());
            double threshold = config.thresholdFor(snap.gallery().info() == null ? null : snap.gallery().info().threshold());
            matcher = new FaceMatcher(snap.gallery(), threshold);
            loaded = snap.versions();
            problem = null;
            LOG.info("gallery loaded from {}: {} samples of {} people, threshold {}", source.location(),
                    matcher.size(), matcher.people().size(), threshold);
        } catch (GalleryFormatException e) {
            if (matcher == null) {
                problem = e.getMessage();
                LOG.warn("gallery unusable, faces will be recorded unmatched: {}", e.getMessage());
            } else {
                LOG.warn("new gallery version unusable, keeping the previous one: {}", e.getMessage());
            }
        } catch (RuntimeException e) {
            // S3 unreachable: keep what we have; with nothing, say so
            if (matcher == null) {
                problem = "gallery could not be read from " + source.location() + ": " + e.getClass().getSimpleName();
            }
            LOG.warn("gallery check failed: {}", e.toString());
        }
    }

    private static boolean sameData(S3GallerySource.Versions now, S3GallerySource.Versions then) {
        return then != null && Objects.equals(now.encodings(), then.encodings())
                && Objects.equals(now.labels(), then.labels()) && Objects.equals(now.info(), then.info());
    }
}
