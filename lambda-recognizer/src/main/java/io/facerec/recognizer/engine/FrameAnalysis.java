package io.facerec.recognizer.engine;

import java.util.List;

/** Every face of one frame, with the frame's size and the time each stage took. */
public record FrameAnalysis(int width, int height, List<DetectedFace> faces, StageTimes times) {
    /** Nanoseconds per stage for this frame. */
    public record StageTimes(long decodeNanos, long detectNanos, long landmarkNanos, long alignNanos,
                             long embedNanos) {
        public long totalNanos() {
            return decodeNanos + detectNanos + landmarkNanos + alignNanos + embedNanos;
        }
    }
}
