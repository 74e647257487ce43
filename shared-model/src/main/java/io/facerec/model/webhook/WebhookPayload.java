package io.facerec.model.webhook;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * What the Next.js app's receiver accepts, one delivery per face:
 * {@code {"result": {"timestamp", "name", "confidence", "distance", "box": {"top","right","bottom","left"}},
 * "camera_id", "camera_stream_url", "timestamp"}}. Unknown faces are named {@link #UNKNOWN_NAME},
 * as the old system did. {@code camera_id} is the app's own id of the camera (null unless mapped),
 * {@code camera_stream_url} the camera's stream URL (null when unknown): the app looks the camera up
 * by the first, else by the second, else takes its most recently seen one.
 */
@JsonPropertyOrder({"result", "camera_id", "camera_stream_url", "timestamp"})
public record WebhookPayload(
        Result result,
        @JsonProperty("camera_id") String cameraId,
        @JsonProperty("camera_stream_url") String cameraStreamUrl,
        String timestamp) {
    public static final String UNKNOWN_NAME = "Desconocido";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One face. {@code distance} is the match's distance in the gallery's metric: the Euclidean
     * distance between dlib vectors (a dlib gallery, known at 0.6 or closer), or the cosine distance
     * {@code 1 - cosine similarity} (the default model's gallery).
     * {@code confidence} is {@code 1 - distance}. Rounded as the old app rounded them.
     */
    @JsonPropertyOrder({"timestamp", "name", "confidence", "distance", "box"})
    public record Result(String timestamp, String name, double confidence, double distance, Box box) {
        /**
         * The numbers the old app sent, {@code distance = round(d, 3)} and {@code confidence =
         * round(1 - d, 2)} (Python's round), from a recorded similarity ({@code 1 - d}). The
         * similarity is first taken to the 4 decimals the results table keeps, so a delivery re-sent
         * from the table, and the results API, say what the first delivery said.
         */
        public static Result of(String timestamp, String name, double similarity, Box box) {
            double s = Math.round(similarity * 10000) / 10000.0;
            return new Result(timestamp, name, pythonRound(s, 2), pythonRound(1 - s, 3), box);
        }
    }

    /** Python's {@code round(x, digits)}: the exact binary value rounded half to even. */
    static double pythonRound(double x, int digits) {
        if (!Double.isFinite(x)) {
            return x;
        }
        return new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** Full-frame pixels. */
    @JsonPropertyOrder({"top", "right", "bottom", "left"})
    public record Box(int top, int right, int bottom, int left) {
    }

    /**
     * The person-track a delivery announces, sent beside the fields the receiver requires (receivers
     * that do not know it ignore it). {@code decision} is {@code named}, {@code unknown}, or
     * {@code upgrade} (a track announced as unknown, now named: the same {@code id} again).
     */
    @JsonPropertyOrder({"id", "decision", "faces", "first_seen"})
    public record Track(String id, String decision, int faces, @JsonProperty("first_seen") String firstSeen) {
    }

    /** The payload with its track. */
    public byte[] toJson(Track track) {
        com.fasterxml.jackson.databind.node.ObjectNode node = JSON.valueToTree(this);
        node.set("track", JSON.valueToTree(track));
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public String toJsonString() {
        return new String(toJson(), StandardCharsets.UTF_8);
    }
}
