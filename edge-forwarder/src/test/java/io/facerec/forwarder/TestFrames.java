package io.facerec.forwarder;

import io.facerec.forwarder.simulator.SimulatedCamera;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Frames of the shared test video, or a skip with the reason when the test data is absent. */
final class TestFrames {
    private TestFrames() {
    }

    static Path testdata() {
        return io.facerec.loopback.FaceTestData.find().orElseGet(() -> {
            System.out.println("SKIPPED: " + io.facerec.loopback.FaceTestData.missingReason());
            Assumptions.abort(io.facerec.loopback.FaceTestData.missingReason());
            return null;
        });
    }

    static List<byte[]> video() throws Exception {
        return SimulatedCamera.framesFrom(testdata().resolve("face_recognition/video/frames_5fps"));
    }
}
