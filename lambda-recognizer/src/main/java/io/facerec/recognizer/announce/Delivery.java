package io.facerec.recognizer.announce;

/**
 * One webhook delivery: one face of one frame, and where it stands. Its {@code id} is the
 * {@code webhook-id} of every attempt and of every re-send after a retry of the event, so a
 * receiver can drop repeats.
 *
 * <pre>
 * PENDING --cooldown slot held by another announcement--> COOLDOWN   (final)
 * PENDING --2xx--> DELIVERED                                          (final; takes the cooldown)
 * PENDING --4xx other than 408/429, or attempts used up--> FAILED     (final; the cooldown stays free)
 * PENDING --out of time--> PENDING: the event is retried, and the retry sends it
 * </pre>
 */
public record Delivery(String id, int face, String name, State state, int attempts, String detail) {

    public enum State { PENDING, DELIVERED, FAILED, COOLDOWN }

    static Delivery pending(String frameId, int face, String name) {
        return new Delivery(frameId + "-" + face, face, name, State.PENDING, 0, "");
    }

    Delivery to(State next, int attemptsMade, String why) {
        return new Delivery(id, face, name, next, attemptsMade, why);
    }

    public boolean isPending() {
        return state == State.PENDING;
    }
}
