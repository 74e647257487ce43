package io.facerec.model.gallery;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Objects;

/**
 * The known faces: one embedding row per sample and one label per row (repeats allowed: several
 * samples per person), stored as {@code encodings.npy} + {@code labels.json} + optional
 * {@code gallery.json}.
 */
public record Gallery(List<String> labels, FloatMatrix embeddings, GalleryInfo info) {
    public static final String ENCODINGS = "encodings.npy";
    public static final String LABELS = "labels.json";
    public static final String INFO = "gallery.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Gallery {
        labels = List.copyOf(labels);
        Objects.requireNonNull(embeddings, "embeddings");
        if (labels.size() != embeddings.rows()) {
            throw new IllegalArgumentException(
                    labels.size() + " labels for " + embeddings.rows() + " embedding rows");
        }
    }

    /** The bytes of the three files, ready to store. */
    public record Encoded(byte[] encodings, byte[] labels, byte[] info) {
    }

    public int size() {
        return labels.size();
    }

    public int dimension() {
        return embeddings.cols();
    }

    /**
     * Decodes and validates the three files. {@code infoJson} may be null (galleries of the old
     * system have no {@code gallery.json}); {@code location} names the gallery in messages.
     */
    public static Gallery decode(byte[] npy, byte[] labelsJson, byte[] infoJson, String location)
            throws GalleryFormatException {
        FloatMatrix matrix = NpyCodec.read(npy, location + "/" + ENCODINGS);
        List<String> labels = decodeLabels(labelsJson, location + "/" + LABELS);
        GalleryInfo info = infoJson == null ? null : decodeInfo(infoJson, location + "/" + INFO);
        if (labels.size() != matrix.rows()) {
            throw new GalleryFormatException(location + ": " + LABELS + " has " + labels.size() + " labels but "
                    + ENCODINGS + " has " + matrix.rows() + " rows; they must match one to one");
        }
        float[] data = matrix.data();
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new GalleryFormatException(location + "/" + ENCODINGS + ": row " + (i / matrix.cols())
                        + " holds " + data[i] + "; every value must be a finite number");
            }
        }
        if (info != null && info.dimension() != null && info.dimension() != matrix.cols()) {
            throw new GalleryFormatException(location + ": " + INFO + " says dimension " + info.dimension()
                    + " but " + ENCODINGS + " has " + matrix.cols() + " columns");
        }
        return new Gallery(labels, matrix, info);
    }

    public Encoded encode() {
        try {
            return new Encoded(NpyCodec.write(embeddings), JSON.writeValueAsBytes(labels),
                    info == null ? null : JSON.writeValueAsBytes(info));
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot serialise gallery", e);
        }
    }

    /**
     * Refuses a gallery that a different model made: vectors of another model (a 128-number dlib
     * gallery, say) cannot be compared with this model's.
     */
    public void requireCompatible(String modelId, int modelDimension, String location) throws GalleryFormatException {
        if (size() > 0 && dimension() != modelDimension) {
            String hint = dimension() == 128
                    ? " (a 128-number gallery is probably dlib's, from Python face_recognition)" : "";
            throw new GalleryFormatException(location + ": gallery holds " + dimension() + "-number vectors" + hint
                    + " but model " + modelId + " makes " + modelDimension
                    + "-number vectors; re-enrol the photos with this model");
        }
        if (info != null && info.modelId() != null && !info.modelId().equals(modelId)) {
            throw new GalleryFormatException(location + ": gallery was made by model " + info.modelId()
                    + " but this recognizer runs " + modelId + "; re-enrol the photos with this model");
        }
    }

    static List<String> decodeLabels(byte[] json, String source) throws GalleryFormatException {
        List<Object> raw;
        try {
            raw = JSON.readValue(json, new TypeReference<List<Object>>() { });
        } catch (java.io.IOException e) {
            throw new GalleryFormatException(source + ": not a JSON array of names (" + firstLine(e) + ")");
        }
        if (raw == null) {
            throw new GalleryFormatException(source + ": not a JSON array of names (null)");
        }
        for (int i = 0; i < raw.size(); i++) {
            if (!(raw.get(i) instanceof String s) || s.isBlank()) {
                throw new GalleryFormatException(source + ": entry " + i + " is " + raw.get(i)
                        + "; every label must be a non-empty string");
            }
        }
        return raw.stream().map(String.class::cast).toList();
    }

    static GalleryInfo decodeInfo(byte[] json, String source) throws GalleryFormatException {
        try {
            GalleryInfo info = JSON.readValue(json, GalleryInfo.class);
            if (info == null) {
                throw new GalleryFormatException(source + ": empty");
            }
            return info;
        } catch (java.io.IOException e) {
            if (e instanceof GalleryFormatException g) {
                throw g;
            }
            throw new GalleryFormatException(source + ": not valid gallery info JSON (" + firstLine(e) + ")");
        }
    }

    private static String firstLine(Exception e) {
        String m = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
