package io.facerec.loopback;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the shared face photos are: {@code FACE_TESTDATA}, else the build's default (../shared/testdata
 * beside the checkout). Tests skip, printing {@link #missingReason()}, when they are absent.
 */
public final class FaceTestData {
    private FaceTestData() {
    }

    public static Path location() {
        String env = System.getenv("FACE_TESTDATA");
        String def = System.getenv("FACE_TESTDATA_DEFAULT");
        return env != null && !env.isBlank() ? Path.of(env) : def != null ? Path.of(def) : Path.of("../../shared/testdata");
    }

    public static Optional<Path> find() {
        Path p = location();
        return Files.isDirectory(p.resolve("face_recognition")) && Files.isDirectory(p.resolve("deepface"))
                ? Optional.of(p) : Optional.empty();
    }

    public static String missingReason() {
        return "face test data not found at " + location().toAbsolutePath().normalize() + " (set FACE_TESTDATA): skipping";
    }
}
