package io.facerec.model.frame;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The S3 user metadata the forwarder puts on every frame (sent as {@code x-amz-meta-<name>}).
 * Names are lower case because S3 lower-cases them.
 */
public record FrameMetadata(String cameraId, Instant captureTime, long sequence, String forwarderVersion) {
    public static final String CAMERA_ID = "camera-id";
    public static final String CAPTURE_TIME = "capture-time";
    public static final String SEQUENCE = "sequence";
    public static final String FORWARDER_VERSION = "forwarder-version";
    public static final String CONTENT_TYPE = "image/jpeg";

    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(CAMERA_ID, cameraId);
        m.put(CAPTURE_TIME, captureTime.toString());
        m.put(SEQUENCE, Long.toString(sequence));
        m.put(FORWARDER_VERSION, forwarderVersion);
        return m;
    }

    /** Reads what is there; a missing or malformed entry falls back to the key's values. */
    public static FrameMetadata from(Map<String, String> meta, FrameKey key) {
        String camera = meta.getOrDefault(CAMERA_ID, key.cameraId());
        Instant time = parseInstant(meta.get(CAPTURE_TIME)).orElse(key.captureTime());
        long seq = key.sequence();
        try {
            if (meta.containsKey(SEQUENCE)) {
                seq = Long.parseLong(meta.get(SEQUENCE));
            }
        } catch (NumberFormatException ignored) {
            // keep the key's
        }
        return new FrameMetadata(camera, time, seq, meta.getOrDefault(FORWARDER_VERSION, "unknown"));
    }

    private static Optional<Instant> parseInstant(String s) {
        try {
            return s == null ? Optional.empty() : Optional.of(Instant.parse(s));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
