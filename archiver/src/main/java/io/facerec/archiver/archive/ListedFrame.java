package io.facerec.archiver.archive;

import io.facerec.model.frame.FrameKey;

/** A frame as a listing shows it: its key (parsed and as stored), size and ETag. */
record ListedFrame(FrameKey key, String s3Key, long size, String etag) {
    /** The file name the frame keeps in the tar and when restored. */
    String name() {
        return s3Key.substring(s3Key.lastIndexOf('/') + 1);
    }
}
