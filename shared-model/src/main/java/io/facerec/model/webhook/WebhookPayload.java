package io.facerec.model.webhook;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/**
 * What the Next.js app's receiver accepts, one delivery per face:
 * {@code {"result": {"timestamp", "name", "confidence", "distance", "box": {"top","right","bottom","left"}},
 * "camera_id", "camera_stream_url", "timestamp"}}. Unknown faces are named {@link #UNKNOWN_NAME},
 * as the old system did.
 */
@JsonPropertyOrder({"result", "camera_id", "camera_stream_url", "timestamp"})
public record WebhookPayload(
        Result result,
        @JsonProperty("camera_id") String cameraId,
        @JsonProperty("camera_stream_url") String cameraStreamUrl,
        String timestamp) {
    public static final String UNKNOWN_NAME = "Desconocido";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** confidence: cosine similarity (0..1 in practice); distance: 1 - confidence. */
    @JsonPropertyOrder({"timestamp", "name", "confidence", "distance", "box"})
    public record Result(String timestamp, String name, double confidence, double distance, Box box) {
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
