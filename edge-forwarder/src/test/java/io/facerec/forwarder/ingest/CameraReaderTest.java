package io.facerec.forwarder.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.forwarder.config.StreamUrl;
import io.facerec.forwarder.ops.ForwarderMetrics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class CameraReaderTest {
    @Test
    void reasonsAreShortAndNeverCarryTheUrl() {
        assertEquals("connection refused", CameraReader.reason(new Exception(
                "avformat_open_input() error -111: Could not open input \"http://user:pw@10.0.0.5:81/stream\"")));
        assertEquals("avformat_open_input() error -5: Could not open input", CameraReader.reason(new Exception(
                "avformat_open_input() error -5: Could not open input \"http://user:pw@10.0.0.5:81/stream\"")));
        assertEquals("stream ended", CameraReader.reason(new IllegalStateException("stream ended")));
        assertEquals("bad part at <url>", CameraReader.reason(new Exception("bad part at http://user:pw@10.0.0.5/x")));
        assertEquals("StackOverflowError", CameraReader.reason(new StackOverflowError("http://user:pw@10.0.0.5/x")));
    }

    /**
     * An MJPEG server on loopback: each connection gets the HTTP head and then {@code partsPerConnection}
     * parts (0: parts without end), and is closed.
     */
    static final class MjpegServer implements AutoCloseable {
        final ServerSocket server;
        final List<byte[]> parts;
        final int partsPerConnection;
        volatile int connections;

        MjpegServer(List<byte[]> parts, int partsPerConnection) throws Exception {
            this.parts = parts;
            this.partsPerConnection = partsPerConnection;
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        connections++;
                        Thread c = new Thread(() -> serve(s));
                        c.setDaemon(true);
                        c.start();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        StreamUrl url() {
            return new StreamUrl(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/stream"));
        }

        private void serve(Socket s) {
            try (s) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                String line;
                while ((line = in.readLine()) != null && !line.isEmpty()) {
                    // request and headers
                }
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary=frame\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                for (int i = 0; partsPerConnection == 0 || i < partsPerConnection; i++) {
                    byte[] p = parts.get(i % parts.size());
                    out.write(("--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + p.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.write(p);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    Thread.sleep(20);
                }
                // a real board's next boundary never comes: the connection just drops
            } catch (Exception ignored) {
                // the reader went away
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    static byte[] part(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) ('a' + (i * 7 + seed) % 26); // never a boundary
        }
        return b;
    }

    static void await(String what, BooleanSupplier ok) throws InterruptedException {
        long end = System.currentTimeMillis() + 20_000;
        while (!ok.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static Thread start(CameraReader r) {
        Thread t = new Thread(r, "reader-under-test");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static CameraReader.Settings settings(Duration resetAfter, int maxBytes) {
        return new CameraReader.Settings(Duration.ofSeconds(5), Duration.ofSeconds(8), resetAfter, maxBytes);
    }

    @Test
    void oversizedPacketsAreDroppedBeforeTheyAreCopied() throws Exception {
        byte[] small1 = part(2_000, 1);
        byte[] big = part(300_000, 2);
        byte[] small2 = part(3_000, 3);
        List<byte[]> got = new CopyOnWriteArrayList<>();
        ForwarderMetrics metrics = new ForwarderMetrics();
        try (MjpegServer cam = new MjpegServer(List.of(small1, big, small2), 3)) {
            CameraReader r = new CameraReader("cam", cam.url(), settings(Duration.ofSeconds(30), 64 * 1024),
                    (jpeg, at) -> got.add(jpeg), metrics, new CameraStatus("cam", 0), Clock.systemUTC(), ms -> Thread.sleep(5));
            start(r);
            await("a second connection", () -> cam.connections >= 2 && got.size() >= 2);
            r.stop();
        }
        assertArrayEquals(small1, got.get(0));
        assertArrayEquals(small2, got.get(1));
        assertTrue(got.stream().allMatch(b -> b.length <= 64 * 1024), "nothing over the cap passed on");
        assertTrue(metrics.droppedCount("cam", "too_large") >= 1);
    }

    @Test
    void aThrowableFromTheConsumerRestartsTheReader() throws Exception {
        List<byte[]> got = new CopyOnWriteArrayList<>();
        ForwarderMetrics metrics = new ForwarderMetrics();
        CameraStatus status = new CameraStatus("cam", 0);
        try (MjpegServer cam = new MjpegServer(List.of(part(1_000, 1), part(1_200, 2)), 0)) {
            CameraReader r = new CameraReader("cam", cam.url(), settings(Duration.ofSeconds(30), 1 << 20), (jpeg, at) -> {
                if (got.isEmpty()) {
                    got.add(new byte[0]);
                    throw new StackOverflowError(); // an Error, not an Exception: it used to end the thread
                }
                got.add(jpeg);
            }, metrics, status, Clock.systemUTC(), ms -> Thread.sleep(5));
            Thread t = start(r);
            await("frames after the failure", () -> got.size() >= 4);
            assertTrue(t.isAlive(), "the reader thread lives on");
            r.stop();
        }
        assertEquals(1, metrics.count("forwarder_reader_restarts", "cam"));
    }

    /** The waits the reader asked for between connections. */
    static List<Long> waitsWith(Duration resetAfter, int partsPerConnection) throws Exception {
        List<Long> waits = new CopyOnWriteArrayList<>();
        try (MjpegServer cam = new MjpegServer(List.of(part(1_000, 1)), partsPerConnection)) {
            CameraReader r = new CameraReader("cam", cam.url(), settings(resetAfter, 1 << 20), (jpeg, at) -> { },
                    new ForwarderMetrics(), new CameraStatus("cam", 0), Clock.systemUTC(), ms -> {
                        waits.add(ms);
                        Thread.sleep(5);
                    });
            start(r);
            await("six reconnects", () -> waits.size() >= 6);
            r.stop();
        }
        return new ArrayList<>(waits.subList(0, 6));
    }

    @Test
    void backoffGrowsUntilAConnectionHasDeliveredFramesForAWhile() throws Exception {
        // a camera that takes the connection, sends a frame and drops it: the backoff must grow, not restart each time
        List<Long> flapping = waitsWith(Duration.ofSeconds(30), 1);
        // wait n is drawn from [b/2, b] with b = 500 ms doubled n times, up to RECONNECT_MAX_S (8 s here)
        assertTrue(flapping.get(3) >= 2_000 && flapping.get(5) >= 4_000, "waits " + flapping);
        // frames for longer than the reset period (0 here: a second frame suffices) earn a quick reconnect again
        List<Long> working = waitsWith(Duration.ZERO, 2);
        assertTrue(working.stream().allMatch(w -> w <= CameraReader.FIRST_BACKOFF_MS), "waits " + working);
    }
}
