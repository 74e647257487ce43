package io.facerec.forwarder.ingest;

import io.facerec.forwarder.ops.ForwarderMetrics;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * Reads one camera with FFmpeg in packet mode: each JPEG of an MJPEG stream arrives as it was sent,
 * never re-encoded (RTSP and files open the same way). When the stream drops, stalls (no data for
 * STALL_TIMEOUT_S) or the camera reboots, it reconnects with capped exponential backoff and jitter.
 * Each change of state is logged once, not every retry.
 */
public final class CameraReader implements Runnable {
    private static final Logger LOG = LogManager.getLogger(CameraReader.class);

    /** Receives each frame's bytes and the wall-clock time it arrived. */
    public interface FrameSink {
        void accept(byte[] jpeg, long receivedMillis);
    }

    private final String cameraId;
    private final URI url;
    private final Duration stallTimeout;
    private final Duration reconnectMax;
    private final FrameSink sink;
    private final ForwarderMetrics metrics;
    private final CameraStatus status;
    private final Clock clock;
    private volatile boolean running = true;
    private String lastLogged = "";

    static {
        avutil.av_log_set_level(avutil.AV_LOG_QUIET); // failures are reported by us, once
    }

    public CameraReader(String cameraId, URI url, Duration stallTimeout, Duration reconnectMax, FrameSink sink,
                        ForwarderMetrics metrics, CameraStatus status, Clock clock) {
        this.cameraId = cameraId;
        this.url = url;
        this.stallTimeout = stallTimeout;
        this.reconnectMax = reconnectMax;
        this.sink = sink;
        this.metrics = metrics;
        this.status = status;
        this.clock = clock;
    }

    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        long backoff = 500;
        boolean everConnected = false;
        while (running) {
            FFmpegFrameGrabber g = new FFmpegFrameGrabber(url.toString());
            try {
                configure(g);
                g.start(false);
                status.up();
                if (everConnected) {
                    metrics.reconnect(cameraId);
                }
                everConnected = true;
                logOnce("connected", "camera {}: connected to {}", cameraId, redacted(url));
                backoff = 500;
                while (running) {
                    AVPacket p = g.grabPacket();
                    if (p == null) {
                        throw new IllegalStateException("stream ended");
                    }
                    try {
                        if (p.size() > 0) {
                            byte[] b = new byte[p.size()];
                            p.data().get(b);
                            long now = clock.millis();
                            status.frame(now);
                            metrics.read(cameraId);
                            sink.accept(b, now);
                        }
                    } finally {
                        avcodec.av_packet_unref(p);
                    }
                }
            } catch (Exception e) {
                String why = reason(e);
                status.down(why, clock.millis());
                logOnce("down:" + why, "camera {}: disconnected ({}); reconnecting with backoff up to {} s",
                        cameraId, why, reconnectMax.toSeconds());
            } finally {
                try {
                    g.close();
                } catch (Exception ignored) {
                    // already closed
                }
            }
            if (!running) {
                break;
            }
            long wait = ThreadLocalRandom.current().nextLong(backoff / 2, backoff + 1);
            sleep(wait);
            backoff = Math.min(reconnectMax.toMillis(), backoff * 2);
        }
        status.down("stopped", clock.millis());
    }

    private void configure(FFmpegFrameGrabber g) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        long stallMicros = stallTimeout.toMillis() * 1000;
        if (scheme.startsWith("http")) {
            g.setFormat("mpjpeg"); // the ESP32's multipart stream; the boundary comes from Content-Type
            g.setOption("rw_timeout", Long.toString(stallMicros));
            g.setOption("reconnect", "0");
        } else if (scheme.equals("rtsp")) {
            g.setOption("rtsp_transport", "tcp");
            g.setOption("timeout", Long.toString(stallMicros));
        }
    }

    private void logOnce(String state, String message, Object... args) {
        if (!state.equals(lastLogged)) {
            lastLogged = state;
            if (state.startsWith("down")) {
                LOG.warn(message, args);
            } else {
                LOG.info(message, args);
            }
        }
    }

    static String reason(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (m.contains("error -111")) {
            return "connection refused";
        }
        if (m.contains("error -110") || m.contains("error -138")) {
            return "timed out";
        }
        // FFmpeg's messages carry the URL, which may carry credentials: keep the reason only
        int cut = m.indexOf(" \"");
        String r = (cut > 0 ? m.substring(0, cut) : m).lines().findFirst().orElse(m).strip();
        return r.endsWith(":") ? r.substring(0, r.length() - 1) : r;
    }

    static String redacted(URI u) {
        return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + (u.getPath() == null ? "" : u.getPath());
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
