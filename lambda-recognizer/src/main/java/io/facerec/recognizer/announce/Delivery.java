package io.facerec.recognizer.announce;

import io.facerec.model.result.FaceResult.FaceBox;

/**
 * One webhook delivery: one decision about one person-track, owed by the frame that made it, and
 * where it stands. Its {@code id} is the {@code webhook-id} of every attempt and of every re-send
 * after a retry of the event, so a receiver can drop repeats. {@code subject} says what is announced
 * (the track and the face shown, which may be of an earlier frame of the track); deliveries recorded
 * before tracks existed have none and show face {@code face} of their frame.
 *
 * <pre>
 * PENDING --cooldown slot held by another announcement--> COOLDOWN   (final)
 * PENDING --2xx--> DELIVERED                                          (final; takes the cooldown)
 * PENDING --4xx other than 408/429, or attempts used up--> FAILED     (final; the cooldown stays free)
 * PENDING --out of time--> PENDING: the event is retried, and the retry sends it
 * </pre>
 */
public record Delivery(String id, int face, String name, State state, int attempts, String detail, Subject subject) {

    public enum State { PENDING, DELIVERED, FAILED, COOLDOWN }

    /**
     * A track decision: {@code decision} is {@code named}, {@code unknown} or {@code upgrade}; the face
     * shown was captured at {@code captureMillis} in {@code box} with {@code similarity}; the track had
     * {@code faces} faces since {@code firstMillis}.
     */
    public record Subject(String trackId, String decision, long captureMillis, FaceBox box, double similarity, int faces,
                          long firstMillis) {
    }

    static Delivery pending(String frameId, String name, Subject subject) {
        return new Delivery(frameId + "-" + subject.trackId(), -1, name, State.PENDING, 0, "", subject);
    }

    Delivery to(State next, int attemptsMade, String why) {
        return new Delivery(id, face, name, next, attemptsMade, why, subject);
    }

    public boolean isPending() {
        return state == State.PENDING;
    }
}
