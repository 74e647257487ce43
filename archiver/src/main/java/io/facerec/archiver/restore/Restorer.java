package io.facerec.archiver.restore;

import io.facerec.archiver.bundle.BundleIndex;
import io.facerec.archiver.bundle.IndexEntry;
import io.facerec.archiver.bundle.TarBundleWriter;
import io.facerec.archiver.store.ArchiveStore;
import io.facerec.archiver.store.BundleState;
import io.facerec.archiver.store.StoredPart;
import io.facerec.model.frame.BundleKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Gets a camera's frames of a time range back from the archive, as a state machine that can be run
 * any number of times: for each part holding requested frames that are not yet in the output folder
 * (by name and SHA-256), a part still in Glacier gets a RestoreObject (once: a restore in progress is
 * only reported), and a readable part gives up just the requested frames through ranged GETs
 * computed from its index (neighbours are fetched in one range). Frames are checked against their
 * SHA-256 and written under their original names, atomically.
 */
public final class Restorer {
    /** Frames closer than this in a tar are fetched in one range. */
    static final long MAX_GAP = 1024 * 1024;
    static final long MAX_RANGE = 64L * 1024 * 1024;

    private final ArchiveStore store;
    private final ArchiveCatalog catalog;

    public Restorer(ArchiveStore store) {
        this.store = store;
        this.catalog = new ArchiveCatalog(store);
    }

    public record Request(String camera, Instant from, Instant to, Path out, String tier, int days) {
    }

    public enum Outcome { FETCHED, ALREADY_HERE, RESTORE_REQUESTED, RESTORE_IN_PROGRESS, FAILED }

    public record PartReport(BundleKey part, Outcome outcome, int frames, String detail) {
    }

    public record Report(List<PartReport> parts, int framesWritten, int framesAlreadyHere) {
        public List<PartReport> with(Outcome o) {
            return parts.stream().filter(p -> p.outcome() == o).toList();
        }

        public boolean pending() {
            return !with(Outcome.RESTORE_REQUESTED).isEmpty() || !with(Outcome.RESTORE_IN_PROGRESS).isEmpty();
        }

        public boolean failed() {
            return !with(Outcome.FAILED).isEmpty();
        }
    }

    public Report restore(Request r) throws IOException {
        Files.createDirectories(r.out());
        List<PartReport> reports = new ArrayList<>();
        int written = 0;
        int here = 0;
        for (StoredPart p : catalog.parts(r.camera(), r.from(), r.to())) {
            BundleKey part = p.key();
            try {
                byte[] json = store.indexBytes(part);
                BundleIndex idx = BundleIndex.parse(json, part);
                List<IndexEntry> wanted = new ArrayList<>();
                int present = 0;
                for (IndexEntry e : idx.frames()) {
                    Instant t = Instant.parse(e.captureTime());
                    if (t.isBefore(r.from()) || !t.isBefore(r.to())) {
                        continue;
                    }
                    if (alreadyHere(r.out().resolve(e.name()), e)) {
                        present++;
                    } else {
                        wanted.add(e);
                    }
                }
                here += present;
                if (wanted.isEmpty()) {
                    if (present > 0) {
                        reports.add(new PartReport(part, Outcome.ALREADY_HERE, present, ""));
                    }
                    continue;
                }
                BundleState state = store.state(part);
                if (!state.readable()) {
                    if (state.restore() == BundleState.Restore.IN_PROGRESS) {
                        reports.add(new PartReport(part, Outcome.RESTORE_IN_PROGRESS, wanted.size(), state.storageClass()));
                        continue;
                    }
                    ArchiveStore.RestoreRequest asked = store.requestRestore(part, r.days(), r.tier());
                    if (asked != ArchiveStore.RestoreRequest.NOT_SUPPORTED) {
                        reports.add(new PartReport(part, asked == ArchiveStore.RestoreRequest.STARTED
                                ? Outcome.RESTORE_REQUESTED : Outcome.RESTORE_IN_PROGRESS, wanted.size(),
                                state.storageClass() + ", " + r.tier()));
                        continue;
                    }
                    // an S3-compatible server without archive classes: its objects read directly
                }
                written += fetch(part, wanted, r.out());
                reports.add(new PartReport(part, Outcome.FETCHED, wanted.size(), ""));
            } catch (IOException | BundleIndex.InvalidIndexException | RuntimeException e) {
                reports.add(new PartReport(part, Outcome.FAILED, 0, e.getMessage()));
            }
        }
        return new Report(List.copyOf(reports), written, here);
    }

    private int fetch(BundleKey part, List<IndexEntry> wanted, Path out) throws IOException {
        List<IndexEntry> sorted = new ArrayList<>(wanted);
        sorted.sort(Comparator.comparingLong(IndexEntry::offset));
        int n = 0;
        int i = 0;
        while (i < sorted.size()) {
            int j = i + 1;
            long start = sorted.get(i).offset();
            long end = start + sorted.get(i).length();
            while (j < sorted.size() && sorted.get(j).offset() - end <= MAX_GAP
                    && sorted.get(j).offset() + sorted.get(j).length() - start <= MAX_RANGE) {
                end = sorted.get(j).offset() + sorted.get(j).length();
                j++;
            }
            byte[] range = store.read(part, start, end - start);
            for (IndexEntry e : sorted.subList(i, j)) {
                int from = (int) (e.offset() - start);
                byte[] frame = Arrays.copyOfRange(range, from, from + (int) e.length());
                if (!TarBundleWriter.sha256Hex(frame).equals(e.sha256())) {
                    throw new IOException(e.key() + " read from " + part.tarKey() + " does not match its SHA-256");
                }
                Path target = out.resolve(e.name());
                Path tmp = out.resolve(e.name() + ".part");
                Files.write(tmp, frame);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                n++;
            }
            i = j;
        }
        return n;
    }

    private static boolean alreadyHere(Path file, IndexEntry e) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) != e.length()) {
            return false;
        }
        return TarBundleWriter.sha256Hex(Files.readAllBytes(file)).equals(e.sha256());
    }
}
