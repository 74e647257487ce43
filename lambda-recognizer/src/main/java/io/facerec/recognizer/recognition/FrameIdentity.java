package io.facerec.recognizer.recognition;

import io.facerec.model.frame.FrameKey;
import io.facerec.model.frame.FrameMetadata;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The camera and capture time a frame is recorded under. The key decides: it is what the
 * forwarder's IAM policy, the lifecycle rules and the event filter see, while metadata is whatever
 * the uploader wrote. Metadata that names another camera or another time than the key is a
 * contradiction: the frame is recorded under the key with the reason, and not analysed.
 */
record FrameIdentity(String cameraId, Instant captureTime, Optional<String> contradiction) {

    static FrameIdentity of(String key, Map<String, String> metadata, Instant fallbackTime) {
        Optional<FrameKey> parsed = FrameKey.parse(key);
        String camera = parsed.map(FrameKey::cameraId).orElseGet(() -> cameraFromPath(key));
        String metaCamera = metadata.get(FrameMetadata.CAMERA_ID);
        if (metaCamera != null && !camera.equals(UNKNOWN) && !metaCamera.equals(camera)) {
            return contradicted(camera, parsed, fallbackTime,
                    "metadata " + FrameMetadata.CAMERA_ID + " '" + metaCamera + "' contradicts the key's camera '" + camera + "'");
        }
        String metaTime = metadata.get(FrameMetadata.CAPTURE_TIME);
        Optional<Instant> time;
        try {
            time = metaTime == null ? Optional.empty() : Optional.of(Instant.parse(metaTime));
        } catch (DateTimeParseException e) {
            if (parsed.isPresent()) {
                return contradicted(camera, parsed, fallbackTime,
                        "metadata " + FrameMetadata.CAPTURE_TIME + " '" + metaTime + "' is not a time");
            }
            time = Optional.empty();
        }
        if (parsed.isPresent()) {
            Instant keyTime = parsed.get().captureTime();
            if (time.isPresent() && !time.get().equals(keyTime)) {
                return contradicted(camera, parsed, fallbackTime, "metadata " + FrameMetadata.CAPTURE_TIME + " "
                        + time.get() + " contradicts the key's " + keyTime);
            }
            return new FrameIdentity(camera, keyTime, Optional.empty());
        }
        // a frame uploaded by hand under frames/<camera>/: the key has no time, the metadata may
        return new FrameIdentity(camera, time.orElse(fallbackTime), Optional.empty());
    }

    /** Under the key's camera and time (or the fallback time when the key has none), with the reason. */
    private static FrameIdentity contradicted(String camera, Optional<FrameKey> parsed, Instant fallbackTime, String why) {
        return new FrameIdentity(camera, parsed.map(FrameKey::captureTime).orElse(fallbackTime), Optional.of(why));
    }

    static final String UNKNOWN = "unknown";

    /** frames/&lt;camera&gt;/... when the rest of the key is not ours. */
    static String cameraFromPath(String key) {
        String[] parts = key.split("/");
        if (parts.length > 2 && FrameKey.CAMERA_ID.matcher(parts[1]).matches()
                && !parts[1].equals(".") && !parts[1].equals("..")) {
            return parts[1];
        }
        return UNKNOWN;
    }
}
