package io.facerec.model.result;

import java.time.Instant;
import java.util.List;

/**
 * What the recognizer records for one frame (one DynamoDB item). {@code error} is set when the frame
 * could not be analysed (a corrupt JPEG); {@code galleryProblem} when it was analysed but could not be
 * matched (gallery missing or malformed). {@code eTag} names the content that was read (the frame's
 * identity); {@code versionId} is the event's, kept for reference. {@code modelId} is the model whose
 * vectors were matched (the gallery's). {@code streamUrl} is the camera's stream URL as the forwarder
 * put it in the frame's metadata (credentials removed), null when the frame carried none.
 */
public record FrameResult(String frameId, String cameraId, Instant captureTime, String bucket, String key,
                          String versionId, String eTag, int width, int height, List<FaceResult> faces, String modelId,
                          long processingMillis, String galleryProblem, String error, String streamUrl) {
    public FrameResult {
        faces = List.copyOf(faces);
    }

    /** A frame without a known stream URL. */
    public FrameResult(String frameId, String cameraId, Instant captureTime, String bucket, String key,
                       String versionId, String eTag, int width, int height, List<FaceResult> faces, String modelId,
                       long processingMillis, String galleryProblem, String error) {
        this(frameId, cameraId, captureTime, bucket, key, versionId, eTag, width, height, faces, modelId,
                processingMillis, galleryProblem, error, null);
    }
}
