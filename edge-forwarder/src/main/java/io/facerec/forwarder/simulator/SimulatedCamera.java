package io.facerec.forwarder.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * An ESP32-CAM as the stock CameraWebServer firmware serves its stream (testdata's FORMAT.md):
 * {@code GET /stream}, chunked multipart/x-mixed-replace, one chunk per write, X-Timestamp since
 * boot, one client at a time. It can misbehave on command, as real boards do: drop the connection
 * mid-frame, send a truncated or corrupt JPEG, send one whose middle is damaged but whose markers
 * are intact, stall, or reboot (timestamps restart near zero).
 *
 * <p>Run: {@code java ... SimulatedCamera --dir FRAMES_DIR [--fps 5] [--port 81] [--path /stream]}
 */
public final class SimulatedCamera implements AutoCloseable {
    public static final String BOUNDARY = "123456789000000000000987654321";

    private final List<byte[]> frames;
    private final double fps;
    private final String path;
    private final ServerSocket server;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean clientConnected = new AtomicBoolean(false);
    private final AtomicInteger framesSent = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile long bootNanos = System.nanoTime();
    private volatile long downUntilNanos = 0;
    private volatile Socket current;
    // one-shot misbehaviours, consumed by the next frame
    private final AtomicBoolean dropMidFrame = new AtomicBoolean();
    private final AtomicBoolean truncateNext = new AtomicBoolean();
    private final AtomicBoolean corruptNext = new AtomicBoolean();
    private final AtomicBoolean damageNext = new AtomicBoolean();
    private final AtomicLong stallMillis = new AtomicLong();

    public SimulatedCamera(List<byte[]> frames, double fps, int port, String path) throws IOException {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no frames to serve");
        }
        this.frames = List.copyOf(frames);
        this.fps = fps;
        this.path = path;
        this.server = new ServerSocket();
        this.server.setReuseAddress(true);
        this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread t = new Thread(this::acceptLoop, "simulated-camera-" + port());
        t.setDaemon(true);
        t.start();
    }

    /** The JPEGs of a folder, in name order. */
    public static List<byte[]> framesFrom(Path dir) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().toLowerCase(Locale.ROOT).matches(".*\\.jpe?g")).sorted().toList()) {
                out.add(Files.readAllBytes(p));
            }
        }
        return out;
    }

    public int port() {
        return server.getLocalPort();
    }

    public String streamUrl() {
        return "http://127.0.0.1:" + port() + path;
    }

    public int framesSent() {
        return framesSent.get();
    }

    public int connections() {
        return connections.get();
    }

    public int refusedClients() {
        return refused.get();
    }

    public void dropConnectionMidFrame() {
        dropMidFrame.set(true);
    }

    public void sendTruncatedFrame() {
        truncateNext.set(true);
    }

    public void sendCorruptFrame() {
        corruptNext.set(true);
    }

    /** The next frame keeps its start and end markers but has 64 bytes in its middle inverted. */
    public void sendDamagedFrame() {
        damageNext.set(true);
    }

    /** {@code jpeg} with {@code count} bytes from its middle inverted, as a garbled transfer leaves it. */
    public static byte[] damaged(byte[] jpeg, int count) {
        byte[] b = jpeg.clone();
        int from = b.length / 2 - count / 2;
        for (int k = from; k < from + count; k++) {
            b[k] ^= (byte) 0xFF;
        }
        return b;
    }

    /** Sends nothing for a while, keeping the connection open. */
    public void stall(long millis) {
        stallMillis.set(millis);
    }

    /** A brown-out: the connection drops, the board is away for {@code downMillis}, timestamps restart. */
    public void reboot(long downMillis) {
        downUntilNanos = System.nanoTime() + downMillis * 1_000_000;
        closeQuietly(current);
    }

    private void acceptLoop() {
        while (running.get()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "simulated-camera-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!running.get()) {
                    return;
                }
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            String request = in.readLine();
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                // headers ignored, as the firmware does
            }
            OutputStream out = s.getOutputStream();
            if (System.nanoTime() < downUntilNanos) {
                return; // rebooting: the connection closes at once
            }
            if (request == null || !request.startsWith("GET " + path)) {
                out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            if (!clientConnected.compareAndSet(false, true)) {
                refused.incrementAndGet();
                out.write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            try {
                if (System.nanoTime() >= downUntilNanos && downUntilNanos != 0) {
                    bootNanos = downUntilNanos; // booted again: time since boot restarts
                    downUntilNanos = 0;
                }
                current = s;
                connections.incrementAndGet();
                stream(out);
            } finally {
                clientConnected.set(false);
            }
        } catch (IOException e) {
            // client went away or we dropped it
        }
    }

    private void stream(OutputStream out) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\n"
                + "Content-Type: multipart/x-mixed-replace;boundary=" + BOUNDARY + "\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "Access-Control-Allow-Origin: *\r\n"
                + "X-Framerate: 60\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        long interval = (long) (1_000_000_000L / fps);
        long next = System.nanoTime();
        int i = 0;
        while (running.get()) {
            long stall = stallMillis.getAndSet(0);
            if (stall > 0) {
                sleepNanos(stall * 1_000_000);
                next = System.nanoTime();
            }
            byte[] jpeg = frames.get(i % frames.size());
            if (truncateNext.getAndSet(false)) {
                jpeg = java.util.Arrays.copyOf(jpeg, jpeg.length / 2);
            } else if (damageNext.getAndSet(false)) {
                jpeg = damaged(jpeg, 64);
            } else if (corruptNext.getAndSet(false)) {
                jpeg = jpeg.clone();
                jpeg[0] = 0; // no start marker
                for (int k = jpeg.length / 3; k < jpeg.length / 3 + 64 && k < jpeg.length - 2; k++) {
                    jpeg[k] = (byte) 0xA5;
                }
            }
            long sinceBoot = (System.nanoTime() - bootNanos) / 1000;
            String ts = String.format(Locale.ROOT, "%d.%06d", sinceBoot / 1_000_000, sinceBoot % 1_000_000);
            chunk(out, ("\r\n--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.ISO_8859_1), 0, -1);
            chunk(out, ("Content-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\nX-Timestamp: " + ts
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), 0, -1);
            if (dropMidFrame.getAndSet(false)) {
                chunk(out, jpeg, 0, jpeg.length / 2);
                out.flush();
                throw new SocketException("dropped mid-frame on command");
            }
            chunk(out, jpeg, 0, -1);
            out.flush();
            framesSent.incrementAndGet();
            i++;
            next += interval;
            sleepNanos(next - System.nanoTime());
        }
    }

    /** One HTTP/1.1 chunk; {@code len} -1 for the whole array. */
    private static void chunk(OutputStream out, byte[] data, int off, int len) throws IOException {
        int n = len < 0 ? data.length - off : len;
        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(data, off, n);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void sleepNanos(long nanos) {
        if (nanos > 0) {
            try {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        running.set(false);
        server.close();
        closeQuietly(current);
    }

    public static void main(String[] args) throws Exception {
        Path dir = null;
        double fps = 5;
        int port = 81;
        String path = "/stream";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--fps" -> fps = Double.parseDouble(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--path" -> path = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: --dir FRAMES_DIR [--fps 5] [--port 81] [--path /stream]");
            }
        }
        if (dir == null) {
            throw new IllegalArgumentException("--dir FRAMES_DIR is required");
        }
        SimulatedCamera cam = new SimulatedCamera(framesFrom(dir), fps, port, path);
        System.out.println("simulated ESP32-CAM streaming " + dir + " at " + fps + " fps on " + cam.streamUrl());
        Thread.currentThread().join();
    }
}
