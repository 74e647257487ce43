package io.facerec.recognizer.engine;

import io.facerec.model.match.Metric;
import java.util.Locale;

/**
 * The two kinds of face vector the engine makes, with what a gallery of them needs: the model id it
 * records, the dimension, how vectors are compared and the default threshold.
 */
public enum EmbeddingModel {
    /** The engine's own 512-number embedding, L2-normalised, compared by cosine similarity. */
    DEFAULT(FaceModels.EMBEDDING_MODEL_ID, FaceModels.EMBEDDING_DIM, Metric.COSINE, FaceModels.DEFAULT_THRESHOLD),
    /**
     * dlib's 128-number face descriptor, as Python {@code face_recognition} and the kiosk's
     * {@code face-api} compute it, compared by Euclidean distance.
     */
    DLIB(FaceModels.DLIB_MODEL_ID, FaceModels.DLIB_DIM, Metric.EUCLIDEAN, FaceModels.DLIB_THRESHOLD);

    private final String modelId;
    private final int dimension;
    private final Metric metric;
    private final double defaultThreshold;

    EmbeddingModel(String modelId, int dimension, Metric metric, double defaultThreshold) {
        this.modelId = modelId;
        this.dimension = dimension;
        this.metric = metric;
        this.defaultThreshold = defaultThreshold;
    }

    public String modelId() {
        return modelId;
    }

    public int dimension() {
        return dimension;
    }

    public Metric metric() {
        return metric;
    }

    public double defaultThreshold() {
        return defaultThreshold;
    }

    /** This model's vector of a face, or null when the engine was not asked for it. */
    public float[] vectorOf(DetectedFace face) {
        return this == DLIB ? face.descriptor() : face.embedding();
    }

    /**
     * The model whose vectors a gallery holds: dlib when its model id names dlib, or when it has no
     * model id (no gallery.json: the old system's files) and 128 numbers a row; otherwise the
     * default. Whether the gallery then fits is for the gallery's own check to say.
     */
    public static EmbeddingModel forGallery(String modelId, int dimension) {
        if (modelId == null || modelId.isBlank()) {
            return dimension == FaceModels.DLIB_DIM ? DLIB : DEFAULT;
        }
        return modelId.toLowerCase(Locale.ROOT).contains("dlib") ? DLIB : DEFAULT;
    }
}
