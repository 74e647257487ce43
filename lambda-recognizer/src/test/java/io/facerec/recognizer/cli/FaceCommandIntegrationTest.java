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
import io.facerec.recognizer.engine.FaceModels;
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
        // per-photo progress, in order, on stderr; stdout stays empty
        List<String> progress = enrolment.err().lines().filter(l -> l.startsWith("[")).toList();
        assertEquals(6, progress.size(), enrolment.err());
        for (int i = 0; i < 6; i++) {
            assertTrue(progress.get(i).startsWith("[" + (i + 1) + "/6] "), progress.toString());
        }
        assertTrue(progress.contains("[3/6] enrolled " + tmp.resolve("people/joe_biden/a.jpg")), progress.toString());
        assertEquals("", enrolment.out());
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
    void enrolWithModelDlibWritesDlibVectorsAndSaysSo() throws Exception {
        Path people = tmp.resolve("dlib-people");
        link(people.resolve("Barack Obama/a.jpg"), fr("barack_obama/obama.jpg"));
        link(people.resolve("Joe Biden/a.jpg"), fr("joe_biden/biden.jpg"));
        Path out = tmp.resolve("dlib-enrolled");
        Run r = face("enroll", people.toString(), "--out", out.toString(), "--model", "dlib");
        assertEquals(0, r.code(), r.err());
        Gallery g = GalleryFiles.read(out, new ArrayList<>());
        assertEquals(128, g.dimension());
        assertEquals(List.of("Barack Obama", "Joe Biden"), g.labels());
        assertEquals("dlib-resnet-v1/face-api-1.7.15", g.info().modelId());
        assertEquals("euclidean", g.info().metric());
        assertEquals(0.6, g.info().threshold(), "dlib's default, a distance");
        assertEquals(2, face("enroll", people.toString(), "--out", out.toString(), "--model", "arcface").code());
    }

    /** A gallery as the old Python app left it: (N,128) float32 encodings.npy, labels with repeats, no gallery.json. */
    static Path oldAppGallery() throws Exception {
        Path people = tmp.resolve("old-people");
        link(people.resolve("Barack Obama/a.jpg"), fr("barack_obama/obama.jpg"));
        link(people.resolve("Barack Obama/b.jpg"), fr("barack_obama/obama1.jpg"));
        link(people.resolve("Joe Biden/a.jpg"), fr("joe_biden/biden.jpg"));
        Path made = tmp.resolve("old-made");
        if (!Files.exists(made)) {
            assertEquals(0, face("enroll", people.toString(), "--out", made.toString(), "--model", "dlib").code());
        }
        Path old = Files.createDirectories(tmp.resolve("old-gallery"));
        Files.copy(made.resolve("encodings.npy"), old.resolve("encodings.npy"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(made.resolve("labels.json"), old.resolve("labels.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return old;
    }

    @Test
    void oldAppGalleryIsMatchedByEuclideanDistance() throws Exception {
        Path old = oldAppGallery();
        assertFalse(Files.exists(old.resolve("gallery.json")), "no sidecar, as the old app wrote none");
        Run r = face("recognize", "--gallery", old.toString(), fr("barack_obama/obama2.jpg").toString(),
                fr("joe_biden/biden2.jpg").toString(), fr("rose_leslie/img1.jpg").toString());
        assertEquals(0, r.code(), r.err());
        List<JsonNode> l = r.lines();
        assertEquals("Barack Obama", l.get(0).at("/faces/0/label").asText());
        assertEquals("Joe Biden", l.get(1).at("/faces/0/label").asText());
        assertEquals("unknown", l.get(2).at("/faces/0/label").asText(), "rose_leslie is in no gallery");
        for (JsonNode line : l.subList(0, 2)) {
            double d = line.at("/faces/0/distance").asDouble();
            assertTrue(d > 0 && d <= 0.6, "a dlib distance within 0.6: " + line);
            assertEquals(1 - d, line.at("/faces/0/similarity").asDouble(), 1e-3);
        }
        assertTrue(l.get(2).at("/faces/0/distance").asDouble() > 0.6, l.get(2).toString());

        // a stricter distance names nobody; a distance cannot be negative; the gallery's model is the one used
        Run strict = face("recognize", "--gallery", old.toString(), "--threshold", "0.05", fr("barack_obama/obama2.jpg").toString());
        assertEquals("unknown", strict.lines().get(0).at("/faces/0/label").asText());
        Run negative = face("recognize", "--gallery", old.toString(), "--threshold", "-0.2", fr("barack_obama/obama2.jpg").toString());
        assertEquals(2, negative.code());
        assertEquals("face: --threshold must be between 0 and 1 for dlib vectors (a Euclidean distance), got -0.2\n",
                negative.err());
        Run other = face("recognize", "--gallery", old.toString(), "--model", "default", fr("barack_obama/obama2.jpg").toString());
        assertEquals(2, other.code());
        assertTrue(other.err().startsWith("face: --model default does not fit " + old + ", which holds dlib-resnet-v1"),
                other.err());
    }

    @Test
    void evalWithModelDlibIsRefusedNotIgnored() throws Exception {
        Run r = face("eval", TestData.path("face_recognition/images").toString(), "--model", "dlib", "--json");
        assertEquals(2, r.code(), r.err());
        assertEquals("face: eval works with the default model only; dlib's figures are DlibAccuracyTest's (see the README)\n",
                r.err());
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
        assertEquals(2, face("enroll", "dir").code(), "--out is required");
        assertEquals(2, face("frobnicate").code());
        assertEquals(2, face("eval", "dir", "--no-such-option").code());
    }

    @Test
    void optionsOutOfRangeAreRefusedInOneLineNamingTheFlag() {
        for (String[] bad : List.of(new String[] {"--threshold", "1.5"}, new String[] {"--threshold", "-1.01"},
                new String[] {"--threshold", "NaN"}, new String[] {"--downscale", "0"},
                new String[] {"--downscale", "1.2"}, new String[] {"--downscale", "-0.5"})) {
            for (List<String> cmd : List.of(List.of("enroll", "dir", "--out", "g"),
                    List.of("recognize", "--gallery", "g", "x.jpg"), List.of("eval", "dir"))) {
                List<String> args = new ArrayList<>(cmd);
                args.addAll(List.of(bad));
                Run r = face(args.toArray(String[]::new));
                assertEquals(2, r.code(), args + ": " + r.err());
                assertEquals(1, r.err().lines().count(), r.err());
                assertTrue(r.err().startsWith("face: " + bad[0] + " must be "), r.err());
                assertTrue(r.err().contains("got " + bad[1]), r.err());
                assertEquals("", r.out());
            }
        }
        // the bounds themselves are accepted: parsing passes, and the missing folder is what stops it
        for (String[] ok : List.of(new String[] {"--threshold", "1"}, new String[] {"--threshold", "-1"},
                new String[] {"--downscale", "1"}, new String[] {"--downscale", "0.01"})) {
            Run r = face("eval", tmp.resolve("absent").toString(), ok[0], ok[1]);
            assertEquals(1, r.code(), r.err());
            assertEquals("face: " + tmp.resolve("absent") + ": not a folder\n", r.err());
        }
    }

    @Test
    void helpAndVersionForTheCommandAndEachSubcommand() {
        Run top = face("--help");
        assertEquals(0, top.code());
        for (String sub : List.of("enroll", "recognize", "eval")) {
            assertTrue(top.out().contains(sub), top.out());
        }
        for (var sub : java.util.Map.of("enroll", List.of("PEOPLE_DIR", "--out", "--threshold", "--downscale", "--min-face", "--models"),
                "recognize", List.of("--gallery", "IMAGE", "--threshold", "--downscale"),
                "eval", List.of("IDENTITY_DIR", "--json", "--threshold", "--downscale")).entrySet()) {
            Run h = face(sub.getKey(), "--help");
            assertEquals(0, h.code(), h.err());
            for (String word : sub.getValue()) {
                assertTrue(h.out().contains(word), sub.getKey() + " --help names " + word + ":\n" + h.out());
            }
        }
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"eval", "--version"},
                new String[] {"enroll", "-V"})) {
            Run v = face(args);
            assertEquals(0, v.code());
            assertTrue(v.out().matches("face \\d+\\.\\d+\\.\\d+\\S* \\(models faceplugin-0\\.0\\.1, Java .+\\)\\n"), v.out());
        }
    }

    @Test
    void evalMeetsTheAccuracyTargetsOnBothSets() throws Exception {
        Path plot = tmp.resolve("scores.svg");
        Run r = face("eval", TestData.path("deepface/images").toString(),
                TestData.path("face_recognition/images").toString(), "--json", "--target-far", "0.001",
                "--plot", plot.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().lines().count(), "stdout is the one JSON object: " + r.out());
        JsonNode j = JSON.readTree(r.out());
        // one progress line per photo on stderr, numbered up to the total
        long photos = j.get("photos").asLong() + j.get("photosWithoutFace").asLong();
        List<String> progress = r.err().lines().filter(l -> l.startsWith("[")).toList();
        assertEquals(photos, progress.size(), r.err());
        assertTrue(progress.get(progress.size() - 1).startsWith("[" + photos + "/" + photos + "] "), progress.toString());
        assertTrue(j.get("rocAuc").asDouble() >= 0.999, j.toString());
        assertTrue(j.get("tarAtThreshold").asDouble() >= 0.99, j.toString());
        assertTrue(j.get("farAtThreshold").asDouble() <= 0.001, j.toString());
        assertEquals(1.0, j.get("rank1").asDouble(), j.toString());
        assertEquals(19, j.get("people").asInt());

        // the documented rule for the default threshold (README, "Matching and the threshold"): the
        // lowest threshold at two decimals whose FAR on these pairs is at most 0.1%
        double atTarget = j.get("thresholdAtTargetFar").asDouble();
        assertTrue(j.get("farAtTargetFar").asDouble() <= 0.001, j.toString());
        assertEquals(Math.ceil(atTarget * 100 - 1e-9) / 100, FaceModels.DEFAULT_THRESHOLD, 1e-9,
                "the default is the FAR 0.1% threshold " + atTarget + " rounded up to two decimals");

        // the table: ascending thresholds, accepting fewer pairs of either kind as it goes, with the
        // threshold and the target's own rows
        JsonNode table = j.get("table");
        List<Double> thresholds = new ArrayList<>();
        for (int i = 0; i < table.size(); i++) {
            JsonNode row = table.get(i);
            thresholds.add(row.get("threshold").asDouble());
            assertEquals(row.get("falseAccepts").asInt() / (double) j.get("impostorPairs").asInt(), row.get("far").asDouble(), 1e-12);
            if (i > 0) {
                JsonNode prev = table.get(i - 1);
                assertTrue(row.get("threshold").asDouble() > prev.get("threshold").asDouble(), table.toString());
                assertTrue(row.get("tar").asDouble() <= prev.get("tar").asDouble(), table.toString());
                assertTrue(row.get("far").asDouble() <= prev.get("far").asDouble(), table.toString());
            }
        }
        assertTrue(thresholds.contains(FaceModels.DEFAULT_THRESHOLD), thresholds.toString());
        assertTrue(thresholds.contains(atTarget), thresholds.toString());

        // the plot: both histograms, the ROC, a line at the threshold and one at the target's
        String svg = Files.readString(plot);
        var doc = ScorePlotTest.parse(svg);
        ScorePlotTest.byId(doc, "path", "genuine");
        ScorePlotTest.byId(doc, "path", "impostor");
        ScorePlotTest.byId(doc, "polyline", "roc");
        List<Double> lines = new ArrayList<>();
        var all = doc.getElementsByTagName("line");
        for (int i = 0; i < all.getLength(); i++) {
            var e = (org.w3c.dom.Element) all.item(i);
            if ("threshold".equals(e.getAttribute("class"))) {
                lines.add(Double.parseDouble(e.getAttribute("data-threshold")));
            }
        }
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(FaceModels.DEFAULT_THRESHOLD, lines.get(0), 1e-6);
        assertEquals(atTarget, lines.get(1), 1e-6);
    }

    @Test
    void evalRefusesABadTargetFarOrPlotFolderInOneLine() {
        for (String bad : List.of("0", "1", "abc", "-0.1")) {
            Run r = face("eval", "dir", "--target-far", bad);
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("face: --target-far "), r.err());
            assertTrue(r.err().contains(bad), r.err());
        }
        Run r = face("eval", TestData.path("face_recognition/images").toString(), "--plot",
                tmp.resolve("absent/plot.svg").toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("face: " + tmp.resolve("absent/plot.svg") + ": its folder does not exist\n", r.err());
    }
}
