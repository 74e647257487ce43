package io.facerec.recognizer.engine;

import java.util.List;

/** Every face of one frame, with the frame's size and the time each stage took. */
public record FrameAnalysis(int width, int height, List<DetectedFace> faces, StageTimes times) {
    /**
     * Nanoseconds per stage for this frame; {@code dlibNanos} is the dlib descriptor's chip cutting
     * and network, zero when it was not asked for.
     */
    public record StageTimes(long decodeNanos, long detectNanos, long landmarkNanos, long alignNanos,
                             long embedNanos, long dlibNanos) {
        public StageTimes(long decodeNanos, long detectNanos, long landmarkNanos, long alignNanos, long embedNanos) {
            this(decodeNanos, detectNanos, landmarkNanos, alignNanos, embedNanos, 0);
        }

        public long totalNanos() {
            return decodeNanos + detectNanos + landmarkNanos + alignNanos + embedNanos + dlibNanos;
        }
    }
}
