package io.facerec.forwarder.upload;

import io.facerec.forwarder.ops.ForwarderMetrics;
import io.facerec.forwarder.spool.FrameSpool;
import io.facerec.model.frame.FrameKey;
import io.facerec.model.frame.FrameMetadata;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Sends one camera's spooled frames to S3, oldest first, one at a time so they arrive in capture
 * order; puts across cameras share a bounded number of slots. A frame leaves the spool only after
 * S3 confirmed its put; while S3 is unreachable or throttling, it waits with capped backoff.
 */
public final class FrameUploader implements Runnable {
    private static final Logger LOG = LogManager.getLogger(FrameUploader.class);
    private static final long MAX_BACKOFF_MS = 30_000;

    private final String cameraId;
    private final FrameSpool spool;
    private final S3Client s3;
    private final String bucket;
    private final Semaphore slots;
    private final ForwarderMetrics metrics;
    private final Clock clock;
    private final S3Status s3Status;
    private final String streamUrl;
    private volatile boolean running = true;
    private volatile boolean s3Healthy = true;

    public FrameUploader(String cameraId, FrameSpool spool, S3Client s3, String bucket, Semaphore slots,
                         ForwarderMetrics metrics, Clock clock) {
        this(cameraId, null, spool, s3, bucket, slots, metrics, clock, new S3Status(s3, clock));
    }

    /** {@code streamUrl}: the camera's URL without credentials, sent in each frame's metadata (null: none). */
    public FrameUploader(String cameraId, String streamUrl, FrameSpool spool, S3Client s3, String bucket,
                         Semaphore slots, ForwarderMetrics metrics, Clock clock, S3Status s3Status) {
        this.streamUrl = streamUrl;
        this.s3Status = s3Status;
        this.cameraId = cameraId;
        this.spool = spool;
        this.s3 = s3;
        this.bucket = bucket;
        this.slots = slots;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Stops after the put in flight; what is left stays spooled for the next start. */
    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        long backoff = 250;
        while (running) {
            Optional<FrameKey> next;
            try {
                next = spool.awaitOldest(cameraId, 250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (next.isEmpty()) {
                continue;
            }
            FrameKey k = next.get();
            try {
                put(k, spool.read(k));
                spool.remove(k);
                metrics.uploaded(cameraId, Duration.ofMillis(Math.max(0, clock.millis() - k.captureMillis())));
                if (!s3Healthy) {
                    LOG.info("S3 reachable again: uploading {} spooled frames of camera {}", spool.depth(cameraId), cameraId);
                }
                s3Healthy = true;
                s3Status.succeeded();
                backoff = 250;
            } catch (IOException e) {
                LOG.warn("spooled frame {} unreadable, dropped: {}", k.toKey(), e.toString());
                removeQuietly(k);
                metrics.dropped(cameraId, "spool_unreadable");
            } catch (SdkException e) {
                metrics.uploadFailed(cameraId);
                String why = s3Status.failed(e);
                if (s3Healthy) {
                    LOG.warn("S3 put failed ({}); spooling frames of camera {} until it is back", why, cameraId);
                }
                s3Healthy = false;
                sleep(ThreadLocalRandom.current().nextLong(backoff / 2, backoff + 1));
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void put(FrameKey k, byte[] jpeg) throws InterruptedException {
        slots.acquire();
        try {
            FrameMetadata meta = new FrameMetadata(k.cameraId(), k.captureTime(), k.sequence(),
                    io.facerec.forwarder.config.ForwarderConfig.VERSION, streamUrl);
            s3.putObject(b -> b.bucket(bucket).key(k.toKey()).contentType(FrameMetadata.CONTENT_TYPE)
                    .metadata(meta.toMap()), RequestBody.fromBytes(jpeg));
        } finally {
            slots.release();
        }
    }

    private void removeQuietly(FrameKey k) {
        try {
            spool.remove(k);
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
