package io.facerec.model.match;

/**
 * The best gallery label for one face: its cosine similarity, the margin to the best
 * <em>other</em> label, and whether the similarity reached the threshold. {@code candidate} is the
 * best label even when unknown (null only for an empty gallery), for diagnostics.
 */
public record Match(String candidate, float similarity, float margin, boolean known) {
    public static final String UNKNOWN = "unknown";

    /** The same match decided at another threshold (the control record's, set through the results API). */
    public Match withThreshold(double threshold) {
        return new Match(candidate, similarity, margin, candidate != null && similarity >= threshold);
    }

    /** The name to show: the label when known, otherwise {@link #UNKNOWN}. */
    public String label() {
        return known ? candidate : UNKNOWN;
    }
}
