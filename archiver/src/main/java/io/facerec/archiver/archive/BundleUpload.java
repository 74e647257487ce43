package io.facerec.archiver.archive;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A bundle on its way to S3, as an output stream with bounded memory: bytes fill a part buffer; a
 * full buffer is uploaded (one part in flight while the next fills), so at most two parts are held.
 * Nothing becomes visible until {@link #commit()}: a bundle that fits in one part is a single
 * PutObject then, a larger one a CompleteMultipartUpload. Both carry the storage class, and S3
 * checks each request's CRC32 before it accepts the bytes.
 */
final class BundleUpload extends OutputStream {
    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String storageClass;
    private final int partSize;
    private final ExecutorService uploader;
    private final List<CompletedPart> parts = new ArrayList<>();
    private byte[] buffer;
    private int filled;
    private long length;
    private String uploadId;
    private Future<CompletedPart> inFlight;
    private byte[] inFlightBuffer;
    private byte[] spare;
    private boolean sealed;

    BundleUpload(S3Client s3, String bucket, String key, String storageClass, int partSize, ExecutorService uploader) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.storageClass = storageClass;
        this.partSize = partSize;
        this.uploader = uploader;
        this.buffer = new byte[partSize];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (sealed) {
            throw new IOException("bundle " + key + " is already sealed");
        }
        while (len > 0) {
            int n = Math.min(len, partSize - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
            length += n;
            if (filled == partSize) {
                sendPart();
            }
        }
    }

    long length() {
        return length;
    }

    /** No more bytes: the last part of a multipart upload goes out now; a single-part bundle waits for commit. */
    void seal() throws IOException {
        sealed = true;
        if (uploadId != null && filled > 0) {
            sendPart();
        }
        awaitInFlight();
    }

    /** Makes the bundle visible under its key. */
    void commit() throws IOException {
        if (!sealed) {
            seal();
        }
        if (uploadId == null) {
            int n = filled;
            s3.putObject(b -> b.bucket(bucket).key(key).storageClass(storageClass).contentType("application/x-tar")
                    .contentLength((long) n), body(buffer, n));
        } else {
            parts.sort(Comparator.comparing(CompletedPart::partNumber));
            spare = null;
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        }
        buffer = null;
        spare = null;
    }

    /** Drops an unfinished multipart upload; S3's lifecycle rule aborts it anyway if this never runs. */
    void abort() {
        if (inFlight != null) {
            inFlight.cancel(true);
        }
        if (uploadId != null) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException ignored) {
                // the lifecycle rule cleans it up
            }
        }
        buffer = null;
    }

    private void sendPart() throws IOException {
        if (uploadId == null) {
            uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).storageClass(storageClass)
                    .contentType("application/x-tar").checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
        }
        awaitInFlight();
        byte[] full = buffer;
        int size = filled;
        int number = parts.size() + 1;
        inFlight = uploader.submit(() -> {
            UploadPartResponse r = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                    .contentLength((long) size).checksumAlgorithm(ChecksumAlgorithm.CRC32),
                    body(full, size));
            return CompletedPart.builder().partNumber(number).eTag(r.eTag()).checksumCRC32(r.checksumCRC32()).build();
        });
        // the buffer in flight is reused only once its upload is done
        inFlightBuffer = full;
        buffer = spare != null ? spare : new byte[partSize];
        spare = null;
        filled = 0;
    }

    /** The buffer's first {@code n} bytes, not copied: a buffer is left alone until its request is done. */
    private static RequestBody body(byte[] bytes, int n) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, n), n, "application/x-tar");
    }

    private void awaitInFlight() throws IOException {
        if (inFlight == null) {
            return;
        }
        try {
            parts.add(inFlight.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while uploading " + key, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("uploading a part of " + key + ": " + c, c);
        } finally {
            inFlight = null;
            spare = inFlightBuffer;
            inFlightBuffer = null;
        }
    }
}
