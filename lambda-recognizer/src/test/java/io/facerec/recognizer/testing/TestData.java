package io.facerec.recognizer.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Where the shared face photos are: FACE_TESTDATA, else ../shared/testdata beside the checkout. */
public final class TestData {
    private TestData() {
    }

    public static Path dir() {
        return io.facerec.loopback.FaceTestData.find().orElseGet(() -> {
            System.out.println("SKIPPED: " + io.facerec.loopback.FaceTestData.missingReason());
            Assumptions.abort(io.facerec.loopback.FaceTestData.missingReason());
            return null;
        });
    }

    public static Path path(String relative) {
        return dir().resolve(relative);
    }
}
