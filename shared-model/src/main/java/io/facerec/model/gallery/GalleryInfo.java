package io.facerec.model.gallery;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code gallery.json}: which model made the vectors ({@code modelId}, {@code dimension}), how they
 * are compared ({@code metric}: "cosine", or "euclidean" for dlib-style vectors) and the threshold
 * they were tuned with, and the SHA-256 of the data files it was written with, so a reader can tell a
 * torn set of files from a whole one.
 *
 * <p>It plays two parts. Beside a plain {@code encodings.npy} + {@code labels.json} (what
 * {@code face enroll} writes) it is a sidecar describing them, and it is optional: the old system's
 * galleries have none. Written by the recognizer at the top of the gallery prefix it is the commit
 * pointer: {@code commit} names the folder holding that commit's files, {@code generation} counts the
 * commits. Fields this version does not know are ignored, so an older reader still reads the model.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GalleryInfo(String modelId, Integer dimension, String metric, Double threshold,
                          String encodingsSha256, String labelsSha256, String sourcesSha256,
                          Long generation, String commit) {
    public static final String COSINE = "cosine";

    public GalleryInfo(String modelId, Integer dimension, String metric, Double threshold) {
        this(modelId, dimension, metric, threshold, null, null, null, null, null);
    }

    /** Parses a gallery.json; {@code source} names it in the message when it is not one. */
    public static GalleryInfo decode(byte[] json, String source) throws GalleryFormatException {
        return Gallery.decodeInfo(json, source);
    }

    /** The model fields alone: what carries over from one gallery.json to the next. */
    public GalleryInfo model() {
        return new GalleryInfo(modelId, dimension, metric, threshold);
    }

    GalleryInfo withSums(String encodings, String labels) {
        return new GalleryInfo(modelId, dimension, metric, threshold, encodings, labels, sourcesSha256, generation, commit);
    }

    /** The description of a commit's files (the sums of all three) and its place in the sequence. */
    public GalleryInfo forCommit(String encodings, String labels, String sources, long gen) {
        return new GalleryInfo(modelId, dimension, metric, threshold, encodings, labels, sources, gen, null);
    }

    /** This commit description as the pointer: the same, naming the folder its files are in. */
    public GalleryInfo pointingTo(String folder) {
        return new GalleryInfo(modelId, dimension, metric, threshold, encodingsSha256, labelsSha256, sourcesSha256,
                generation, folder);
    }

    public GalleryInfo withThreshold(Double t) {
        return new GalleryInfo(modelId, dimension, metric, t, encodingsSha256, labelsSha256, sourcesSha256, generation,
                commit);
    }

    public boolean isPointer() {
        return commit != null;
    }
}
