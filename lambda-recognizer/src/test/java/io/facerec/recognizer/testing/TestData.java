package io.facerec.recognizer.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Where the shared face photos are: FACE_TESTDATA, else ../shared/testdata beside the checkout. */
public final class TestData {
    private TestData() {
    }

    public static Path dir() {
        String env = System.getenv("FACE_TESTDATA");
        String fallback = System.getenv("FACE_TESTDATA_DEFAULT");
        Path p = env != null && !env.isBlank() ? Path.of(env)
                : fallback != null ? Path.of(fallback) : Path.of("../../shared/testdata");
        if (!Files.isDirectory(p.resolve("deepface"))) {
            String why = "face test data not found at " + p.toAbsolutePath().normalize()
                    + " (set FACE_TESTDATA): skipping";
            System.out.println("SKIPPED: " + why);
            Assumptions.abort(why);
        }
        return p;
    }

    public static Path path(String relative) {
        return dir().resolve(relative);
    }
}
