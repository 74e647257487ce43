package io.facerec.archiver.restore;

import io.facerec.archiver.bundle.BundleIndex;
import io.facerec.archiver.bundle.IndexEntry;
import io.facerec.archiver.bundle.TarBundleWriter;
import io.facerec.archiver.store.ArchiveStore;
import io.facerec.archiver.store.StoredPart;
import io.facerec.model.frame.BundleKey;
import io.facerec.model.frame.FrameKey;
import java.io.IOException;
import java.util.Optional;

/**
 * A frame's bytes after it left {@code frames/}: its hour's parts are computed from its key, their
 * indexes say which part holds it and where, and one ranged GET fetches it (the part must be
 * readable: GLACIER_IR, or restored).
 */
public final class ArchivedFrames {
    private final ArchiveStore store;

    public ArchivedFrames(ArchiveStore store) {
        this.store = store;
    }

    public Optional<byte[]> read(FrameKey frame) throws IOException {
        String key = frame.toKey();
        for (StoredPart p : store.partsOfHour(BundleKey.of(frame))) {
            if (!p.complete()) {
                continue;
            }
            BundleIndex idx;
            try {
                idx = BundleIndex.parse(store.indexBytes(p.key()), p.key());
            } catch (BundleIndex.InvalidIndexException e) {
                throw new IOException(e.getMessage(), e);
            }
            for (IndexEntry e : idx.frames()) {
                if (e.key().equals(key)) {
                    byte[] b = store.read(p.key(), e.offset(), e.length());
                    if (!TarBundleWriter.sha256Hex(b).equals(e.sha256())) {
                        throw new IOException(key + " read from " + p.key().tarKey() + " does not match its SHA-256");
                    }
                    return Optional.of(b);
                }
            }
        }
        return Optional.empty();
    }
}
