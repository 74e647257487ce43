package io.facerec.archiver.archive;

import io.facerec.archiver.bundle.TarBundleWriter;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Reads an hour's frames ahead of the tar writer, in parallel, and hands them over in capture order.
 * At most {@code parallelism} reads are in flight and at most {@code maxBytes} (by the listed sizes)
 * are held; a frame larger than that on its own is not read ahead but left to the writer to stream.
 */
final class FramePrefetcher implements AutoCloseable {
    private final S3Client s3;
    private final String bucket;
    private final List<ListedFrame> frames;
    private final ExecutorService readers;
    private final int parallelism;
    private final long maxBytes;
    private final Deque<Pending> window = new ArrayDeque<>();
    private int nextToStart;
    private long bytesInWindow;

    /** A frame as read: its bytes and SHA-256, or {@code streamed} (too large to hold), or {@code missing}. */
    record Fetched(ListedFrame frame, byte[] bytes, String sha256, String etag, boolean streamed, boolean missing) {
    }

    private record Pending(ListedFrame frame, long size, Future<Fetched> result) {
    }

    FramePrefetcher(S3Client s3, String bucket, List<ListedFrame> frames, ExecutorService readers, int parallelism,
                    long maxBytes) {
        this.s3 = s3;
        this.bucket = bucket;
        this.frames = frames;
        this.readers = readers;
        this.parallelism = parallelism;
        this.maxBytes = maxBytes;
    }

    boolean hasNext() {
        return !window.isEmpty() || nextToStart < frames.size();
    }

    /** The next frame in capture order; waits for its read. */
    Fetched next() throws IOException {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        fill();
        if (window.isEmpty()) {
            // the next frame is larger than the read-ahead budget: the writer streams it
            ListedFrame big = frames.get(nextToStart++);
            return new Fetched(big, null, null, null, true, false);
        }
        Pending p = window.removeFirst();
        bytesInWindow -= p.size();
        try {
            Fetched f = p.result().get();
            fill();
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + p.frame().s3Key(), e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("reading " + p.frame().s3Key() + ": " + c, c);
        }
    }

    private void fill() {
        while (nextToStart < frames.size() && window.size() < parallelism) {
            ListedFrame f = frames.get(nextToStart);
            if (f.size() > maxBytes) {
                return; // streamed when its turn comes, never held
            }
            if (!window.isEmpty() && bytesInWindow + f.size() > maxBytes) {
                return;
            }
            nextToStart++;
            bytesInWindow += f.size();
            window.addLast(new Pending(f, f.size(), readers.submit(() -> read(f))));
        }
    }

    private Fetched read(ListedFrame f) {
        try {
            ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket(bucket).key(f.s3Key()));
            byte[] bytes = r.asByteArrayUnsafe();
            return new Fetched(f, bytes, TarBundleWriter.sha256Hex(bytes), r.response().eTag(), false, false);
        } catch (NoSuchKeyException e) {
            // deleted since it was listed: not archived here, and nothing to delete. (On AWS the role's
            // prefix-held ListBucket turns this 404 into a 403: the hour fails once, the next run completes it.)
            return new Fetched(f, null, null, null, false, true);
        }
    }

    @Override
    public void close() {
        for (Pending p : window) {
            p.result().cancel(true);
        }
        window.clear();
    }
}
