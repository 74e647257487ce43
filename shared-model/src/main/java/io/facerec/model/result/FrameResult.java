package io.facerec.model.result;

import java.time.Instant;
import java.util.List;

/**
 * What the recognizer records for one frame (one DynamoDB item). {@code error} is set when the frame
 * could not be analysed (a corrupt JPEG); {@code galleryProblem} when it was analysed but could not be
 * matched (gallery missing or malformed). {@code eTag} names the content that was read (the frame's
 * identity); {@code versionId} is the event's, kept for reference.
 */
public record FrameResult(String frameId, String cameraId, Instant captureTime, String bucket, String key,
                          String versionId, String eTag, int width, int height, List<FaceResult> faces, String modelId,
                          long processingMillis, String galleryProblem, String error) {
    public FrameResult {
        faces = List.copyOf(faces);
    }
}
