package io.facerec.model.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layout read from a local folder: the same rules as in S3, without S3. */
class GalleryLayoutTest {
    static final GalleryInfo MODEL = new GalleryInfo("m", 2, GalleryInfo.COSINE, null);

    static Gallery people(GalleryInfo info, String... labels) {
        float[] d = new float[labels.length * 2];
        for (int i = 0; i < labels.length; i++) {
            d[2 * i] = i + 1;
        }
        return new Gallery(List.of(labels), new FloatMatrix(labels.length, 2, d), info);
    }

    static GallerySources photos(Gallery g) {
        List<GallerySources.Row> rows = new ArrayList<>();
        for (int i = 0; i < g.size(); i++) {
            rows.add(new GallerySources.Row("enroll/" + g.labels().get(i) + "/" + i + ".jpg", "etag" + i));
        }
        return new GallerySources(rows, java.util.Map.of());
    }

    /** What the recognizer does in S3: the commit's files, then the pointer. */
    static GalleryLayout.EncodedCommit commit(Path dir, Gallery g, long generation) throws IOException {
        GalleryLayout.EncodedCommit c = GalleryLayout.encodeCommit(g, photos(g), generation, "parent" + generation);
        for (var f : c.files().entrySet()) {
            Files.createDirectories(dir.resolve(f.getKey()).getParent());
            Files.write(dir.resolve(f.getKey()), f.getValue());
        }
        Files.write(dir.resolve(GalleryLayout.POINTER), c.pointer());
        return c;
    }

    static void plain(Path dir, Gallery g) throws IOException {
        Files.write(dir.resolve(Gallery.ENCODINGS), NpyCodec.write(g.embeddings()));
        Files.write(dir.resolve(Gallery.LABELS), Gallery.json(g.labels()));
    }

    static GalleryLayout.Snapshot read(GalleryObjects o) throws IOException {
        return GalleryLayout.read(o, 1 << 20);
    }

    @Test
    void enrolledRowsAndAPlainGalleryCopiedInAreBothCounted(@TempDir Path dir) throws Exception {
        commit(dir, people(MODEL, "ana", "ana"), 1);
        plain(dir, people(null, "luis"));
        GalleryLayout.Snapshot s = read(GalleryFiles.objects(dir));
        assertEquals(1, s.commit().orElseThrow().generation());
        assertEquals(List.of("enroll/ana/0.jpg", "enroll/ana/1.jpg"),
                s.commit().get().sources().rows().stream().map(GallerySources.Row::photo).toList());
        GalleryLayout.Combined c = s.combine("m", 2);
        assertEquals(List.of("ana", "ana", "luis"), c.gallery().orElseThrow().labels());
        assertEquals(List.of(), c.problems());
    }

    @Test
    void oldSystemGalleryAloneIsUsedAsItIs(@TempDir Path dir) throws Exception {
        plain(dir, people(null, "ana", "ana", "luis"));
        GalleryLayout.Combined c = read(GalleryFiles.objects(dir)).combine("m", 2);
        assertEquals(List.of("ana", "ana", "luis"), c.gallery().orElseThrow().labels());
        assertEquals(List.of(), c.problems());
    }

    @Test
    void pointerOverwrittenByACopiedSidecarKeepsTheEnrolledRowsAndSaysSo(@TempDir Path dir) throws Exception {
        GalleryLayout.EncodedCommit first = commit(dir, people(MODEL, "ana"), 1);
        // a face enroll folder copied over the prefix: encodings.npy, labels.json and its gallery.json
        GalleryFiles.write(dir, people(new GalleryInfo("m", 2, GalleryInfo.COSINE, 0.42), "luis"));
        GalleryLayout.Snapshot s = read(GalleryFiles.objects(dir));
        assertEquals(first.folder(), s.commit().orElseThrow().folder(), "the newest commit folder");
        GalleryLayout.Combined c = s.combine("m", 2);
        assertEquals(List.of("ana", "luis"), c.gallery().orElseThrow().labels());
        assertEquals(0.42, c.gallery().get().info().threshold(), "the copied gallery.json's threshold");
        assertEquals(List.of(dir + "/gallery.json is not a commit pointer (a gallery.json copied in?): the enrolled rows "
                + "come from the newest commit, " + first.folder() + ", until the next enrolment writes the pointer again"),
                c.problems());
    }

    @Test
    void readerThatLosesTheRaceToAWriterReadsThePointerAgain(@TempDir Path dir) throws Exception {
        GalleryLayout.EncodedCommit old = commit(dir, people(MODEL, "ana"), 1);
        GalleryObjects files = GalleryFiles.objects(dir);
        boolean[] raced = {false};
        GalleryObjects racing = new GalleryObjects() {
            @Override
            public String location() {
                return files.location();
            }

            @Override
            public Optional<Blob> get(String name, long maxBytes) throws IOException {
                if (name.equals(old.folder() + Gallery.ENCODINGS) && !raced[0]) {
                    // between this reader's pointer read and its data read, a writer commits and removes the old folder
                    raced[0] = true;
                    commit(dir, people(MODEL, "ana", "luis"), 2);
                    for (String f : old.files().keySet()) {
                        Files.delete(dir.resolve(f));
                    }
                }
                return files.get(name, maxBytes);
            }

            @Override
            public List<Entry> list(String prefix) throws IOException {
                return files.list(prefix);
            }
        };
        GalleryLayout.Snapshot s = read(racing);
        assertTrue(raced[0]);
        assertEquals(2, s.commit().orElseThrow().generation());
        assertEquals(List.of("ana", "luis"), s.combine("m", 2).gallery().orElseThrow().labels());
        assertEquals(List.of(), s.unreadable());
    }

    @Test
    void fileOverTheLimitIsRefusedByNameBeforeItIsRead(@TempDir Path dir) throws Exception {
        plain(dir, people(null, Collections.nCopies(100, "ana").toArray(String[]::new)));
        GalleryLayout.Snapshot s = GalleryLayout.read(GalleryFiles.objects(dir), 800);
        long size = Files.size(dir.resolve(Gallery.ENCODINGS));
        assertEquals(List.of(dir.resolve(Gallery.ENCODINGS) + ": " + size + " bytes, over the limit of 800"),
                s.unreadable());
        assertTrue(s.combine("m", 2).gallery().isEmpty());
    }

    @Test
    void galleryOfAnotherModelIsLeftOutAndNamedWhileTheRestIsUsed(@TempDir Path dir) throws Exception {
        commit(dir, people(MODEL, "ana"), 1);
        Files.write(dir.resolve(Gallery.ENCODINGS), NpyCodec.write(new FloatMatrix(1, 128, new float[128])));
        Files.write(dir.resolve(Gallery.LABELS), Gallery.json(List.of("luis")));
        GalleryLayout.Combined c = read(GalleryFiles.objects(dir)).combine("m", 2);
        assertEquals(List.of("ana"), c.gallery().orElseThrow().labels());
        assertEquals(1, c.problems().size());
        assertTrue(c.problems().get(0).startsWith(dir + ": gallery holds 128-number vectors"), c.problems().toString());
    }
}
