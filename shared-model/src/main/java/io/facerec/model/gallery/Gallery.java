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
     * system have no {@code gallery.json}); {@code location} names the gallery in messages. A file
     * that cannot be read as a whole throws; a row that cannot be used (its label blank, reserved or
     * carrying control characters, or a value that is not a finite number) is left out, and why is
     * added to {@code refused}: one bad row never costs the others. Labels are kept in NFC.
     */
    public static Gallery decode(byte[] npy, byte[] labelsJson, byte[] infoJson, String location, List<String> refused)
            throws GalleryFormatException {
        return decodeKeeping(npy, labelsJson, infoJson, location, refused).gallery();
    }

    /** A decoded gallery and, for each of its rows, the row of the files it came from. */
    record Decoded(Gallery gallery, int[] kept, int rowsInFile) {
    }

    static Decoded decodeKeeping(byte[] npy, byte[] labelsJson, byte[] infoJson, String location, List<String> refused)
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
        List<Object> raw = decodeLabels(labelsJson, location + "/" + LABELS);
        if (raw.size() != matrix.rows()) {
            throw new GalleryFormatException(location + ": " + LABELS + " has " + raw.size() + " labels but "
                    + ENCODINGS + " has " + matrix.rows() + " rows; they must match one to one");
        }
        if (info != null && info.dimension() != null && info.dimension() != matrix.cols()) {
            throw new GalleryFormatException(location + ": " + INFO + " says dimension " + info.dimension()
                    + " but " + ENCODINGS + " has " + matrix.cols() + " columns");
        }
        List<String> labels = new java.util.ArrayList<>();
        List<float[]> rows = new java.util.ArrayList<>();
        int[] kept = new int[raw.size()];
        for (int r = 0; r < raw.size(); r++) {
            String why = null;
            String name = null;
            if (!(raw.get(r) instanceof String s)) {
                why = "its label is " + raw.get(r) + ", not a string";
            } else {
                name = PersonNames.normalise(s);
                why = PersonNames.problem(name).map(p -> "its label " + PersonNames.quoted(s) + " " + p).orElse(null);
            }
            float[] row = matrix.row(r);
            for (int c = 0; why == null && c < row.length; c++) {
                if (!Float.isFinite(row[c])) {
                    why = ENCODINGS + " holds " + row[c] + " in it; every value must be a finite number";
                }
            }
            if (why != null) {
                refused.add(location + ": row " + r + " left out: " + why);
            } else {
                kept[labels.size()] = r;
                labels.add(name);
                rows.add(row);
            }
        }
        Gallery g = new Gallery(labels, rows.size() == matrix.rows() ? matrix : FloatMatrix.ofRows(matrix.cols(), rows),
                info);
        return new Decoded(g, java.util.Arrays.copyOf(kept, labels.size()), matrix.rows());
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

    public static Gallery empty(int dimension, GalleryInfo info) {
        return new Gallery(List.of(), new FloatMatrix(0, dimension, new float[0]), info);
    }

    /** JSON as every gallery file is written: indented, UTF-8. */
    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
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

    /** The JSON array of {@code labels.json}, its entries as found (checked one by one by the caller). */
    static List<Object> decodeLabels(byte[] json, String source) throws GalleryFormatException {
        List<Object> raw;
        try {
            raw = JSON.readValue(json, new TypeReference<List<Object>>() { });
        } catch (java.io.IOException e) {
            throw new GalleryFormatException(source + ": not a JSON array of names (" + firstLine(e) + ")");
        }
        if (raw == null) {
            throw new GalleryFormatException(source + ": not a JSON array of names (null)");
        }
        return raw;
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
