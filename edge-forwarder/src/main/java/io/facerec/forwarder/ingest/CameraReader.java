package io.facerec.forwarder.ingest;

import io.facerec.forwarder.config.StreamUrl;
import io.facerec.forwarder.ops.ForwarderMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * Reads one camera with FFmpeg in packet mode: each JPEG of an MJPEG stream arrives as it was sent,
 * never re-encoded (RTSP and files open the same way). A packet over MAX_FRAME_KB is dropped before
 * it is copied. When the stream drops, stalls (no data for STALL_TIMEOUT_S), the camera reboots or
 * anything at all is thrown, including by the frame's consumer, it reconnects with capped
 * exponential backoff and jitter; the backoff starts over only once a connection has delivered
 * frames for RECONNECT_RESET_S, so a camera that accepts and drops at once is not hammered. Each
 * change of state is logged once, not every retry.
 */
public final class CameraReader implements Runnable {
    private static final Logger LOG = LogManager.getLogger(CameraReader.class);
    static final long FIRST_BACKOFF_MS = 500;

    /** Receives each frame's bytes and the wall-clock time it arrived. */
    public interface FrameSink {
        void accept(byte[] jpeg, long receivedMillis);
    }

    /** Waits between reconnects; a seam for the tests. */
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** How the reader reconnects and what it accepts. */
    public record Settings(Duration stallTimeout, Duration reconnectMax, Duration backoffResetAfter, int maxFrameBytes) {
    }

    private final String cameraId;
    private volatile StreamUrl url;
    private volatile boolean retarget;
    private final Settings settings;
    private final FrameSink sink;
    private final ForwarderMetrics metrics;
    private final CameraStatus status;
    private final Clock clock;
    private final Sleeper sleeper;
    private volatile boolean running = true;
    private String lastLogged = "";

    static {
        avutil.av_log_set_level(avutil.AV_LOG_QUIET); // failures are reported by us, once
    }

    public CameraReader(String cameraId, StreamUrl url, Settings settings, FrameSink sink, ForwarderMetrics metrics,
                        CameraStatus status, Clock clock) {
        this(cameraId, url, settings, sink, metrics, status, clock, Thread::sleep);
    }

    public CameraReader(String cameraId, StreamUrl url, Settings settings, FrameSink sink, ForwarderMetrics metrics,
                        CameraStatus status, Clock clock, Sleeper sleeper) {
        this.cameraId = cameraId;
        this.url = url;
        this.settings = settings;
        this.sink = sink;
        this.metrics = metrics;
        this.status = status;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public void stop() {
        running = false;
    }

    public StreamUrl url() {
        return url;
    }

    /** Reads {@code next} from now on (the control record's stream_url): the current connection is dropped. */
    public void retarget(StreamUrl next) {
        url = next;
        retarget = true;
    }

    @Override
    public void run() {
        long backoff = FIRST_BACKOFF_MS;
        boolean everConnected = false;
        while (running) {
            long firstFrameAt = -1;
            FFmpegFrameGrabber g = null;
            retarget = false;
            StreamUrl target = url;
            try {
                g = new FFmpegFrameGrabber(target.open());
                configure(g, target);
                g.start(false);
                status.up();
                if (everConnected) {
                    metrics.reconnect(cameraId);
                }
                everConnected = true;
                logOnce("connected:" + target, "camera {}: connected to {}", cameraId, target);
                while (running) {
                    AVPacket p = g.grabPacket();
                    if (p == null) {
                        throw new IllegalStateException("stream ended");
                    }
                    if (retarget) {
                        avcodec.av_packet_unref(p);
                        throw new IllegalStateException("stream URL changed");
                    }
                    try {
                        int size = p.size();
                        if (size > settings.maxFrameBytes()) {
                            metrics.dropped(cameraId, "too_large"); // never copied onto the heap
                        } else if (size > 0) {
                            byte[] b = new byte[size];
                            p.data().get(b);
                            long now = clock.millis();
                            status.frame(now);
                            metrics.read(cameraId);
                            if (firstFrameAt < 0) {
                                firstFrameAt = now;
                            } else if (now - firstFrameAt >= settings.backoffResetAfter().toMillis()) {
                                backoff = FIRST_BACKOFF_MS; // a stream that works for a while earns a quick reconnect
                            }
                            sink.accept(b, now);
                        }
                    } finally {
                        avcodec.av_packet_unref(p);
                    }
                }
            } catch (Throwable t) {
                String why = reason(t);
                status.down(why, clock.millis());
                if (t instanceof Exception) {
                    logOnce("down:" + why, "camera {}: disconnected ({}); reconnecting with backoff up to {} s",
                            cameraId, why, settings.reconnectMax().toSeconds());
                } else {
                    metrics.readerRestart(cameraId);
                    LOG.error("camera {}: reader failed ({}); restarting it", cameraId, why);
                    lastLogged = "";
                }
            } finally {
                closeQuietly(g);
            }
            if (!running) {
                break;
            }
            if (retarget) {
                backoff = FIRST_BACKOFF_MS;
                continue; // a new URL is tried at once
            }
            long wait = ThreadLocalRandom.current().nextLong(backoff / 2, backoff + 1);
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
            backoff = Math.min(settings.reconnectMax().toMillis(), backoff * 2);
        }
        status.down("stopped", clock.millis());
    }

    private static void closeQuietly(FFmpegFrameGrabber g) {
        if (g == null) {
            return;
        }
        try {
            g.close();
        } catch (Throwable ignored) {
            // already closed, or never opened
        }
    }

    private void configure(FFmpegFrameGrabber g, StreamUrl target) {
        String scheme = target.scheme();
        long stallMicros = settings.stallTimeout().toMillis() * 1000;
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

    static String reason(Throwable e) {
        if (!(e instanceof Exception)) {
            return e.getClass().getSimpleName(); // an Error's message is not ours to trust
        }
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
        r = r.replaceAll("[a-zA-Z][a-zA-Z0-9+.-]*://\\S*", "<url>");
        return r.endsWith(":") ? r.substring(0, r.length() - 1) : r;
    }
}
