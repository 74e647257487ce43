package io.facerec.model.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GalleryTest {
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] npy(int rows, int cols, float fill) {
        float[] d = new float[rows * cols];
        java.util.Arrays.fill(d, fill);
        return NpyCodec.write(new FloatMatrix(rows, cols, d));
    }

    @Test
    void decodesOldSystemGalleryWithoutInfoAndRepeatedLabels() throws Exception {
        Gallery g = Gallery.decode(npy(3, 128, 0.1f), utf8("[\"ana\", \"ana\", \"luis\"]"), null, "s3://b/gallery", new ArrayList<>());
        assertEquals(List.of("ana", "ana", "luis"), g.labels());
        assertEquals(128, g.dimension());
        assertNull(g.info());
    }

    @Test
    void refusesLabelCountDifferentFromRows() {
        var e = assertThrows(GalleryFormatException.class,
                () -> Gallery.decode(npy(3, 4, 1), utf8("[\"a\", \"b\"]"), null, "gal", new ArrayList<>()));
        assertEquals("gal: labels.json has 2 labels but encodings.npy has 3 rows; they must match one to one",
                e.getMessage());
    }

    @Test
    void rowsHoldingNaNOrInfinityAreLeftOutByNumber() throws Exception {
        float[] d = {1, 2, Float.NaN, 4, 5, 6};
        List<String> refused = new ArrayList<>();
        Gallery g = Gallery.decode(NpyCodec.write(new FloatMatrix(3, 2, d)), utf8("[\"a\",\"b\",\"c\"]"), null, "gal", refused);
        assertEquals(List.of("a", "c"), g.labels());
        assertEquals(List.of("gal: row 1 left out: encodings.npy holds NaN in it; every value must be a finite number"),
                refused);
        byte[] inf = NpyCodec.write(new FloatMatrix(1, 2, new float[] {Float.POSITIVE_INFINITY, 0}));
        refused.clear();
        assertEquals(0, Gallery.decode(inf, utf8("[\"a\"]"), null, "gal", refused).size());
        assertTrue(refused.get(0).contains("Infinity"), refused.toString());
    }

    @Test
    void refusesMalformedLabels() throws Exception {
        assertTrue(assertThrows(GalleryFormatException.class,
                () -> Gallery.decode(npy(1, 2, 1), utf8("{\"a\": 1}"), null, "gal", new ArrayList<>())).getMessage()
                .startsWith("gal/labels.json: not a JSON array of names"));
        assertTrue(assertThrows(GalleryFormatException.class,
                () -> Gallery.decode(npy(1, 2, 1), utf8("[\"a\""), null, "gal", new ArrayList<>())).getMessage()
                .startsWith("gal/labels.json: not a JSON array"));
        List<String> refused = new ArrayList<>();
        assertEquals(List.of("a"), Gallery.decode(npy(2, 2, 1), utf8("[\"a\", 7]"), null, "gal", refused).labels());
        assertEquals(List.of("gal: row 1 left out: its label is 7, not a string"), refused);
    }

    @Test
    void refusesInfoWhoseDimensionDisagrees() {
        var e = assertThrows(GalleryFormatException.class, () -> Gallery.decode(npy(1, 4, 1), utf8("[\"a\"]"),
                utf8("{\"modelId\":\"m\",\"dimension\":512}"), "gal", new ArrayList<>()));
        assertEquals("gal: gallery.json says dimension 512 but encodings.npy has 4 columns", e.getMessage());
    }

    @Test
    void dlibGalleryGivenToTheModelSaysSo() throws Exception {
        Gallery dlib = Gallery.decode(npy(2, 128, 0.1f), utf8("[\"a\",\"b\"]"), null, "old", new ArrayList<>());
        var e = assertThrows(GalleryFormatException.class, () -> dlib.requireCompatible("faceplugin/fr_feature", 512, "old"));
        assertEquals("old: gallery holds 128-number vectors (a 128-number gallery is probably dlib's, from Python "
                + "face_recognition) but model faceplugin/fr_feature makes 512-number vectors; re-enrol the photos "
                + "with this model", e.getMessage());
    }

    @Test
    void galleryOfAnotherModelWithSameDimensionIsRefused() throws Exception {
        Gallery g = Gallery.decode(npy(1, 4, 1), utf8("[\"a\"]"), utf8("{\"modelId\":\"other\"}"), "g", new ArrayList<>());
        assertTrue(assertThrows(GalleryFormatException.class, () -> g.requireCompatible("mine", 4, "g"))
                .getMessage().contains("made by model other"));
        g.requireCompatible("other", 4, "g");
    }

    @Test
    void filesRoundTripAtomically(@TempDir Path dir) throws Exception {
        Gallery g = new Gallery(List.of("ana", "luis"), new FloatMatrix(2, 3, new float[] {1, 0, 0, 0, 1, 0}),
                new GalleryInfo("m", 3, GalleryInfo.COSINE, 0.5));
        GalleryFiles.write(dir, g);
        Gallery back = GalleryFiles.read(dir, new ArrayList<>());
        assertEquals(g.labels(), back.labels());
        assertEquals(g.embeddings(), back.embeddings());
        assertEquals("m", back.info().modelId());
        assertEquals(0.5, back.info().threshold());
        assertEquals(64, Gallery.decodeInfo(Files.readAllBytes(dir.resolve("gallery.json")), "g").encodingsSha256().length(),
                "gallery.json records the data files' sums");
        try (var files = Files.list(dir)) {
            assertEquals(List.of("encodings.npy", "gallery.json", "labels.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temp files left");
        }
    }

    @Test
    void failedWriteLeavesTheOldGalleryWhole(@TempDir Path dir) throws Exception {
        Gallery old = new Gallery(List.of("ana"), new FloatMatrix(1, 2, new float[] {1, 0}), null);
        GalleryFiles.write(dir, old);
        // a non-empty directory where the old labels.json would be set aside makes the last swap fail
        Files.createDirectories(dir.resolve(".labels.json.old").resolve("blocker"));
        Gallery next = new Gallery(List.of("ana", "luis"), new FloatMatrix(2, 2, new float[] {1, 0, 0, 1}),
                new GalleryInfo("m", 2, "cosine", 0.5));
        assertThrows(java.io.IOException.class, () -> GalleryFiles.write(dir, next));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(".labels.json.old", "encodings.npy", "labels.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "encodings.npy put back, gallery.json (new) removed, no temp files");
        }
        assertEquals(old.embeddings(), NpyCodec.read(Files.readAllBytes(dir.resolve("encodings.npy")), "e"),
                "the old vectors, not the new ones");
    }

    @Test
    void tornGalleryIsToldApartFromAMalformedOne() throws Exception {
        Gallery before = new Gallery(List.of("ana"), new FloatMatrix(1, 2, new float[] {1, 0}),
                new GalleryInfo("m", 2, "cosine", 0.5));
        Gallery after = new Gallery(List.of("ana", "luis"), new FloatMatrix(2, 2, new float[] {1, 0, 0, 1}), before.info());
        Gallery.Encoded a = before.encode();
        Gallery.Encoded b = after.encode();
        // new vectors and gallery.json with the old labels: what a reader sees mid-write
        var e = assertThrows(TornGalleryException.class, () -> Gallery.decode(b.encodings(), a.labels(), b.info(), "g", new ArrayList<>()));
        assertEquals("g: labels.json is not the one gallery.json was written with (a write in progress or interrupted)",
                e.getMessage());
        assertEquals(List.of("ana", "luis"), Gallery.decode(b.encodings(), b.labels(), b.info(), "g", new ArrayList<>()).labels());
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        var e = assertThrows(GalleryFormatException.class, () -> GalleryFiles.read(dir, new ArrayList<>()));
        assertEquals(dir.resolve("encodings.npy") + ": missing (no gallery here yet)", e.getMessage());
    }

    @Test
    void badLabelsAreRefusedByNameAndCostNoOtherRow() throws Exception {
        byte[] labels = utf8("[\"ana\", \"  \", \"Desconocido\", \"luis\\u0007\", \"UNKNOWN\", \"eva\"]");
        List<String> refused = new ArrayList<>();
        Gallery g = Gallery.decode(npy(6, 2, 1), labels, null, "gal", refused);
        assertEquals(List.of("ana", "eva"), g.labels(), "the good rows are kept");
        assertEquals(2, g.embeddings().rows());
        assertEquals(List.of("gal: row 1 left out: its label \"  \" is blank",
                "gal: row 2 left out: its label \"Desconocido\" is the name given to unknown faces",
                "gal: row 3 left out: its label \"luis\\u0007\" carries the control character U+0007",
                "gal: row 4 left out: its label \"UNKNOWN\" is the name given to unknown faces"), refused);
    }

    @Test
    void namesThatDifferOnlyInUnicodeFormAreOnePerson() throws Exception {
        // "José" composed (NFC) and decomposed (NFD, e + combining acute): one person, in NFC
        byte[] labels = utf8("[\"Jos\\u00e9\", \"Jose\\u0301\"]");
        Gallery g = Gallery.decode(npy(2, 2, 1), labels, null, "gal", new ArrayList<>());
        assertEquals(List.of("Jos\u00e9", "Jos\u00e9"), g.labels());
    }
}
