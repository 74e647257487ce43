package io.facerec.model.frame;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The S3 user metadata the forwarder puts on every frame (sent as {@code x-amz-meta-<name>}).
 * Names are lower case because S3 lower-cases them. S3 takes US-ASCII values only and at most
 * {@value #MAX_USER_METADATA_BYTES} bytes of names and values in all, so {@link #toMap()} writes the
 * stream URL percent-encoded and leaves it out when it would not fit.
 *
 * @param streamUrl the camera's stream URL as the forwarder was configured, without credentials;
 *                  null when unknown (older forwarders, or too long to travel)
 */
public record FrameMetadata(String cameraId, Instant captureTime, long sequence, String forwarderVersion,
                            String streamUrl) {
    public static final String CAMERA_ID = "camera-id";
    public static final String CAPTURE_TIME = "capture-time";
    public static final String SEQUENCE = "sequence";
    public static final String FORWARDER_VERSION = "forwarder-version";
    public static final String STREAM_URL = "stream-url";
    public static final String CONTENT_TYPE = "image/jpeg";
    /** S3's limit on the user metadata of one object: names and values, UTF-8 bytes, summed. */
    public static final int MAX_USER_METADATA_BYTES = 2048;

    public FrameMetadata(String cameraId, Instant captureTime, long sequence, String forwarderVersion) {
        this(cameraId, captureTime, sequence, forwarderVersion, null);
    }

    public Optional<String> streamUrlIfKnown() {
        return Optional.ofNullable(streamUrl);
    }

    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(CAMERA_ID, cameraId);
        m.put(CAPTURE_TIME, captureTime.toString());
        m.put(SEQUENCE, Long.toString(sequence));
        m.put(FORWARDER_VERSION, forwarderVersion);
        if (streamUrl != null && !streamUrl.isEmpty()) {
            String url = ascii(streamUrl);
            if (size(m) + STREAM_URL.length() + url.length() <= MAX_USER_METADATA_BYTES) {
                m.put(STREAM_URL, url);
            }
        }
        return m;
    }

    /** Whether {@code streamUrl} travels whole next to the other entries, at their longest. */
    public static boolean streamUrlFits(String streamUrl) {
        FrameMetadata longest = new FrameMetadata("c".repeat(64), Instant.MAX, Long.MIN_VALUE,
                "9".repeat(32), streamUrl);
        return longest.toMap().containsKey(STREAM_URL);
    }

    /** Bytes S3 counts against {@link #MAX_USER_METADATA_BYTES}. */
    public static int size(Map<String, String> meta) {
        int n = 0;
        for (var e : meta.entrySet()) {
            n += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return n;
    }

    /** Printable US-ASCII; anything else percent-encoded as UTF-8, as URLs encode it. */
    static String ascii(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
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
        String url = meta.get(STREAM_URL);
        return new FrameMetadata(camera, time, seq, meta.getOrDefault(FORWARDER_VERSION, "unknown"),
                url == null || url.isBlank() ? null : url);
    }

    private static Optional<Instant> parseInstant(String s) {
        try {
            return s == null ? Optional.empty() : Optional.of(Instant.parse(s));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
