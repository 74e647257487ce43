package io.facerec.recognizer.track;

import io.facerec.recognizer.metrics.RecognizerMetrics;
import io.facerec.recognizer.webhook.Jitter;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Adds a frame to its camera's tracks: one consistent read of the camera's item, the frame applied,
 * one conditional write when something changed. When another container wrote the item in between,
 * the frame is applied again to what it wrote (so no frame's faces are lost), a few times, then the
 * invocation fails and Lambda retries it. A frame applied before (a retried event) gets the outcome
 * recorded then, and writes nothing.
 */
public final class Tracker {
    private static final Logger LOG = LogManager.getLogger(Tracker.class);
    static final int ATTEMPTS = 8;

    private final TrackStore store;
    private final TrackSettings settings;
    private final Jitter jitter;

    /** {@code jitter}: the container's own (reseeded after a SnapStart restore), so conflicting writers part. */
    public Tracker(TrackStore store, TrackSettings settings, Jitter jitter) {
        this.store = store;
        this.settings = settings;
        this.jitter = jitter;
    }

    public TrackSettings settings() {
        return settings;
    }

    /** {@code bar}: the matcher's threshold, in its similarity units. */
    public CameraTracks.Outcome track(String cameraId, CameraTracks.Frame frame, double bar, RecognizerMetrics metrics) {
        for (int attempt = 1; ; attempt++) {
            TrackStore.Versioned v = store.read(cameraId);
            CameraTracks.Outcome out = v.tracks().apply(frame, settings, bar);
            if (!v.tracks().changed() || store.write(cameraId, v.tracks(), v.version())) {
                if (out.late()) {
                    metrics.count("LateFrames", 1);
                    LOG.info("frame {} of camera {} came more than {} s behind the camera's newest: its faces are "
                            + "decided on their own", frame.frameId(), cameraId, settings.late().toSeconds());
                }
                return out;
            }
            metrics.count("TrackWriteConflicts", 1);
            if (attempt >= ATTEMPTS) {
                throw new IllegalStateException("the tracks of camera " + cameraId + " changed under this frame "
                        + ATTEMPTS + " times");
            }
            try {
                Thread.sleep(5 + jitter.upTo(20L * attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while tracking", e);
            }
        }
    }
}
