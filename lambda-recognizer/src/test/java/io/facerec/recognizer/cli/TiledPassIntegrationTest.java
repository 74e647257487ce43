package io.facerec.recognizer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.recognizer.engine.DetectedFace;
import io.facerec.recognizer.engine.EngineConfig;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.engine.FrameAnalysis;
import io.facerec.recognizer.image.ImageDecoder;
import io.facerec.recognizer.image.RgbImage;
import io.facerec.recognizer.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The second detection pass (TILED_DETECTION): it finds faces too small for the whole-frame pass,
 * at their place in the frame, and a face that the tiles share is still one face.
 */
class TiledPassIntegrationTest {
    /** A face this tall in a 640x480 frame is 12 px in the whole-frame pass's input, 19 px in a tile's. */
    static final int SMALL = 24;
    static FaceEngine whole;
    static FaceEngine tiled;
    static List<Path> photos;

    @BeforeAll
    static void load() throws Exception {
        try (Stream<Path> s = Files.walk(TestData.path("face_recognition/images"))) {
            photos = s.filter(Files::isRegularFile).filter(PhotoFolders::isImageName).sorted().toList();
        }
        EngineConfig any = EngineConfig.defaults().withMinFacePx(0);
        whole = FaceEngine.load(any, null);
        tiled = FaceEngine.load(any.withTiledPass(true), null);
    }

    @AfterAll
    static void close() {
        if (whole != null) {
            whole.close();
        }
        if (tiled != null) {
            tiled.close();
        }
    }

    @Test
    void eachSinglePersonPhotoStillYieldsOneFace() throws Exception {
        for (Path p : photos) {
            FrameAnalysis a = tiled.analyze(Files.readAllBytes(p), p.toString());
            assertEquals(1, a.faces().size(), p + ": " + a.faces());
        }
    }

    @Test
    void smallFacesTheWholeFramePassMissesAreFoundWhereTheyAre() throws Exception {
        ImageDecoder decoder = new ImageDecoder();
        int byWhole = 0;
        int byTiled = 0;
        List<String> misplaced = new ArrayList<>();
        for (Path p : photos) {
            RgbImage photo = decoder.decode(Files.readAllBytes(p), p.toString());
            DetectedFace full = whole.analyze(Files.readAllBytes(p), p.toString()).faces().get(0);
            SmallFaces.Frame f = SmallFaces.frame(photo, full.box(), SMALL);
            byWhole += found(whole.analyze(f.jpeg(), p.toString()), f, misplaced) ? 1 : 0;
            byTiled += found(tiled.analyze(f.jpeg(), p.toString()), f, misplaced) ? 1 : 0;
        }
        assertTrue(misplaced.isEmpty(), "every detection at the face: " + misplaced);
        assertTrue(byTiled > byWhole, SMALL + " px faces found: whole frame " + byWhole + ", with tiles " + byTiled
                + " of " + photos.size());
    }

    /** Whether the frame's face was found; any detection elsewhere is listed. */
    static boolean found(FrameAnalysis a, SmallFaces.Frame f, List<String> misplaced) {
        boolean hit = false;
        for (DetectedFace d : a.faces()) {
            if (d.box().iou(f.face()) > 0.3f) {
                hit = true;
            } else {
                misplaced.add(a + ": " + d.box() + " vs " + f.face());
            }
        }
        return hit;
    }
}
