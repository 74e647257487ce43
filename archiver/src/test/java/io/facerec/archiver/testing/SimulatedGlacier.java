package io.facerec.archiver.testing;

import io.facerec.archiver.store.ArchiveStore;
import io.facerec.archiver.store.BundleState;
import io.facerec.archiver.store.StoredPart;
import io.facerec.model.frame.BundleKey;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Glacier's restore rules in front of a real store (S3Proxy has none): every tar is in
 * {@code storageClass}; a GET of it fails until a restore was requested and {@link #finishRestores()}
 * ran; a second request while one is in progress is refused as S3 refuses it (409). Listing, indexes
 * and the bytes themselves come from the real store.
 */
public final class SimulatedGlacier implements ArchiveStore {
    private final ArchiveStore real;
    private final String storageClass;
    private final Map<String, BundleState.Restore> restores = new ConcurrentHashMap<>();
    public final List<String> restoreRequests = new ArrayList<>();
    public final List<String> reads = new ArrayList<>();

    public SimulatedGlacier(ArchiveStore real, String storageClass) {
        this.real = real;
        this.storageClass = storageClass;
    }

    /** The restores requested so far complete. */
    public void finishRestores() {
        restores.replaceAll((k, v) -> BundleState.Restore.RESTORED);
    }

    @Override
    public List<StoredPart> partsOfDay(String cameraId, LocalDate day) {
        return real.partsOfDay(cameraId, day).stream().map(this::classed).toList();
    }

    @Override
    public List<StoredPart> partsOfHour(BundleKey hour) {
        return real.partsOfHour(hour).stream().map(this::classed).toList();
    }

    private StoredPart classed(StoredPart p) {
        return new StoredPart(p.key(), p.hasTar(), p.hasIndex(), p.tarSize(), p.hasTar() ? storageClass : null);
    }

    @Override
    public byte[] indexBytes(BundleKey part) throws IOException {
        return real.indexBytes(part);
    }

    @Override
    public BundleState state(BundleKey part) throws IOException {
        BundleState.Restore r = restores.getOrDefault(part.tarKey(), BundleState.Restore.NONE);
        return new BundleState(storageClass, r, r == BundleState.Restore.RESTORED
                ? Optional.of(Instant.parse("2030-01-01T00:00:00Z")) : Optional.empty(), real.state(part).length());
    }

    @Override
    public synchronized RestoreRequest requestRestore(BundleKey part, int days, String tier) {
        restoreRequests.add(part.tarKey() + " " + tier + " " + days);
        BundleState.Restore now = restores.putIfAbsent(part.tarKey(), BundleState.Restore.IN_PROGRESS);
        return now == null ? RestoreRequest.STARTED : RestoreRequest.ALREADY_IN_PROGRESS;
    }

    @Override
    public synchronized byte[] read(BundleKey part, long offset, long length) throws IOException {
        if (!state(part).readable()) {
            throw new IOException("InvalidObjectState: " + part.tarKey() + " is in " + storageClass + " and not restored");
        }
        reads.add(part.tarKey() + " " + offset + "+" + length);
        return real.read(part, offset, length);
    }
}
