package io.facerec.model.gallery;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The optional {@code gallery.json} beside {@code encodings.npy}: which model made the vectors, their
 * dimension, the metric and the threshold they were tuned with, and the SHA-256 of the two data files
 * it was written with. Those sums let a reader that races a writer tell a torn gallery (new vectors,
 * old labels) from a whole one. Our tools write it; the old system's galleries lack it, and that is fine.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GalleryInfo(String modelId, Integer dimension, String metric, Double threshold,
                          String encodingsSha256, String labelsSha256) {
    public static final String COSINE = "cosine";

    public GalleryInfo(String modelId, Integer dimension, String metric, Double threshold) {
        this(modelId, dimension, metric, threshold, null, null);
    }

    GalleryInfo withSums(String encodings, String labels) {
        return new GalleryInfo(modelId, dimension, metric, threshold, encodings, labels);
    }
}
