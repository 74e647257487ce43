package io.facerec.model.gallery;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A gallery in a local folder: what {@code face enroll} writes (the old format and its sidecar), and
 * what {@code face recognize} reads, in the old format or laid out as the recognizer keeps it in S3 (a
 * copy of {@code gallery/}, see {@link GalleryLayout}). Writes are atomic per file (temp file + rename).
 */
public final class GalleryFiles {
    /** Local galleries are read whole into memory too; this is far above any real one. */
    public static final long MAX_FILE_BYTES = 1L << 30;

    private GalleryFiles() {
    }

    /**
     * The gallery in {@code dir}; rows that could not be used, and any other problem worth telling,
     * are added to {@code problems}. Throws when there is nothing to match against.
     */
    public static Gallery read(Path dir, List<String> problems) throws IOException {
        GalleryLayout.Combined c = GalleryLayout.read(objects(dir), MAX_FILE_BYTES).combine(null, 0);
        if (c.gallery().isEmpty()) {
            throw new GalleryFormatException(c.problems().isEmpty() ? dir + ": no gallery" : c.problems().get(0));
        }
        problems.addAll(c.problems());
        return c.gallery().get();
    }

    /** The folder as {@link GalleryObjects}: names are relative paths, the ETag a file's SHA-256. */
    public static GalleryObjects objects(Path dir) {
        return new GalleryObjects() {
            @Override
            public String location() {
                return dir.toString();
            }

            @Override
            public java.util.Optional<Blob> get(String name, long maxBytes) throws IOException {
                Path f = dir.resolve(name);
                if (!Files.isRegularFile(f)) {
                    return java.util.Optional.empty();
                }
                long size = Files.size(f);
                if (size > maxBytes) {
                    throw new GalleryFormatException(f + ": " + size + " bytes, over the limit of " + maxBytes);
                }
                byte[] bytes = Files.readAllBytes(f);
                return java.util.Optional.of(new Blob(bytes, Gallery.sha256(bytes)));
            }

            @Override
            public List<Entry> list(String prefix) throws IOException {
                List<Entry> out = new ArrayList<>();
                if (!Files.isDirectory(dir)) {
                    return out;
                }
                try (var files = Files.walk(dir)) {
                    for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        String name = dir.relativize(f).toString().replace(java.io.File.separatorChar, '/');
                        if (name.startsWith(prefix)) {
                            out.add(new Entry(name, null, Files.size(f), Files.getLastModifiedTime(f).toInstant()));
                        }
                    }
                }
                return out;
            }
        };
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

}
