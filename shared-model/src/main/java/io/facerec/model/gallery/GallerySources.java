package io.facerec.model.gallery;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code sources.json}, beside a commit's {@code encodings.npy}: where each row came from (the
 * enrolment photo's key and the ETag of the version embedded, one entry per row in row order) and
 * the photos that gave no row, with the reason. It is what lets an enrolment reuse the work of an
 * earlier or concurrent one: a photo whose key and ETag are here is never embedded again.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GallerySources(List<Row> rows, Map<String, Refusal> refused) {
    public static final String FILE = "sources.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public GallerySources {
        rows = rows == null ? List.of() : List.copyOf(rows);
        refused = refused == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(refused));
    }

    /** One row's origin; {@code photo} is null for rows that came from elsewhere (a future API). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Row(String photo, String etag) {
    }

    /** A photo that gave no row: which version, and why. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Refusal(String etag, String reason) {
    }

    public static GallerySources empty(int rows) {
        return new GallerySources(java.util.Collections.nCopies(rows, new Row(null, null)), Map.of());
    }

    public byte[] encode() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + FILE, e);
        }
    }

    public static GallerySources decode(byte[] json, String source) throws GalleryFormatException {
        try {
            GallerySources s = JSON.readValue(json, GallerySources.class);
            if (s == null) {
                throw new GalleryFormatException(source + ": empty");
            }
            return s;
        } catch (IOException e) {
            if (e instanceof GalleryFormatException g) {
                throw g;
            }
            throw new GalleryFormatException(source + ": not valid " + FILE + " (" + e.getMessage().lines().findFirst()
                    .orElse("") + ")");
        }
    }
}
