package io.facerec.model.match;

import java.util.Locale;

/**
 * How a gallery's vectors are compared, named as {@code gallery.json}'s {@code metric} names it.
 * Cosine: higher is closer, a face is known at or above the threshold. Euclidean (dlib's vectors,
 * Python face_recognition's {@code face_distance}): lower is closer, known at or below it.
 */
public enum Metric {
    COSINE("cosine"),
    EUCLIDEAN("euclidean");

    private final String id;

    Metric(String id) {
        this.id = id;
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
