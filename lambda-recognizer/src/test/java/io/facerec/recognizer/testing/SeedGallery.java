package io.facerec.recognizer.testing;

import io.facerec.model.gallery.FloatMatrix;
import io.facerec.model.gallery.Gallery;
import io.facerec.recognizer.engine.DetectedFace;
import io.facerec.recognizer.engine.EmbeddingModel;
import io.facerec.recognizer.engine.FaceEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * A gallery as the old Python app left it (the seed's format): {@code encodings.npy} of float32
 * (N,128) dlib vectors and {@code labels.json}, a flat array of names with repeats, no
 * {@code gallery.json}. Made from photos with the engine's dlib-compatible path.
 */
public final class SeedGallery {
    private SeedGallery() {
    }

    /** dlib's vector of the one face in {@code photo}. */
    public static float[] descriptor(FaceEngine engine, Path photo) throws Exception {
        List<DetectedFace> faces = engine.analyze(Files.readAllBytes(photo), photo.toString(),
                EnumSet.of(EmbeddingModel.DLIB)).faces();
        if (faces.size() != 1) {
            throw new IllegalArgumentException(photo + ": " + faces.size() + " faces, need one");
        }
        return faces.get(0).descriptor();
    }

    /** One row per photo, labelled with its person's name (several photos: several rows, the name repeated). */
    public static Gallery of(FaceEngine engine, Map<String, List<Path>> photosByName) throws Exception {
        List<String> labels = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        for (var e : photosByName.entrySet()) {
            for (Path p : e.getValue()) {
                labels.add(e.getKey());
                rows.add(descriptor(engine, p));
            }
        }
        return new Gallery(labels, FloatMatrix.ofRows(EmbeddingModel.DLIB.dimension(), rows), null);
    }

    /** The two files' bytes, as they would be copied to {@code gallery/}. */
    public static Gallery.Encoded files(FaceEngine engine, Map<String, List<Path>> photosByName) throws Exception {
        Gallery.Encoded e = of(engine, photosByName).encode();
        if (e.info() != null) {
            throw new IllegalStateException("a seed gallery has no gallery.json");
        }
        return e;
    }
}
