package io.facerec.forwarder.control;

import io.facerec.forwarder.config.StreamUrl;
import io.facerec.forwarder.ingest.CameraReader;
import io.facerec.model.control.ControlState;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Follows the control record's copy in S3 ({@value ControlState#S3_KEY}, the one object the
 * forwarder's identity may read besides writing frames): every {@code CONTROL_POLL_S} a conditional
 * GET (If-None-Match, so an unchanged record costs a 304), and a new {@code stream_url} is handed to
 * the camera it names ({@code camera_id}, or the only camera). Recognition on/off is the recognizer's
 * business: frames keep flowing while stopped, so they are recorded. Each problem is logged once.
 */
public final class ControlPoller implements Runnable {
    private static final Logger LOG = LogManager.getLogger(ControlPoller.class);
    static final Set<String> SCHEMES = Set.of("http", "https", "rtsp");

    private final S3Client s3;
    private final String bucket;
    private final Duration interval;
    private final Map<String, CameraReader> readers;
    private volatile boolean running = true;
    private String etag;
    private String lastProblem = "";
    private long appliedRevision = -1;

    public ControlPoller(S3Client s3, String bucket, Duration interval, Map<String, CameraReader> readers) {
        this.s3 = s3;
        this.bucket = bucket;
        this.interval = interval;
        this.readers = Map.copyOf(readers);
    }

    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        while (running) {
            pollOnce();
            // short naps, so that a stop does not wait out a whole interval
            long end = System.nanoTime() + interval.toNanos();
            while (running && System.nanoTime() < end) {
                try {
                    Thread.sleep(Math.min(200, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One look at the record; applies what changed. */
    public void pollOnce() {
        ControlState state;
        try {
            ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> {
                b.bucket(bucket).key(ControlState.S3_KEY);
                if (etag != null) {
                    b.ifNoneMatch(etag);
                }
            });
            etag = r.response().eTag();
            state = ControlState.fromJson(r.asByteArray());
        } catch (NoSuchKeyException e) {
            return; // no record yet: the streams configured here stay
        } catch (S3Exception e) {
            if (e.statusCode() == 304) {
                return;
            }
            if (e.statusCode() == 403) {
                // without s3:ListBucket (which this identity has no need of) S3 answers 403 for an absent object too
                quiet("s3://" + bucket + "/" + ControlState.S3_KEY + " not readable (not written yet, or this identity "
                        + "may not read it): streams stay as configured here");
                return;
            }
            problem("control record unreadable: HTTP " + e.statusCode());
            return;
        } catch (IllegalArgumentException e) {
            problem(e.getMessage());
            return;
        } catch (RuntimeException e) {
            problem("control record unreachable (" + e.getClass().getSimpleName() + ")");
            return;
        }
        lastProblem = "";
        apply(state);
    }

    void apply(ControlState state) {
        if (state.revision() == appliedRevision || state.streamUrl() == null) {
            appliedRevision = state.revision();
            return;
        }
        appliedRevision = state.revision();
        String camera = state.cameraId() != null ? state.cameraId()
                : readers.size() == 1 ? readers.keySet().iterator().next() : null;
        CameraReader reader = camera == null ? null : readers.get(camera);
        if (reader == null) {
            problem("control record's stream_url is for camera " + (camera == null ? "(none named)" : "'" + camera + "'")
                    + ", which this forwarder does not read");
            return;
        }
        URI next;
        try {
            next = new URI(state.streamUrl());
            if (!SCHEMES.contains(String.valueOf(next.getScheme()).toLowerCase(Locale.ROOT)) || next.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (Exception e) {
            problem("control record's stream_url is not an http(s) or rtsp URL: ignored");
            return;
        }
        StreamUrl stream = new StreamUrl(next);
        if (!stream.equals(reader.url())) {
            LOG.info("camera {}: stream URL changed by the control record (revision {}) to {}", camera, state.revision(),
                    stream);
            reader.retarget(stream);
        }
    }

    private void quiet(String p) {
        if (!p.equals(lastProblem)) {
            LOG.info(p);
            lastProblem = p;
        }
    }

    private void problem(String p) {
        if (!p.equals(lastProblem)) {
            LOG.warn(p);
            lastProblem = p;
        }
    }
}
