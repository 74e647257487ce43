package io.facerec.forwarder.bench;

import io.facerec.forwarder.simulator.SimulatedCamera;
import io.facerec.loopback.NodeProcess;
import io.facerec.loopback.S3Server;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;

/**
 * The forwarder as its own process on a 25 fps 640x480 stream sampled at 2 fps, every sampled frame
 * uploaded (motion gating off: the worst case). Prints its CPU share of one core and resident
 * memory over a measured window, and the p50/p95 from the frame's arrival to S3 confirming the put.
 * Run: bin/bench-forwarder [seconds]
 */
public final class ForwarderBench {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Path root = Path.of(System.getProperty("facerec.root", ".."));
        Path testdata = Path.of(System.getenv().getOrDefault("FACE_TESTDATA", root.resolve("../shared/testdata").toString()));
        List<byte[]> frames = new ArrayList<>();
        for (byte[] f : SimulatedCamera.framesFrom(testdata.resolve("face_recognition/video/frames_5fps"))) {
            frames.add(vga(f));
        }
        Path spool = Files.createTempDirectory("bench-spool");
        int health = NodeProcess.freePort();
        try (S3Server s3s = new S3Server(null); var s3 = s3s.client();
             SimulatedCamera cam = new SimulatedCamera(frames, 25, 0, "/stream")) {
            s3.createBucket(b -> b.bucket("bench-frames"));
            ProcessBuilder pb = new ProcessBuilder(root.resolve("bin/edge-forwarder").toString()).inheritIO();
            pb.environment().putAll(java.util.Map.of("STREAM_URL", cam.streamUrl(), "S3_BUCKET", "bench-frames",
                    "AWS_ENDPOINT_URL_S3", s3s.endpoint().toString(), "SAMPLE_FPS", "2", "MOTION_THRESHOLD", "0",
                    "HEALTH_PORT", Integer.toString(health), "SPOOL_DIR", spool.toString(), "LOG_LEVEL", "WARN",
                    "AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY));
            Process p = pb.start();
            long pid = javaPid(p);
            try {
                Thread.sleep(15_000); // start-up and JIT warm-up are not measured
                long cpu0 = cpuTicks(pid);
                long t0 = System.nanoTime();
                int sent0 = cam.framesSent();
                Thread.sleep(seconds * 1000L);
                long cpu1 = cpuTicks(pid);
                double wall = (System.nanoTime() - t0) / 1e9;
                int sent = cam.framesSent() - sent0;
                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + health + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                double cpuPct = 100.0 * (cpu1 - cpu0) / 100.0 / wall; // clock ticks are 1/100 s
                System.out.printf(Locale.ROOT, "stream: %.1f frames/s of 640x480 (%d KB each) over %.0f s%n",
                        sent / wall, frames.get(0).length / 1024, wall);
                System.out.printf(Locale.ROOT, "forwarder CPU: %.1f%% of one core; resident memory %d MB (peak %d MB)%n",
                        cpuPct, status(pid, "VmRSS") / 1024, status(pid, "VmHWM") / 1024);
                System.out.printf(Locale.ROOT, "uploaded %s frames; arrival to S3 put confirmed: p50 %.1f ms, p95 %.1f ms%n",
                        metric(metrics, "forwarder_frames_uploaded_total"),
                        1000 * Double.parseDouble(metric(metrics, "forwarder_upload_latency_seconds{camera=\"cam1\",quantile=\"0.5\"}")),
                        1000 * Double.parseDouble(metric(metrics, "forwarder_upload_latency_seconds{camera=\"cam1\",quantile=\"0.95\"}")));
            } finally {
                p.destroy();
                p.waitFor();
            }
        }
    }

    static long javaPid(Process p) throws Exception {
        // bin/edge-forwarder execs java, so the script's pid is the JVM's
        return p.pid();
    }

    static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
    }

    static long status(long pid, String key) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith(key + ":")) {
                return Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    static String metric(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name)).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .findFirst().orElse("0");
    }

    static byte[] vga(byte[] jpeg) throws Exception {
        BufferedImage src = ImageIO.read(new ByteArrayInputStream(jpeg));
        BufferedImage dst = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
        var g = dst.createGraphics();
        g.drawImage(src, 0, 0, 640, 480, null);
        g.dispose();
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam prm = w.getDefaultWriteParam();
        prm.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        prm.setCompressionQuality(0.8f);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var ios = ImageIO.createImageOutputStream(out)) {
            w.setOutput(ios);
            w.write(null, new IIOImage(dst, null, null), prm);
        }
        w.dispose();
        return out.toByteArray();
    }
}
