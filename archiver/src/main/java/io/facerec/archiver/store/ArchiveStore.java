package io.facerec.archiver.store;

import io.facerec.model.frame.BundleKey;
import java.io.IOException;
import java.time.LocalDate;
import java.util.List;

/**
 * The archive as the archiver, {@code bin/archive} and the local page see it. {@link S3ArchiveStore}
 * is the real one; restore tests stand a simulated Glacier in front of it, since no S3-compatible
 * test server implements archive classes.
 */
public interface ArchiveStore {
    /** Every part of every hour of one camera's UTC day. */
    List<StoredPart> partsOfDay(String cameraId, LocalDate day);

    /** Every part of one hour ({@code hour}'s part number is ignored). */
    List<StoredPart> partsOfHour(BundleKey hour);

    /** The index beside a part's tar, as stored. */
    byte[] indexBytes(BundleKey part) throws IOException;

    /** HEAD of a part's tar. */
    BundleState state(BundleKey part) throws IOException;

    /** Asks S3 to make a temporary readable copy of an archived tar. */
    RestoreRequest requestRestore(BundleKey part, int days, String tier) throws IOException;

    /** {@code length} bytes from {@code offset} of a part's tar (a ranged GET). */
    byte[] read(BundleKey part, long offset, long length) throws IOException;

    enum RestoreRequest {
        STARTED,
        ALREADY_IN_PROGRESS,
        /** The server has no archive classes (an S3-compatible stand-in): the tar is read directly. */
        NOT_SUPPORTED
    }
}
