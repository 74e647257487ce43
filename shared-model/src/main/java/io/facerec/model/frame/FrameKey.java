package io.facerec.model.frame;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a sampled frame lives in the bucket:
 * {@code frames/<cameraId>/<yyyy>/<MM>/<dd>/<epochMillis>-<seq>.jpg}, the date in UTC. The forwarder
 * writes it, the recognizer parses it (capture time and camera survive even when metadata is lost),
 * and the archiver bundles each camera-hour of them ({@link BundleKey}).
 */
public record FrameKey(String cameraId, long captureMillis, long sequence) {
    public static final String PREFIX = "frames/";
    /** Camera ids are path segments: letters, digits, dot, dash, underscore. */
    public static final Pattern CAMERA_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern KEY = Pattern.compile(
            "frames/([A-Za-z0-9._-]{1,64})/(\\d{4})/(\\d{2})/(\\d{2})/(\\d{1,19})-(\\d{1,19})\\.jpg");

    public FrameKey {
        if (!CAMERA_ID.matcher(cameraId).matches() || cameraId.equals(".") || cameraId.equals("..")) {
            throw new IllegalArgumentException("camera id '" + cameraId
                    + "' must be 1-64 letters, digits, '.', '-' or '_'");
        }
        if (captureMillis < 0 || sequence < 0) {
            throw new IllegalArgumentException("capture time and sequence must be >= 0");
        }
    }

    public String toKey() {
        ZonedDateTime t = Instant.ofEpochMilli(captureMillis).atZone(ZoneOffset.UTC);
        return String.format("%s%s/%04d/%02d/%02d/%d-%d.jpg", PREFIX, cameraId, t.getYear(), t.getMonthValue(),
                t.getDayOfMonth(), captureMillis, sequence);
    }

    public Instant captureTime() {
        return Instant.ofEpochMilli(captureMillis);
    }

    /** Parses a decoded object key; empty when it is not a frame key of this scheme. */
    public static Optional<FrameKey> parse(String key) {
        Matcher m = KEY.matcher(key);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            FrameKey k = new FrameKey(m.group(1), Long.parseLong(m.group(5)), Long.parseLong(m.group(6)));
            // the date folders must agree with the timestamp, or the key was not made by toKey()
            return k.toKey().equals(key) ? Optional.of(k) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
