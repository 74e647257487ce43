package io.facerec.archiver.store;

import io.facerec.model.frame.BundleKey;

/**
 * One part of an hour as a listing shows it. A part is complete when its tar exists: the archiver
 * writes the index first, so a tar never exists without it. An index alone is a write that died
 * before the tar was committed; its part number is free again.
 */
public record StoredPart(BundleKey key, boolean hasTar, boolean hasIndex, long tarSize, String storageClass) {
    public boolean complete() {
        return hasTar && hasIndex;
    }
}
