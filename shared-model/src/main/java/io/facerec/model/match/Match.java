package io.facerec.model.match;

/**
 * The best gallery label for one face: how close it is, the margin to the best <em>other</em>
 * label, and whether it passed the threshold. {@code candidate} is the best label even when
 * unknown (null only for an empty gallery), for diagnostics.
 *
 * <p>{@code similarity} is higher for closer faces under either metric, so whatever ranks or
 * records it works for both: the cosine, or {@code 1 - distance} for Euclidean galleries (the old
 * system's "confidence"). {@code distance} is the Euclidean distance for Euclidean galleries (what
 * the old system reported as "distance") and {@code 1 - cosine} for cosine ones. The margin is in
 * similarity units, which for Euclidean is the second-best person's distance minus the best one's.
 */
public record Match(String candidate, float similarity, float margin, boolean known, float distance) {
    public static final String UNKNOWN = "unknown";

    /** A cosine match: the distance is {@code 1 - similarity}. */
    public Match(String candidate, float similarity, float margin, boolean known) {
        this(candidate, similarity, margin, known, 1f - similarity);
    }

    /**
     * The same match decided at another cosine similarity threshold (the control record's, set
     * through the results API). For a Euclidean match use {@link #withDistanceThreshold(double)}.
     */
    public Match withThreshold(double threshold) {
        return new Match(candidate, similarity, margin, candidate != null && similarity >= threshold, distance);
    }

    /** The same Euclidean match decided at another distance threshold (known at or below it). */
    public Match withDistanceThreshold(double threshold) {
        return new Match(candidate, similarity, margin, candidate != null && distance <= threshold, distance);
    }

    /** The name to show: the label when known, otherwise {@link #UNKNOWN}. */
    public String label() {
        return known ? candidate : UNKNOWN;
    }
}
