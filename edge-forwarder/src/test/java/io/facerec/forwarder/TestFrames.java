package io.facerec.forwarder;

import io.facerec.forwarder.simulator.SimulatedCamera;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Frames of the shared test video, or a skip with the reason when the test data is absent. */
final class TestFrames {
    private TestFrames() {
    }

    static Path testdata() {
        String env = System.getenv("FACE_TESTDATA");
        String def = System.getenv("FACE_TESTDATA_DEFAULT");
        Path p = env != null && !env.isBlank() ? Path.of(env) : def != null ? Path.of(def) : Path.of("../../shared/testdata");
        if (!Files.isDirectory(p.resolve("face_recognition/video/frames_5fps"))) {
            String why = "test data not found at " + p.toAbsolutePath().normalize() + " (set FACE_TESTDATA): skipping";
            System.out.println("SKIPPED: " + why);
            Assumptions.abort(why);
        }
        return p;
    }

    static List<byte[]> video() throws Exception {
        return SimulatedCamera.framesFrom(testdata().resolve("face_recognition/video/frames_5fps"));
    }
}
