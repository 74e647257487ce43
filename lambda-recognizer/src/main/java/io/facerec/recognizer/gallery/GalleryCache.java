package io.facerec.recognizer.gallery;

import io.facerec.model.gallery.Gallery;
import io.facerec.model.gallery.GalleryLayout;
import io.facerec.model.match.FaceMatcher;
import io.facerec.recognizer.config.RecognizerConfig;
import io.facerec.recognizer.engine.EmbeddingModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The gallery as the recognizer uses it: loaded at init, checked for a new version (one listing of
 * the prefix) at most every {@code GALLERY_REFRESH_S}, read again when an ETag changed. A version that
 * cannot be read now (a file mid-upload, too large, malformed) does not replace a good gallery, and is
 * not read again until it changes; a container that never had a good one reports the problem with
 * every frame. Problems that leave the gallery usable (a row left out, a copied gallery of another
 * model) are reported with every frame too, so nothing the user put there is ignored in silence.
 * The gallery says which model's vectors it holds ({@link GalleryModel}): frames are embedded and
 * matched with that model, by its metric.
 */
public final class GalleryCache {
    private static final Logger LOG = LogManager.getLogger(GalleryCache.class);

    /** A usable matcher (of {@code model}'s vectors), or none; and what is wrong, if anything. */
    public record State(Optional<FaceMatcher> matcher, Optional<String> problem, int people, int samples,
                        EmbeddingModel model) {
    }

    private final S3GallerySource source;
    private final RecognizerConfig config;
    private final Duration refresh;
    private final Clock clock;
    private Instant lastCheck = Instant.MIN;
    private GalleryLayout.Versions loaded;
    private GalleryLayout.Versions failed;
    private FaceMatcher matcher;
    private EmbeddingModel model = EmbeddingModel.DEFAULT;
    private String problem = "gallery not loaded yet";

    public GalleryCache(S3GallerySource source, RecognizerConfig config, Clock clock) {
        this.source = source;
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
        return new State(Optional.ofNullable(matcher), Optional.ofNullable(problem),
                matcher == null ? 0 : matcher.people().size(), matcher == null ? 0 : matcher.size(), model);
    }

    /** Forces the next {@link #current()} to check S3 (after an enrolment in this container). */
    public synchronized void invalidate() {
        lastCheck = Instant.MIN;
    }

    private void check() {
        try {
            GalleryLayout.Versions now = source.versions();
            if ((matcher != null && now.equals(loaded)) || now.equals(failed)) {
                return;
            }
            GalleryLayout.Snapshot snap = source.read();
            EmbeddingModel m = GalleryModel.of(snap);
            GalleryLayout.Combined c = snap.combine(m.modelId(), m.dimension());
            String problems = c.problems().isEmpty() ? null : String.join("; ", c.problems());
            if (matcher != null && (!snap.unreadable().isEmpty() || c.gallery().isEmpty())) {
                failed = snap.versions();
                problem = problems + "; matching against the gallery read before";
                LOG.warn("new gallery version not usable now, keeping the previous one: {}", problems);
                return;
            }
            if (c.gallery().isEmpty()) {
                failed = snap.versions();
                problem = problems;
                model = m;
                LOG.warn("gallery unusable, faces will be recorded unmatched: {}", problems);
                return;
            }
            Gallery g = c.gallery().get();
            RecognizerConfig.Threshold t = config.thresholdFor(m, GalleryModel.thresholdOf(g.info(), m));
            double threshold = t.value();
            matcher = new FaceMatcher(g, m.metric(), threshold);
            model = m;
            loaded = snap.versions();
            failed = null;
            if (t.problem().isPresent()) {
                problems = problems == null ? t.problem().get() : problems + "; " + t.problem().get();
            }
            problem = problems;
            if (problems != null) {
                LOG.warn("gallery loaded with problems: {}", problems);
            }
            LOG.info("gallery loaded from {}: {} samples of {} people ({} enrolled, commit {}), model {}, {} threshold {}",
                    source.location(), matcher.size(), matcher.people().size(),
                    snap.commit().map(x -> x.gallery().size()).orElse(0),
                    snap.commit().map(GalleryLayout.Commit::folder).orElse("none"), m.modelId(), m.metric().id(),
                    threshold);
        } catch (RuntimeException e) {
            // S3 unreachable: keep what we have; with nothing, say so
            if (matcher == null) {
                problem = "gallery could not be read from " + source.location() + ": " + e.getClass().getSimpleName();
            }
            LOG.warn("gallery check failed: {}", e.toString());
        }
    }
}
