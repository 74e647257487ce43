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
