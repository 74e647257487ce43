package io.facerec.model.control;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The control record: whether recognition runs, the threshold set through the API, and the stream
 * URL the forwarder should read. The results API writes it (DynamoDB item {@code pk = CONTROL,
 * sk = STATE}, the JSON below in its {@value #ATTRIBUTE} attribute, mirrored to
 * {@value #S3_KEY}); the recognizer reads the item, the forwarder the S3 copy. No record means
 * {@link #DEFAULT}: recognition on, thresholds from the deployment, streams from the forwarder's own
 * settings.
 *
 * <p>{@code cameraId} names the forwarder camera {@code streamUrl} is for; null means the forwarder's
 * only camera. {@code revision} grows by one with every write (optimistic concurrency).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"active", "threshold", "stream_url", "camera_id", "revision", "updated_at"})
public record ControlState(
        boolean active,
        Double threshold,
        @JsonProperty("stream_url") String streamUrl,
        @JsonProperty("camera_id") String cameraId,
        long revision,
        @JsonProperty("updated_at") String updatedAt) {
    public static final String PK = "CONTROL";
    public static final String SK = "STATE";
    /** The item attribute that holds the JSON. */
    public static final String ATTRIBUTE = "state";
    /** The forwarder's copy. */
    public static final String S3_KEY = "control/state.json";
    /** The error a frame received while recognition was stopped is recorded with. */
    public static final String NOT_ANALYSED = "not analysed: recognition was stopped (POST /api/start resumes it)";
    public static final ControlState DEFAULT = new ControlState(true, null, null, null, 0, null);
    private static final ObjectMapper JSON = new ObjectMapper();

    public ControlState withActive(boolean a, String at) {
        return new ControlState(a, threshold, streamUrl, cameraId, revision + 1, at);
    }

    public ControlState withConfig(Double t, String url, String camera, String at) {
        return new ControlState(active, t, url, camera, revision + 1, at);
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

    /** Parses the JSON form; a malformed record is an {@link IllegalArgumentException} naming the problem. */
    public static ControlState fromJson(byte[] json) {
        try {
            ControlState s = JSON.readValue(json, ControlState.class);
            if (s == null) {
                throw new IllegalArgumentException("control record is empty");
            }
            return s;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("control record is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("control record could not be read: " + e.getMessage(), e);
        }
    }

    public static ControlState fromJson(String json) {
        return fromJson(json.getBytes(StandardCharsets.UTF_8));
    }
}
