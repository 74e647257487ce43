package io.facerec.archiver.restore;

import io.facerec.archiver.store.ArchiveStore;
import io.facerec.archiver.store.StoredPart;
import io.facerec.model.frame.BundleKey;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The complete bundle parts holding a camera's frames of a time range: one LIST per UTC day. */
public final class ArchiveCatalog {
    private final ArchiveStore store;

    public ArchiveCatalog(ArchiveStore store) {
        this.store = store;
    }

    /** Parts of every hour that overlaps {@code [from, to)}, oldest first. */
    public List<StoredPart> parts(String camera, Instant from, Instant to) {
        List<StoredPart> out = new ArrayList<>();
        LocalDate last = to.minusMillis(1).atZone(ZoneOffset.UTC).toLocalDate();
        for (LocalDate d = from.atZone(ZoneOffset.UTC).toLocalDate(); !d.isAfter(last); d = d.plusDays(1)) {
            for (StoredPart p : store.partsOfDay(camera, d)) {
                BundleKey k = p.key();
                if (p.complete() && k.hour().isBefore(to) && k.hourEnd().isAfter(from)) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}
