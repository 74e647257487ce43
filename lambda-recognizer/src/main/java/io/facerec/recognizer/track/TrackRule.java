package io.facerec.recognizer.track;

import io.facerec.model.match.Match;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When a person-track is named, from its faces' matches in capture order: {@code faces} of any
 * {@code window} consecutive faces matched the same person (each at or above the threshold, with at
 * least {@code minMargin} to the next person), or one face did so by {@code strongAbove} more than
 * the threshold. {@code faces} 0: by one such face only, never by votes. Similarities and margins are the matcher's, in its similarity units (higher is
 * closer, for any metric), and the bars are relative to its threshold, so the rule holds for a
 * gallery of another metric as it is. README ("Person-tracks") has the measurements behind the
 * defaults.
 */
public record TrackRule(int faces, int window, double strongAbove, double minMargin) {
    public static final TrackRule DEFAULT = new TrackRule(0, 3, 0.10, 0.10);

    public TrackRule {
        if (faces < 0 || window < Math.max(1, faces)) {
            throw new IllegalArgumentException("a track is named by k of n faces with 0 <= k <= n, 1 <= n, got " + faces
                    + " of " + window);
        }
    }

    /** The name, and the face shown for it (the strongest of those that decided). */
    public record Decision(String name, int face) {
    }

    /**
     * The first decision the faces support, reading them in capture order (faces without a match,
     * null, count as not matching).
     */
    public Optional<Decision> decide(List<Match> inCaptureOrder, double threshold) {
        for (int i = 0; i < inCaptureOrder.size(); i++) {
            Match m = inCaptureOrder.get(i);
            if (counts(m) && m.similarity() >= threshold + strongAbove) {
                return Optional.of(new Decision(m.candidate(), i));
            }
            Map<String, Integer> votes = new HashMap<>();
            for (int j = Math.max(0, i - window + 1); j <= i; j++) {
                Match o = inCaptureOrder.get(j);
                if (faces > 0 && counts(o) && votes.merge(o.candidate(), 1, Integer::sum) >= faces) {
                    return Optional.of(new Decision(o.candidate(), strongest(inCaptureOrder, o.candidate(), i)));
                }
            }
        }
        return Optional.empty();
    }

    private boolean counts(Match m) {
        return m != null && m.known() && m.candidate() != null && m.margin() >= minMargin;
    }

    private int strongest(List<Match> faces, String name, int last) {
        int best = -1;
        for (int j = Math.max(0, last - window + 1); j <= last; j++) {
            Match o = faces.get(j);
            if (counts(o) && o.candidate().equals(name) && (best < 0 || o.similarity() > faces.get(best).similarity())) {
                best = j;
            }
        }
        return best;
    }
}
