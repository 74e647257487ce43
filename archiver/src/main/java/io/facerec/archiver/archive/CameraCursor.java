package io.facerec.archiver.archive;

import io.facerec.model.frame.BundleKey;
import io.facerec.model.frame.FrameKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Walks one camera's {@code frames/<camera>/} listing, oldest first, an hour at a time. Keys sort by
 * capture time: the date folders have fixed width and, within a day, the epoch milliseconds have the
 * same number of digits (13, from 2001 to 2286). The walk stops at the first frame whose hour is
 * still hot, so a caught-up camera costs a LIST page or two per run, however many days it keeps.
 */
final class CameraCursor {
    private final String camera;
    private final Instant cutoff;
    private final Iterator<S3Object> listing;
    private ListedFrame peeked;
    private int skipped;

    /** Hours that ended at or before {@code cutoff} are ready to archive. */
    CameraCursor(S3Client s3, String bucket, String camera, Instant cutoff) {
        this.camera = camera;
        this.cutoff = cutoff;
        this.listing = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(FrameKey.PREFIX + camera + "/"))
                .contents().iterator();
    }

    String camera() {
        return camera;
    }

    /** The next hour ready to archive, with its frames in capture order. */
    Optional<HourGroup> next() {
        ListedFrame first = peek();
        if (first == null || BundleKey.of(first.key()).hourEnd().isAfter(cutoff)) {
            return Optional.empty();
        }
        BundleKey hour = BundleKey.of(first.key());
        List<ListedFrame> frames = new ArrayList<>();
        while (peek() != null && hour.holdsHourOf(peek().key())) {
            frames.add(peeked);
            peeked = null;
        }
        return Optional.of(new HourGroup(hour, frames));
    }

    /** Capture time of the oldest frame not handed out yet. */
    Optional<Instant> oldestLeft() {
        ListedFrame f = peek();
        return f == null ? Optional.empty() : Optional.of(f.key().captureTime());
    }

    /** Keys under the camera's folder that are not frame keys: never archived, never deleted. */
    int skipped() {
        return skipped;
    }

    private ListedFrame peek() {
        while (peeked == null && listing.hasNext()) {
            S3Object o = listing.next();
            Optional<FrameKey> k = FrameKey.parse(o.key()).filter(f -> f.cameraId().equals(camera));
            if (k.isPresent()) {
                peeked = new ListedFrame(k.get(), o.key(), o.size(), o.eTag());
            } else {
                skipped++;
            }
        }
        return peeked;
    }

    record HourGroup(BundleKey hour, List<ListedFrame> frames) {
    }
}
