package io.facerec.model.result;

/**
 * One face of a processed frame. {@code label} is the person's name, {@code "unknown"}, or null when
 * no gallery could be used; {@code similarity} and {@code margin} are then 0.
 */
public record FaceResult(String label, boolean known, double similarity, double margin, FaceBox box,
                         double score, double quality) {
    /** Full-frame pixels. */
    public record FaceBox(int left, int top, int right, int bottom) {
    }
}
