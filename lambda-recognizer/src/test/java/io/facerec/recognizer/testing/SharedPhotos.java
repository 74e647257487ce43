package io.facerec.recognizer.testing;

import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.engine.FrameAnalysis;
import io.facerec.recognizer.image.ImageDecodeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The shared labelled photos (deepface and face_recognition), each with its one face's embedding. */
public final class SharedPhotos {
    public static final List<String> SETS = List.of("deepface/images", "face_recognition/images");

    /** A photo of {@code person} holding exactly one face. */
    public record Photo(String person, Path path, float[] embedding) {
    }

    private SharedPhotos() {
    }

    /** Every readable photo with exactly one face, people and files in name order. */
    public static List<Photo> embed(FaceEngine engine) throws IOException {
        List<Photo> out = new ArrayList<>();
        for (String set : SETS) {
            try (Stream<Path> people = Files.list(TestData.path(set))) {
                for (Path person : people.filter(Files::isDirectory).sorted().toList()) {
                    try (Stream<Path> files = Files.list(person)) {
                        for (Path f : files.sorted().toList()) {
                            FrameAnalysis a;
                            try {
                                a = engine.analyze(Files.readAllBytes(f), f.toString());
                            } catch (ImageDecodeException e) {
                                continue;
                            }
                            if (a.faces().size() == 1) {
                                out.add(new Photo(person.getFileName().toString(), f, a.faces().get(0).embedding()));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }
}
