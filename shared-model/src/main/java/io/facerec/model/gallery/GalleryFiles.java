package io.facerec.model.gallery;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** A gallery in a local folder. Writes are atomic per file (temp file + rename). */
public final class GalleryFiles {
    private GalleryFiles() {
    }

    public static Gallery read(Path dir) throws IOException {
        byte[] npy = readRequired(dir.resolve(Gallery.ENCODINGS));
        byte[] labels = readRequired(dir.resolve(Gallery.LABELS));
        Path info = dir.resolve(Gallery.INFO);
        return Gallery.decode(npy, labels, Files.exists(info) ? Files.readAllBytes(info) : null, dir.toString());
    }

    /**
     * Writes all three files to temporary names first, then renames them into place, so a failure
     * leaves either the old gallery or nothing, never a half-written file.
     */
    public static void write(Path dir, Gallery gallery) throws IOException {
        Files.createDirectories(dir);
        Gallery.Encoded e = gallery.encode();
        List<Path[]> moves = new ArrayList<>();
        try {
            moves.add(stage(dir, Gallery.ENCODINGS, e.encodings()));
            if (e.info() != null) {
                moves.add(stage(dir, Gallery.INFO, e.info()));
            }
            // labels last: a reader that races the renames sees a count mismatch, a clear error
            moves.add(stage(dir, Gallery.LABELS, e.labels()));
            for (Path[] m : moves) {
                move(m[0], m[1]);
            }
        } finally {
            for (Path[] m : moves) {
                Files.deleteIfExists(m[0]);
            }
        }
    }

    private static Path[] stage(Path dir, String name, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp");
        Files.write(tmp, bytes);
        return new Path[] {tmp, dir.resolve(name)};
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException ex) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static byte[] readRequired(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new GalleryFormatException(file + ": missing");
        }
    }
}
