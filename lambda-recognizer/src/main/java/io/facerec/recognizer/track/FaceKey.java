package io.facerec.recognizer.track;

import java.util.Comparator;

/**
 * A face's place in its camera's capture order: the frame's capture time and the forwarder's
 * sequence (both from the frame key, never the arrival), then the face's index in the frame. A
 * track is named after its earliest face, so its id does not depend on which frame was processed
 * first.
 */
public record FaceKey(long captureMillis, long sequence, int face) implements Comparable<FaceKey> {
    private static final Comparator<FaceKey> ORDER = Comparator.comparingLong(FaceKey::captureMillis)
            .thenComparingLong(FaceKey::sequence).thenComparingInt(FaceKey::face);

    /** {@code <captureMillis>-<sequence>-<face>}: a track's id when this is its earliest face. */
    public String id() {
        return captureMillis + "-" + sequence + "-" + face;
    }

    /** Whether this face's frame comes before {@code o}'s in capture order. */
    public boolean frameBefore(FaceKey o) {
        return captureMillis < o.captureMillis || captureMillis == o.captureMillis && sequence < o.sequence;
    }

    @Override
    public int compareTo(FaceKey o) {
        return ORDER.compare(this, o);
    }
}
