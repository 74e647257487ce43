package io.facerec.recognizer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facerec.model.gallery.FloatMatrix;
import io.facerec.model.gallery.Gallery;
import io.facerec.model.gallery.GalleryFiles;
import io.facerec.model.gallery.NpyCodec;
import io.facerec.recognizer.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The face command end to end on the real photos: enroll, recognize, eval and their failures. */
class FaceCommandIntegrationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    static Path gallery;
    static Run enrolment;

    record Run(int code, String out, String err) {
        List<JsonNode> lines() throws Exception {
            List<JsonNode> l = new ArrayList<>();
            for (String s : out.lines().toList()) {
                l.add(JSON.readTree(s));
            }
            return l;
        }
    }

    static Run face(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new FaceCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Path fr(String rel) {
        return TestData.path("face_recognition/images/" + rel);
    }

    @BeforeAll
    static void enrol() throws Exception {
        TestData.dir();
        // obama and biden enrolled from two photos each; plus a no-face photo and a group photo in
        // biden's folder, which must be listed and skipped
        Path people = tmp.resolve("people");
        link(people.resolve("barack_obama/a.jpg"), fr("barack_obama/obama.jpg"));
        link(people.resolve("barack_obama/b.jpg"), fr("barack_obama/obama1.jpg"));
        link(people.resolve("joe_biden/a.jpg"), fr("joe_biden/biden.jpg"));
        link(people.resolve("joe_biden/cat.png"), TestData.path("no-faces/skimage_chelsea.png"));
        link(people.resolve("joe_biden/group.jpg"), TestData.path("face_recognition/group/two_people.jpg"));
        link(people.resolve("kit_harington/a.jpeg"), fr("kit_harington/john1.jpeg"));
        Files.writeString(people.resolve("kit_harington/notes.txt"), "not a photo");
        gallery = tmp.resolve("gallery");
        enrolment = face("enroll", people.toString(), "--out", gallery.toString());
    }

    static void link(Path at, Path target) throws Exception {
        Files.createDirectories(at.getParent());
        Files.createSymbolicLink(at, target.toAbsolutePath());
    }

    @Test
    void enrolWritesOneRowPerSingleFacePhotoAndListsTheSkipped() throws Exception {
        assertEquals(0, enrolment.code(), enrolment.err());
        Gallery g = GalleryFiles.read(gallery, new java.util.ArrayList<>());
        assertEquals(List.of("barack_obama", "barack_obama", "joe_biden", "kit_harington"), g.labels());
        assertEquals(512, g.dimension());
        assertEquals("faceplugin-0.0.1/fr_feature", g.info().modelId());
        assertTrue(enrolment.err().contains("skipped " + tmp.resolve("people/joe_biden/cat.png") + ": no face found"),
                enrolment.err());
        assertTrue(enrolment.err().contains("joe_biden/group.jpg: 2 faces found, need exactly one"), enrolment.err());
        assertTrue(enrolment.err().contains("wrote " + gallery + ": 4 samples of 3 people; 2 photos skipped"));
    }

    @Test
    void recognizeNamesKnownPeopleAndCallsStrangersUnknown() throws Exception {
        Run r = face("recognize", "--gallery", gallery.toString(),
                fr("barack_obama/obama2.jpg").toString(), fr("joe_biden/biden2.jpg").toString(),
                fr("rose_leslie/img1.jpg").toString(), TestData.path("face_recognition/group/obama_and_biden.jpg").toString());
        assertEquals(0, r.code(), r.err());
        List<JsonNode> lines = r.lines();
        assertEquals(4, lines.size());
        assertEquals("barack_obama", lines.get(0).at("/faces/0/label").asText());
        assertTrue(lines.get(0).at("/faces/0/similarity").asDouble() >= 0.5);
        assertTrue(lines.get(0).at("/faces/0/margin").asDouble() > 0.1);
        assertEquals("joe_biden", lines.get(1).at("/faces/0/label").asText());
        assertEquals("unknown", lines.get(2).at("/faces/0/label").asText(), "rose_leslie is not enrolled");
        List<String> group = new ArrayList<>();
        lines.get(3).get("faces").forEach(f -> group.add(f.get("label").asText()));
        assertTrue(group.containsAll(List.of("barack_obama", "joe_biden")), group.toString());
        JsonNode box = lines.get(0).at("/faces/0/box");
        assertTrue(box.get("right").asInt() > box.get("left").asInt() && box.get("bottom").asInt() > box.get("top").asInt());
        assertTrue(lines.get(0).get("width").asInt() > 0);
    }

    @Test
    void badImagesGetAnErrorLineEachAndTheRestGoOn() throws Exception {
        Path empty = Files.write(tmp.resolve("empty.jpg"), new byte[0]);
        Path text = Files.writeString(tmp.resolve("text.jpg"), "hello");
        Run r = face("recognize", "--gallery", gallery.toString(), empty.toString(), text.toString(),
                TestData.path("edge-cases/truncated.jpg").toString(), fr("joe_biden/biden.jpg").toString());
        assertEquals(0, r.code(), "one image could be processed");
        List<JsonNode> l = r.lines();
        assertEquals(empty + ": empty file (0 bytes)", l.get(0).get("error").asText());
        assertEquals(text + ": not a JPEG or PNG image (it looks like text)", l.get(1).get("error").asText());
        assertTrue(l.get(2).get("error").asText().endsWith("truncated JPEG (no end-of-image marker)"));
        assertEquals("joe_biden", l.get(3).at("/faces/0/label").asText());

        Run none = face("recognize", "--gallery", gallery.toString(), empty.toString(), text.toString());
        assertEquals(1, none.code(), "nothing could be processed");
        assertFalse(none.err().contains("Exception"), none.err());
    }

    @Test
    void galleryWhoseRowsAndLabelsDisagreeIsRefusedInOneLine() throws Exception {
        Path bad = tmp.resolve("bad-gallery");
        Files.createDirectories(bad);
        Files.write(bad.resolve("encodings.npy"), NpyCodec.write(new FloatMatrix(3, 512, new float[3 * 512])));
        Files.writeString(bad.resolve("labels.json"), "[\"ana\", \"luis\"]");
        Run r = face("recognize", "--gallery", bad.toString(), fr("joe_biden/biden.jpg").toString());
        assertEquals(1, r.code());
        assertEquals("face: " + bad + ": labels.json has 2 labels but encodings.npy has 3 rows; they must match one to one\n",
                r.err());
        assertEquals("", r.out());
    }

    @Test
    void dlibGalleryIsRefusedWithTheReason() throws Exception {
        Path old = tmp.resolve("dlib-gallery");
        Files.createDirectories(old);
        float[] v = new float[2 * 128];
        java.util.Arrays.fill(v, 0.05f);
        Files.write(old.resolve("encodings.npy"), NpyCodec.write(new FloatMatrix(2, 128, v)));
        Files.writeString(old.resolve("labels.json"), "[\"ana\", \"ana\"]");
        Run r = face("recognize", "--gallery", old.toString(), fr("joe_biden/biden.jpg").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("gallery holds 128-number vectors (a 128-number gallery is probably dlib's"), r.err());
        assertEquals(1, r.err().lines().count());
    }

    @Test
    void enrolmentWithNoUsablePhotoWritesNothing() throws Exception {
        Path people = tmp.resolve("nobody");
        link(people.resolve("cat/a.png"), TestData.path("no-faces/skimage_chelsea.png"));
        Path out = tmp.resolve("nobody-gallery");
        Run r = face("enroll", people.toString(), "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("gallery not written"));
        assertFalse(Files.exists(out));
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, face().code());
        assertEquals(2, face("recognize", "x.jpg").code());
        Run r = face("eval", "dir", "--threshold", "abc");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("face: --threshold takes a number, got 'abc'"));
    }

    @Test
    void evalMeetsTheAccuracyTargetsOnBothSets() throws Exception {
        Run r = face("eval", TestData.path("deepface/images").toString(),
                TestData.path("face_recognition/images").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertTrue(j.get("rocAuc").asDouble() >= 0.999, j.toString());
        assertTrue(j.get("tarAtThreshold").asDouble() >= 0.99, j.toString());
        assertEquals(0, j.get("falseAcceptsAtThreshold").asInt(), j.toString());
        assertEquals(1.0, j.get("rank1").asDouble(), j.toString());
        assertEquals(19, j.get("people").asInt());
    }
}
