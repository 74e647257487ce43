package io.facerec.recognizer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.recognizer.image.ImageDecoder;
import io.facerec.recognizer.image.RgbImage;
import io.facerec.recognizer.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The converted dlib network and the engine's dlib path, on real chips from the shared photos. */
class DlibDescriptorTest {
    static FaceEngine engine;

    @BeforeAll
    static void load() throws Exception {
        TestData.dir();
        engine = FaceEngine.load(EngineConfig.defaults(), null);
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    static Path faceApiDir() {
        return Path.of(System.getProperty("facerec.root", "..")).resolve(".cache/models/face-api-1.7.15");
    }

    @Test
    void onnxGraphAgreesWithAnIndependentForwardPassOverTheRawWeights() throws Exception {
        DlibNetReference reference = new DlibNetReference(faceApiDir());
        ImageDecoder decoder = new ImageDecoder();
        double worst = 0;
        int chips = 0;
        for (String photo : List.of("face_recognition/images/barack_obama/obama-1080p.jpg",
                "face_recognition/images/joe_biden/biden.jpg", "face_recognition/images/rose_leslie/img1.jpg",
                "face_recognition/images/kit_harington/john1.jpeg", "deepface/images/deepface_id01/img1.jpg",
                "deepface/group/couple.jpg")) {
            RgbImage img = decoder.decode(Files.readAllBytes(TestData.path(photo)), photo);
            for (FaceEngine.LocatedFace f : engine.locate(img)) {
                RgbImage chip = DlibChip.cut(img, f.landmarks68());
                float[] onnx = engine.dlibDescriptor(chip);
                float[] ref = reference.descriptor(chip);
                assertEquals(128, onnx.length);
                double norm = 0;
                for (int i = 0; i < 128; i++) {
                    worst = Math.max(worst, Math.abs(onnx[i] - ref[i]));
                    norm += (double) ref[i] * ref[i];
                }
                assertTrue(Math.sqrt(norm) > 0.1, photo + ": a real descriptor, not zeros: " + Math.sqrt(norm));
                chips++;
            }
        }
        System.out.printf("dlib converter reference: %d chips, largest difference %.2e%n", chips, worst);
        assertTrue(chips >= 7, "chips: " + chips);
        assertTrue(worst <= 1e-5, "largest difference " + worst);
    }

    @Test
    void callerChoosesTheVectors() throws Exception {
        byte[] bytes = Files.readAllBytes(TestData.path("face_recognition/images/joe_biden/biden.jpg"));
        DetectedFace plain = engine.analyze(bytes, "p").faces().get(0);
        assertNull(plain.descriptor(), "the default path makes no dlib descriptor");
        assertEquals(512, plain.embedding().length);

        DetectedFace both = engine.analyze(bytes, "b", EnumSet.of(EmbeddingModel.DEFAULT, EmbeddingModel.DLIB)).faces().get(0);
        assertEquals(128, both.descriptor().length);
        assertEquals(512, both.embedding().length);
        assertEquals(both.descriptor(), EmbeddingModel.DLIB.vectorOf(both));

        // dlib only, with the quality gate off: the 512-d model is not run at all
        try (FaceEngine noGate = new FaceEngine(FaceModels.load(null), new EngineConfig(1.0, 40, 0.8f, 0f, 40_000_000L))) {
            FrameAnalysis a = noGate.analyze(bytes, "d", EnumSet.of(EmbeddingModel.DLIB));
            assertNull(a.faces().get(0).embedding());
            assertEquals(0, a.times().embedNanos());
            assertTrue(a.times().dlibNanos() > 0);
            float[] same = a.faces().get(0).descriptor();
            for (int i = 0; i < 128; i++) {
                assertEquals(both.descriptor()[i], same[i], 1e-6);
            }
        }
    }

    @Test
    void downscaledFramesStillCutTheChipFromTheFullImage() throws Exception {
        byte[] bytes = Files.readAllBytes(TestData.path("face_recognition/images/barack_obama/obama-1080p.jpg"));
        float[] full = engine.analyze(bytes, "f", EnumSet.of(EmbeddingModel.DLIB)).faces().get(0).descriptor();
        try (FaceEngine half = new FaceEngine(FaceModels.load(null), EngineConfig.defaults().withDownscale(0.5))) {
            float[] d = half.analyze(bytes, "h", EnumSet.of(EmbeddingModel.DLIB)).faces().get(0).descriptor();
            double dist = 0;
            for (int i = 0; i < 128; i++) {
                dist += (full[i] - d[i]) * (full[i] - d[i]);
            }
            // only the landmarks move (found on the smaller frame); well inside dlib's 0.6
            assertTrue(Math.sqrt(dist) < 0.2, "distance " + Math.sqrt(dist));
        }
    }

    @Test
    void aModelsFolderWithOnlyTheDefaultSetStillGetsDlibFromTheJar() throws Exception {
        Path dir = Path.of(System.getProperty("facerec.root", "..")).resolve(".cache/models/faceplugin-0.0.1");
        byte[] bytes = Files.readAllBytes(TestData.path("face_recognition/images/joe_biden/biden.jpg"));
        float[] fromJar = engine.analyze(bytes, "j", EnumSet.of(EmbeddingModel.DLIB)).faces().get(0).descriptor();
        try (FaceEngine e = FaceEngine.load(EngineConfig.defaults(), dir)) {
            float[] d = e.analyze(bytes, "d", EnumSet.of(EmbeddingModel.DLIB)).faces().get(0).descriptor();
            for (int i = 0; i < 128; i++) {
                assertEquals(fromJar[i], d[i], 1e-6);
            }
        }
    }
}
