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
        GalleryInfo info = infoJson == null ? null : decodeInfo(infoJson, location + "/" + INFO);
        if (info != null && info.encodingsSha256() != null && !info.encodingsSha256().equals(sha256(npy))) {
            throw new TornGalleryException(location + ": " + ENCODINGS + " is not the one " + INFO
                    + " was written with (a write in progress or interrupted)");
        }
        if (info != null && info.labelsSha256() != null && !info.labelsSha256().equals(sha256(labelsJson))) {
            throw new TornGalleryException(location + ": " + LABELS + " is not the one " + INFO
                    + " was written with (a write in progress or interrupted)");
        }
        FloatMatrix matrix = NpyCodec.read(npy, location + "/" + ENCODINGS);
        List<String> labels = decodeLabels(labelsJson, location + "/" + LABELS);
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

    /** The three files; {@code gallery.json} (when there is info) records the other two's SHA-256. */
    public Encoded encode() {
        try {
            byte[] npy = NpyCodec.write(embeddings);
            byte[] labelsJson = JSON.writeValueAsBytes(labels);
            byte[] infoJson = info == null ? null
                    : JSON.writeValueAsBytes(info.withSums(sha256(npy), sha256(labelsJson)));
            return new Encoded(npy, labelsJson, infoJson);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot serialise gallery", e);
        }
    }

    /** This gallery without {@code name}'s rows and with {@code rows} added for them at the end. */
    public Gallery replacePerson(String name, List<float[]> rows) {
        List<String> newLabels = new java.util.ArrayList<>();
        List<float[]> newRows = new java.util.ArrayList<>();
        for (int r = 0; r < size(); r++) {
            if (!labels.get(r).equals(name)) {
                newLabels.add(labels.get(r));
                newRows.add(embeddings.row(r));
            }
        }
        for (float[] row : rows) {
            newLabels.add(name);
            newRows.add(row);
        }
        return new Gallery(newLabels, FloatMatrix.ofRows(embeddings.cols(), newRows), info);
    }

    public static Gallery empty(int dimension, GalleryInfo info) {
        return new Gallery(List.of(), new FloatMatrix(0, dimension, new float[0]), info);
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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
