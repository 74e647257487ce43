package io.facerec.recognizer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.recognizer.image.ImageDecodeException;
import io.facerec.recognizer.image.ImageDecoder;
import io.facerec.recognizer.image.RgbImage;
import io.facerec.recognizer.testing.Jpegs;
import io.facerec.recognizer.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine on the real photos of ../shared/testdata. */
class FaceEngineIntegrationTest {
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

    record Photo(String person, Path file) {
    }

    static List<Photo> identityPhotos() throws Exception {
        List<Photo> out = new ArrayList<>();
        for (String set : List.of("deepface/images", "face_recognition/images")) {
            try (Stream<Path> people = Files.list(TestData.path(set))) {
                for (Path person : people.sorted().toList()) {
                    try (Stream<Path> files = Files.list(person)) {
                        files.sorted().forEach(f -> out.add(new Photo(set + "/" + person.getFileName(), f)));
                    }
                }
            }
        }
        return out;
    }

    static FrameAnalysis analyze(Path f) throws Exception {
        return engine.analyze(Files.readAllBytes(f), f.toString());
    }

    /**
     * One face, or the subject's and bystanders behind it (a blurred face in the crowd is still a
     * face): any other face is less than half the subject's height.
     */
    @Test
    void everySinglePersonPhotoYieldsItsSubjectAndAtMostSmallBystanders() throws Exception {
        List<String> wrong = new ArrayList<>();
        int webp = 0;
        int checked = 0;
        for (Photo p : identityPhotos()) {
            byte[] bytes = Files.readAllBytes(p.file());
            if (ImageDecoder.sniff(bytes) == null) {
                webp++; // one deepface photo is WebP, which we refuse by name (ImageDecoderTest)
                continue;
            }
            List<DetectedFace> faces = engine.analyze(bytes, p.file().toString()).faces();
            checked++;
            float tallest = (float) faces.stream().mapToDouble(f -> f.box().height()).max().orElse(0);
            long large = faces.stream().filter(f -> f.box().height() >= tallest / 2).count();
            if (large != 1) {
                wrong.add(p.file().getFileName() + "=" + faces.size() + " faces, " + large + " of them large");
            }
        }
        assertTrue(checked >= 80, "photos checked: " + checked);
        assertTrue(webp <= 1);
        assertEquals(List.of(), wrong, "photos without exactly one large face");
    }

    @Test
    void noFaceInTheNoFacesFolder() throws Exception {
        List<String> found = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.list(TestData.path("no-faces"))) {
            for (Path f : files.filter(f -> !f.toString().endsWith(".tsv")).sorted().toList()) {
                checked++;
                int n = analyze(f).faces().size();
                if (n > 0) {
                    found.add(f.getFileName() + "=" + n);
                }
            }
        }
        assertTrue(checked >= 10);
        assertEquals(List.of(), found);
    }

    @Test
    void groupPhotosYieldSeveralFaces() throws Exception {
        for (String g : List.of("deepface/group/couple.jpg", "deepface/group/selfie-many-people.jpg",
                "face_recognition/group/kit_with_rose.jpg", "face_recognition/group/obama_and_biden.jpg",
                "face_recognition/group/two_people.jpg")) {
            int n = analyze(TestData.path(g)).faces().size();
            assertTrue(n >= 2, g + " has " + n + " faces");
        }
        assertTrue(analyze(TestData.path("deepface/group/selfie-many-people.jpg")).faces().size() >= 4);
    }

    @Test
    void leaveOneOutRankOneIsCorrectForEveryPhoto() throws Exception {
        List<String> who = new ArrayList<>();
        List<float[]> emb = new ArrayList<>();
        for (Photo p : identityPhotos()) {
            byte[] bytes = Files.readAllBytes(p.file());
            if (ImageDecoder.sniff(bytes) == null) {
                continue;
            }
            who.add(p.person());
            emb.add(engine.analyze(bytes, p.file().toString()).faces().get(0).embedding());
        }
        var loo = io.facerec.recognizer.cli.LeaveOneOut.of(who, emb);
        assertTrue(loo.probes() >= 80, "probes: " + loo.probes());
        assertEquals(List.of(), loo.misses());
    }

    @Test
    void downscaleStillReportsFullFrameBoxes() throws Exception {
        Path photo = TestData.path("face_recognition/images/barack_obama/obama-1080p.jpg");
        byte[] bytes = Files.readAllBytes(photo);
        DetectedFace full = engine.analyze(bytes, "full").faces().get(0);
        try (FaceEngine half = new FaceEngine(FaceModels.load(null), EngineConfig.defaults().withDownscale(0.5))) {
            FrameAnalysis a = half.analyze(bytes, "half");
            assertEquals(1920, a.width(), "frame size reported at full resolution");
            DetectedFace f = a.faces().get(0);
            assertTrue(f.box().iou(full.box()) > 0.8, "boxes agree: " + f.box() + " vs " + full.box());
            assertTrue(dot(f.embedding(), full.embedding()) > 0.8, "same face, same person");
        }
    }

    @Test
    void minimumFaceSizeDropsSmallFaces() throws Exception {
        Path photo = TestData.path("face_recognition/images/barack_obama/obama-240p.jpg");
        float h = analyze(photo).faces().get(0).box().height();
        try (FaceEngine strict = new FaceEngine(FaceModels.load(null),
                EngineConfig.defaults().withMinFacePx(Math.round(h) + 10))) {
            assertEquals(0, strict.analyze(Files.readAllBytes(photo), "p").faces().size());
        }
    }

    @Test
    void exifRotatedPhotoIsTurnedUprightBeforeDetection() throws Exception {
        Path photo = TestData.path("face_recognition/images/joe_biden/biden.jpg");
        byte[] upright = Files.readAllBytes(photo);
        DetectedFace reference = engine.analyze(upright, "upright").faces().get(0);
        RgbImage img = new ImageDecoder().decode(upright, "upright");
        // store it as a phone would: pixels turned 90 degrees counter-clockwise, orientation tag 6
        RgbImage sideways = io.facerec.recognizer.image.ExifOrientation.apply(img, 8);
        byte[] jpeg = Jpegs.withOrientation(Jpegs.encode(sideways), 6, true);
        FrameAnalysis a = engine.analyze(jpeg, "phone.jpg");
        assertEquals(img.width(), a.width());
        assertEquals(1, a.faces().size());
        assertTrue(dot(a.faces().get(0).embedding(), reference.embedding()) > 0.8);
    }

    @Test
    void greyPhotoAndRgbaPngWork() throws Exception {
        assertEquals(1, analyze(TestData.path("edge-cases/camera.png")).faces().size());
        assertEquals(1, analyze(TestData.path("face_recognition/images/barack_obama/32bit.png")).faces().size());
    }

    @Test
    void truncatedJpegFromTheFieldIsRefusedClearly() {
        Path f = TestData.path("edge-cases/truncated.jpg");
        var e = org.junit.jupiter.api.Assertions.assertThrows(ImageDecodeException.class, () -> analyze(f));
        assertEquals(f + ": truncated JPEG (no end-of-image marker)", e.getMessage());
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
