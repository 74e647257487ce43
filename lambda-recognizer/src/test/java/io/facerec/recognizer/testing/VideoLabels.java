package io.facerec.recognizer.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared video's frames with who is visible in each, as {@code frames_labels.tsv} says
 * (frame, time_s, visible_identity, note): the tests take their sequences from it, not from frame
 * numbers of their own.
 */
public record VideoLabels(Path dir, List<Row> rows) {
    /** One frame: its file, its time in the clip, who is visible, and the annotator's note. */
    public record Row(int index, String file, double timeS, String identity, String note) {
        /** Milliseconds into the clip. */
        public long millis() {
            return Math.round(timeS * 1000);
        }
    }

    public static VideoLabels read() throws IOException {
        Path dir = TestData.path("face_recognition/video");
        List<Row> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(dir.resolve("frames_labels.tsv"));
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t", -1);
            rows.add(new Row(i, f[0], Double.parseDouble(f[1]), f[2], f.length > 3 ? f[3] : ""));
        }
        return new VideoLabels(dir, rows);
    }

    public byte[] bytes(Row r) throws IOException {
        return Files.readAllBytes(dir.resolve(r.file()));
    }

    /** Rows whose identity is a plain name (not "?", UNCERTAIN or a group). */
    public static boolean isPerson(String identity) {
        return identity.matches("[a-z_]+");
    }
}
