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
     * Writes all three files to temporary names first, then swaps them in; if any swap fails the
     * files already swapped are put back, so a failure leaves the old gallery whole (or nothing).
     */
    public static void write(Path dir, Gallery gallery) throws IOException {
        Files.createDirectories(dir);
        Gallery.Encoded e = gallery.encode();
        List<Path[]> staged = new ArrayList<>();
        List<Path[]> done = new ArrayList<>(); // target, backup (null when there was no old file)
        boolean ok = false;
        try {
            staged.add(stage(dir, Gallery.ENCODINGS, e.encodings()));
            if (e.info() != null) {
                staged.add(stage(dir, Gallery.INFO, e.info()));
            }
            staged.add(stage(dir, Gallery.LABELS, e.labels()));
            for (Path[] s : staged) {
                Path backup = null;
                if (Files.exists(s[1], java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    backup = dir.resolve("." + s[1].getFileName() + ".old");
                    move(s[1], backup);
                }
                done.add(new Path[] {s[1], backup});
                move(s[0], s[1]);
            }
            ok = true;
        } finally {
            if (!ok) {
                for (int i = done.size() - 1; i >= 0; i--) {
                    Path[] d = done.get(i);
                    if (d[1] != null) {
                        move(d[1], d[0]);
                    } else {
                        Files.deleteIfExists(d[0]);
                    }
                }
            }
            for (Path[] d : done) {
                if (ok && d[1] != null) {
                    Files.deleteIfExists(d[1]);
                }
            }
            for (Path[] s : staged) {
                Files.deleteIfExists(s[0]);
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
