package io.facerec.model.gallery;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The optional {@code gallery.json} beside {@code encodings.npy}: which model made the vectors, their
 * dimension, the metric and the threshold they were tuned with. Our tools write it; the old system's
 * galleries lack it, and that is fine.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GalleryInfo(String modelId, Integer dimension, String metric, Double threshold) {
    public static final String COSINE = "cosine";
}
