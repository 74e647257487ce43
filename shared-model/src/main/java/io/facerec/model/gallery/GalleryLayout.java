package io.facerec.model.gallery;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * How a gallery is kept under its prefix, and how it is read. Two sources, both always counted:
 *
 * <ul>
 *   <li>the <b>commits</b> the recognizer writes from the photos under {@code enroll/}: each one is a
 *   folder {@code commits/<generation>-<id>/} of {@code encodings.npy}, {@code labels.json} (the old
 *   format), {@code sources.json} (each row's photo and ETag) and {@code gallery.json} (their sums),
 *   never changed once written; the {@code id} is the SHA-256 of the files' sums and of the ETag of the
 *   pointer it replaces, so no two commits ever share a folder. {@code gallery.json} at the top is
 *   the pointer to the current one, replaced by one conditional write: a reader sees the commit before
 *   or the commit after, never a mix;</li>
 *   <li>the <b>plain</b> {@code encodings.npy} + {@code labels.json} at the top, with the optional
 *   sidecar {@code gallery.json} when the top one is not a pointer: the old system's gallery copied in
 *   as it is, or a {@code face enroll} folder. The recognizer never writes them.</li>
 * </ul>
 *
 * The gallery matched against is the commit's rows followed by the plain rows. When the top
 * {@code gallery.json} is not a pointer (a sidecar copied over it), the newest commit folder is used
 * and the reader says so.
 */
public final class GalleryLayout {
    public static final String POINTER = Gallery.INFO;
    public static final String COMMITS = "commits/";
    /** A gallery.json is a few hundred bytes; one of a megabyte is not ours. */
    public static final long MAX_POINTER_BYTES = 1 << 20;
    private static final int READ_ATTEMPTS = 3;

    private GalleryLayout() {
    }

    /** The folder of a commit. Zero-padded so that names sort as generations do. */
    public static String commitFolder(long generation, String id) {
        return String.format("%s%010d-%s/", COMMITS, generation, id);
    }

    /** A commit ready to store: its files by name, in the order to write them, then the pointer to it. */
    public record EncodedCommit(String folder, long generation, java.util.SequencedMap<String, byte[]> files,
                                byte[] pointer) {
    }

    /**
     * Encodes {@code g} (its info gives the model fields) and its rows' origins as commit number
     * {@code generation}, the successor of the pointer whose ETag is {@code parentEtag} (null: none).
     * The folder's id hashes the files' sums with that ETag: two writers that start from the same
     * pointer with the same rows make the same folder (and at most one commits); any later commit
     * has another parent, hence another folder.
     */
    public static EncodedCommit encodeCommit(Gallery g, GallerySources sources, long generation, String parentEtag) {
        if (sources.rows().size() != g.size()) {
            throw new IllegalArgumentException(sources.rows().size() + " row sources for " + g.size() + " rows");
        }
        byte[] npy = NpyCodec.write(g.embeddings());
        byte[] labels = Gallery.json(g.labels());
        byte[] src = sources.encode();
        String e = Gallery.sha256(npy);
        String l = Gallery.sha256(labels);
        String s = Gallery.sha256(src);
        String parent = parentEtag == null ? "" : GalleryObjects.tag(parentEtag);
        String id = Gallery.sha256((parent + "\n" + generation + "\n" + e + "\n" + l + "\n" + s)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 16);
        String folder = commitFolder(generation, id);
        GalleryInfo base = g.info() == null ? new GalleryInfo(null, g.dimension(), null, null) : g.info().model();
        GalleryInfo own = base.forCommit(e, l, s, generation);
        java.util.SequencedMap<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put(folder + Gallery.ENCODINGS, npy);
        files.put(folder + Gallery.LABELS, labels);
        files.put(folder + GallerySources.FILE, src);
        files.put(folder + POINTER, Gallery.json(own));
        return new EncodedCommit(folder, generation, files, Gallery.json(own.pointingTo(folder)));
    }

    /** A commit: its folder and number, its rows (info: the commit's description) and their origins. */
    public record Commit(String folder, long generation, Gallery gallery, GallerySources sources) {
    }

    /** ETags of the top objects (null where absent): a change in any of them means a new gallery. */
    public record Versions(String pointer, String encodings, String labels) {
        public static Versions of(List<GalleryObjects.Entry> entries) {
            String p = null;
            String e = null;
            String l = null;
            for (GalleryObjects.Entry x : entries) {
                switch (x.name()) {
                    case POINTER -> p = GalleryObjects.tag(x.etag());
                    case Gallery.ENCODINGS -> e = GalleryObjects.tag(x.etag());
                    case Gallery.LABELS -> l = GalleryObjects.tag(x.etag());
                    default -> { }
                }
            }
            return new Versions(p, e, l);
        }
    }

    /**
     * One read of the gallery. {@code top} is the top gallery.json as found (a pointer, a sidecar, or
     * null); {@code problems} are things the user should know that leave the gallery usable (a row
     * left out, the pointer replaced); {@code unreadable} are objects present that could not be read
     * now (torn, malformed, too large), where an earlier good read is better than this one.
     */
    public record Snapshot(String location, GalleryInfo top, Optional<Commit> commit, Optional<Gallery> plain,
                           List<String> problems, List<String> unreadable, Versions versions) {
        public Snapshot {
            problems = List.copyOf(problems);
            unreadable = List.copyOf(unreadable);
        }

        /** The top gallery.json's ETag: the precondition of the next commit (null: none there). */
        public String pointerEtag() {
            return versions.pointer();
        }

        public boolean isEmpty() {
            return commit.isEmpty() && plain.isEmpty() && unreadable.isEmpty()
                    && versions.encodings() == null && versions.labels() == null;
        }

        /**
         * The gallery to match against: the commit's rows then the plain rows, each part checked
         * against the model that will use it ({@code modelId} null: any model, parts must agree on the
         * dimension). A part that does not fit is left out and named; nothing at all is a problem too.
         */
        public Combined combine(String modelId, int dimension) {
            List<String> out = new ArrayList<>(problems);
            out.addAll(unreadable);
            Gallery c = commit.map(Commit::gallery).orElse(null);
            Gallery p = plain.orElse(null);
            if (modelId != null) {
                c = compatible(c, modelId, dimension, location + "/" + commit.map(Commit::folder).orElse(""), out);
                p = compatible(p, modelId, dimension, location, out);
            } else if (c != null && p != null && c.size() > 0 && p.size() > 0 && c.dimension() != p.dimension()) {
                out.add(location + "/" + Gallery.ENCODINGS + ": left out, its " + p.dimension()
                        + "-number vectors cannot be compared with the enrolled rows' " + c.dimension());
                p = null;
            }
            if (c == null && p == null) {
                if (isEmpty()) {
                    out.add(location + "/" + Gallery.ENCODINGS + ": missing (no gallery here yet)");
                }
                return new Combined(Optional.empty(), out);
            }
            Double threshold = top != null && top.threshold() != null ? top.threshold()
                    : c != null && c.info() != null ? c.info().threshold() : null;
            GalleryInfo info = c != null && c.info() != null ? c.info().model().withThreshold(threshold)
                    : p.info() != null ? p.info().model().withThreshold(threshold) : null;
            if (p == null || p.size() == 0) {
                return new Combined(Optional.of(new Gallery(c.labels(), c.embeddings(), info)), out);
            }
            if (c == null || c.size() == 0) {
                return new Combined(Optional.of(new Gallery(p.labels(), p.embeddings(), info)), out);
            }
            List<String> labels = new ArrayList<>(c.labels());
            labels.addAll(p.labels());
            float[] data = new float[c.embeddings().data().length + p.embeddings().data().length];
            System.arraycopy(c.embeddings().data(), 0, data, 0, c.embeddings().data().length);
            System.arraycopy(p.embeddings().data(), 0, data, c.embeddings().data().length, p.embeddings().data().length);
            return new Combined(Optional.of(new Gallery(labels, new FloatMatrix(labels.size(), c.dimension(), data), info)),
                    out);
        }

        private static Gallery compatible(Gallery g, String modelId, int dimension, String where, List<String> out) {
            if (g == null) {
                return null;
            }
            try {
                g.requireCompatible(modelId, dimension, where.endsWith("/") ? where.substring(0, where.length() - 1) : where);
                return g;
            } catch (GalleryFormatException e) {
                out.add(e.getMessage());
                return null;
            }
        }
    }

    /** The gallery to match against (empty when there is none) and everything worth telling about it. */
    public record Combined(Optional<Gallery> gallery, List<String> problems) {
    }

    /**
     * Reads the gallery: the pointer, then the files it names. When they are gone (a writer replaced
     * the pointer and removed the old commit between the two reads) the pointer is read again.
     */
    public static Snapshot read(GalleryObjects o, long maxBytes) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return readOnce(o, maxBytes, attempt == READ_ATTEMPTS);
            } catch (Vanished v) {
                // the pointer moved on while we read: read it again
            }
        }
    }

    private static Snapshot readOnce(GalleryObjects o, long maxBytes, boolean last) throws IOException {
        String loc = o.location();
        List<String> problems = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        Optional<GalleryObjects.Blob> top = getOrNote(o, POINTER, MAX_POINTER_BYTES, unreadable);
        GalleryInfo info = null;
        if (top.isPresent()) {
            try {
                info = Gallery.decodeInfo(top.get().bytes(), loc + "/" + POINTER);
            } catch (GalleryFormatException e) {
                unreadable.add(e.getMessage());
            }
        }
        Optional<Commit> commit = Optional.empty();
        if (info != null && info.isPointer()) {
            try {
                commit = Optional.of(readCommit(o, info.commit(), info, top.get().bytes(), maxBytes, problems));
            } catch (Vanished v) {
                if (!last) {
                    throw v;
                }
                unreadable.add(loc + "/" + POINTER + " names " + info.commit() + ", whose " + v.getMessage()
                        + " is missing");
            } catch (GalleryFormatException e) {
                unreadable.add(e.getMessage());
            }
        } else {
            commit = newestCommit(o, maxBytes, problems);
            if (commit.isPresent()) {
                problems.add(loc + "/" + POINTER + (top.isEmpty() ? " is missing" : " is not a commit pointer (a "
                        + "gallery.json copied in?)") + ": the enrolled rows come from the newest commit, "
                        + commit.get().folder() + ", until the next enrolment writes the pointer again");
            }
        }
        byte[] sidecar = info != null && !info.isPointer() ? top.get().bytes() : null;
        Optional<GalleryObjects.Blob> enc = getOrNote(o, Gallery.ENCODINGS, maxBytes, unreadable);
        Optional<GalleryObjects.Blob> labels = getOrNote(o, Gallery.LABELS, maxBytes, unreadable);
        Optional<Gallery> plain = Optional.empty();
        if (enc.isPresent() && labels.isPresent()) {
            try {
                plain = Optional.of(Gallery.decode(enc.get().bytes(), labels.get().bytes(), sidecar, loc, problems));
            } catch (GalleryFormatException e) {
                unreadable.add(e.getMessage());
            }
        } else if (enc.isPresent() || labels.isPresent()) {
            String missing = enc.isPresent() ? Gallery.LABELS : Gallery.ENCODINGS;
            String there = enc.isPresent() ? Gallery.ENCODINGS : Gallery.LABELS;
            if (unreadable.stream().noneMatch(m -> m.startsWith(loc + "/" + missing + ":"))) { // not just too large
                unreadable.add(loc + "/" + missing + ": missing (" + there + " is there without it; an upload in progress?)");
            }
        }
        Versions versions = new Versions(top.map(b -> GalleryObjects.tag(b.etag())).orElse(null),
                enc.map(b -> GalleryObjects.tag(b.etag())).orElse(null),
                labels.map(b -> GalleryObjects.tag(b.etag())).orElse(null));
        return new Snapshot(loc, info, commit, plain, problems, unreadable, versions);
    }

    private static Optional<GalleryObjects.Blob> getOrNote(GalleryObjects o, String name, long max, List<String> unreadable)
            throws IOException {
        try {
            return o.get(name, max);
        } catch (GalleryFormatException e) {
            unreadable.add(e.getMessage());
            return Optional.empty();
        }
    }

    /** The newest commit folder that is whole: what a replaced pointer pointed to, or one step further. */
    private static Optional<Commit> newestCommit(GalleryObjects o, long maxBytes, List<String> problems)
            throws IOException {
        TreeSet<String> folders = new TreeSet<>();
        for (GalleryObjects.Entry e : o.list(COMMITS)) {
            int slash = e.name().indexOf('/', COMMITS.length());
            if (slash > 0) {
                folders.add(e.name().substring(0, slash + 1));
            }
        }
        for (String folder : folders.descendingSet()) {
            try {
                Optional<GalleryObjects.Blob> own = o.get(folder + POINTER, MAX_POINTER_BYTES);
                if (own.isEmpty()) {
                    continue;
                }
                GalleryInfo info = Gallery.decodeInfo(own.get().bytes(), o.location() + "/" + folder + POINTER);
                if (info.generation() == null) {
                    continue;
                }
                List<String> rowProblems = new ArrayList<>();
                Commit c = readCommit(o, folder, info, own.get().bytes(), maxBytes, rowProblems);
                problems.addAll(rowProblems);
                return Optional.of(c);
            } catch (Vanished | GalleryFormatException e) {
                // a folder a writer was still filling, or one it left half-written: try the one before
            }
        }
        return Optional.empty();
    }

    private static Commit readCommit(GalleryObjects o, String folder, GalleryInfo info, byte[] infoBytes, long maxBytes,
                                     List<String> problems) throws IOException {
        String where = o.location() + "/" + folder.substring(0, folder.length() - 1);
        byte[] npy = o.get(folder + Gallery.ENCODINGS, maxBytes).orElseThrow(() -> new Vanished(Gallery.ENCODINGS)).bytes();
        byte[] labels = o.get(folder + Gallery.LABELS, maxBytes).orElseThrow(() -> new Vanished(Gallery.LABELS)).bytes();
        byte[] src = o.get(folder + GallerySources.FILE, maxBytes)
                .orElseThrow(() -> new Vanished(GallerySources.FILE)).bytes();
        if (info.sourcesSha256() != null && !info.sourcesSha256().equals(Gallery.sha256(src))) {
            throw new TornGalleryException(where + ": " + GallerySources.FILE + " is not the one " + POINTER
                    + " was written with");
        }
        Gallery.Decoded d = Gallery.decodeKeeping(npy, labels, infoBytes, where, problems);
        GallerySources sources = GallerySources.decode(src, where + "/" + GallerySources.FILE);
        if (sources.rows().size() != d.rowsInFile()) {
            throw new GalleryFormatException(where + ": " + GallerySources.FILE + " has " + sources.rows().size()
                    + " rows but " + Gallery.ENCODINGS + " has " + d.rowsInFile());
        }
        List<GallerySources.Row> rows = new ArrayList<>();
        for (int k : d.kept()) {
            rows.add(sources.rows().get(k));
        }
        return new Commit(folder, info.generation() == null ? 0 : info.generation(), d.gallery(),
                new GallerySources(rows, sources.refused()));
    }

    /** A file a commit names is not there (any more). */
    private static final class Vanished extends IOException {
        Vanished(String name) {
            super(name);
        }
    }
}
