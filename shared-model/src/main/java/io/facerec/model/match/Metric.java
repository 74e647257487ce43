package io.facerec.model.match;

import java.util.Locale;

/**
 * How a gallery's vectors are compared, named as {@code gallery.json}'s {@code metric} names it.
 * Cosine: higher is closer, a face is known at or above the threshold. Euclidean (dlib's vectors,
 * Python face_recognition's {@code face_distance}): lower is closer, known at or below it.
 */
public enum Metric {
    /**
     * The default model's: 0.39 is the lowest threshold at two decimals whose FAR on the shared photos'
     * different-person pairs is at most 0.1% (README, "Matching and the threshold").
     */
    COSINE("cosine", Metric.COSINE_DEFAULT_THRESHOLD),
    /** dlib's vectors: face_recognition's own default tolerance. */
    EUCLIDEAN("euclidean", Metric.EUCLIDEAN_DEFAULT_THRESHOLD);

    /** {@link #COSINE}'s default, a constant so that annotations and other constants can name it. */
    public static final double COSINE_DEFAULT_THRESHOLD = 0.39;
    /** {@link #EUCLIDEAN}'s default (face_recognition's tolerance). */
    public static final double EUCLIDEAN_DEFAULT_THRESHOLD = 0.6;

    private final String id;
    private final double defaultThreshold;

    Metric(String id, double defaultThreshold) {
        this.id = id;
        this.defaultThreshold = defaultThreshold;
    }

    /**
     * The threshold used when neither the deployment nor the gallery sets one. Each metric has one model
     * here, so this is also that model's default; the recognizer and the results API both read it.
     */
    public double defaultThreshold() {
        return defaultThreshold;
    }

    /** The name gallery.json uses. */
    public String id() {
        return id;
    }

    /** The metric of that name (any case). */
    public static Metric of(String id) {
        for (Metric m : values()) {
            if (m.id.equals(id.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + id + "' (cosine or euclidean)");
    }
}
