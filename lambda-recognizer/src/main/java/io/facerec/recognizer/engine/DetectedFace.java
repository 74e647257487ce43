package io.facerec.recognizer.engine;

/**
 * One face in a frame: box (full-frame pixels), detector score, the five alignment points
 * (x, y pairs, full-frame pixels), the L2-normalised embedding and its quality (the raw
 * embedding's length; see {@link EmbeddingTranslator}), and dlib's 128-number descriptor when it
 * was asked for (null otherwise; see {@link EmbeddingModel}).
 */
public record DetectedFace(Box box, float score, float[] landmarks, float[] embedding, float quality,
                           float[] descriptor) {
    public DetectedFace(Box box, float score, float[] landmarks, float[] embedding, float quality) {
        this(box, score, landmarks, embedding, quality, null);
    }
}
