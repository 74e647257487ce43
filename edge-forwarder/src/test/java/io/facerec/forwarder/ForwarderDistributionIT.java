package io.facerec.forwarder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.facerec.forwarder.simulator.SimulatedCamera;
import io.facerec.loopback.NodeProcess;
import io.facerec.loopback.S3Server;
import io.facerec.model.config.SettingsReader;
import io.facerec.model.frame.FrameKey;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The forwarder as an edge box installs it: the tarball from {@code package} unpacked into a
 * temporary prefix, started through a symlink to its launcher, from another working directory,
 * with nothing but the unpacked files, against S3Proxy and the simulated camera.
 */
class ForwarderDistributionIT {
    static final String BUCKET = "dist-frames";
    @TempDir
    static Path tmp;
    static Path dist;

    @BeforeAll
    static void unpack() throws Exception {
        String built = System.getProperty("forwarder.dist");
        if (built == null) { // surefire picked it up through -Dtest: the tarball is failsafe's, after package
            System.out.println("SKIPPED: ForwarderDistributionIT runs under failsafe (mvn verify), after package");
            Assumptions.abort("runs under failsafe (mvn verify), after package");
        }
        Path tarball = Path.of(built);
        assertTrue(Files.isRegularFile(tarball), tarball + " not built: this test runs after package (mvn verify)");
        Path prefix = Files.createDirectories(tmp.resolve("opt"));
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toAbsolutePath().toString(), "-C", prefix.toString())
                .redirectErrorStream(true).start();
        String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, tar.waitFor(), out);
        try (Stream<Path> top = Files.list(prefix)) {
            List<Path> dirs = top.toList();
            assertEquals(1, dirs.size(), "one top folder: " + dirs);
            dist = dirs.get(0);
        }
    }

    @Test
    void theTarballHoldsTheLauncherTheJarsTheSettingsAndTheUnit() throws Exception {
        assertTrue(Files.isExecutable(dist.resolve("bin/edge-forwarder")), "bin/edge-forwarder is executable");
        try (Stream<Path> lib = Files.list(dist.resolve("lib"))) {
            Set<String> jars = lib.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            assertTrue(jars.stream().anyMatch(j -> j.startsWith("edge-forwarder-")), jars.toString());
            assertTrue(jars.stream().anyMatch(j -> j.startsWith("ffmpeg-") && j.contains("-linux-")),
                    "the platform's FFmpeg natives: " + jars);
        }
        assertTrue(Files.isRegularFile(dist.resolve("systemd/facerec-edge-forwarder.service")));
        // every default commented out: an unedited copy sets nothing (no SPOOL_DIR=spool under a read-only /)
        List<String> example = Files.readAllLines(dist.resolve(".env.example"));
        assertTrue(example.stream().anyMatch(l -> l.startsWith("#SPOOL_DIR=")), "the example documents SPOOL_DIR");
        assertEquals(Map.of(), SettingsReader.parseDotEnv(example), "uncommented settings in .env.example");
    }

    @Test
    void startsFromTheUnpackedCopyAndItsFramesLandInS3() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path link = Files.createDirectories(tmp.resolve("usr-local-bin")).resolve("edge-forwarder");
        Files.createSymbolicLink(link, dist.resolve("bin/edge-forwarder"));
        Path buildTree = Path.of(System.getProperty("facerec.root", ".")).toAbsolutePath().normalize();
        Path m2 = Path.of(System.getProperty("user.home"), ".m2").toAbsolutePath();
        List<byte[]> frames = frames(6);
        int health = NodeProcess.freePort();
        try (S3Server s3s = new S3Server(null); S3Client s3 = s3s.client();
             SimulatedCamera cam = new SimulatedCamera(frames, 10, 0, "/stream")) {
            s3.createBucket(b -> b.bucket(BUCKET));
            // settings from a file in the working directory, as the unit reads /etc/facerec/forwarder.env;
            // SPOOL_DIR is left to its default, so the spool must appear in the working directory
            Files.writeString(work.resolve("forwarder.env"), String.join("\n",
                    "STREAM_URL=" + cam.streamUrl(), "CAMERA_ID=distcam", "S3_BUCKET=" + BUCKET,
                    "AWS_ENDPOINT_URL_S3=" + s3s.endpoint(), "SAMPLE_FPS=5", "MOTION_THRESHOLD=0",
                    "HEALTH_PORT=" + health, "") + "\n");
            ProcessBuilder pb = new ProcessBuilder(link.toString()).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(work.resolve("forwarder.log").toFile());
            Map<String, String> env = pb.environment();
            env.clear();
            env.put("PATH", "/usr/bin:/bin");
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("HOME", tmp.resolve("no-home").toString()); // as under ProtectHome=true: nothing there
            env.put("JAVA_OPTS", "-Dorg.bytedeco.javacpp.cachedir=" + tmp.resolve("cache")); // the unit's CacheDirectory
            env.put("FORWARDER_ENV_FILE", "forwarder.env");
            env.put("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY);
            env.put("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
            Process p = pb.start();
            try {
                waitForFrames(s3, p, work, 4);
                // relocatable: nothing on its classpath or open comes from the build tree or ~/.m2
                List<String> used = new ArrayList<>(openFiles(p.pid()));
                used.addAll(classpath(p.pid()));
                for (String f : used) {
                    assertFalse(f.startsWith(buildTree + "/") || f.startsWith(m2 + "/"),
                            "the forwarder uses " + f + ", outside its distribution");
                }
                String lib = dist.toRealPath() + "/lib/";
                List<String> cp = classpath(p.pid());
                assertTrue(cp.stream().allMatch(e -> e.startsWith(lib)), "classpath from the unpacked lib/: " + cp);
            } finally {
                p.destroy(); // SIGTERM: puts in flight finish first
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail("the forwarder did not stop on SIGTERM within 30 s");
                }
            }
            // listed once it stopped: S3Proxy lists a put still in progress under a temporary name, AWS does not
            Set<String> sent = frames.stream().map(Arrays::toString).collect(Collectors.toSet());
            List<S3Object> uploaded = listFrames(s3);
            assertTrue(uploaded.size() >= 4, uploaded.toString());
            for (S3Object o : uploaded) {
                assertTrue(FrameKey.parse(o.key()).isPresent(), o.key());
                ResponseBytes<?> body = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(o.key()));
                assertTrue(sent.contains(Arrays.toString(body.asByteArray())), o.key() + " is one of the camera's frames");
            }
            assertTrue(Files.isDirectory(work.resolve("spool")), "the default spool is relative to the working directory");
        }
    }

    @Test
    void aConfigurationErrorExitsTwoWithTheProblemNamed() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("empty-work"));
        ProcessBuilder pb = new ProcessBuilder(dist.resolve("bin/edge-forwarder").toString()).directory(work.toFile())
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", System.getProperty("java.home"),
                "HOME", tmp.resolve("no-home").toString()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out); // the unit's RestartPreventExitStatus=2
        assertTrue(out.contains("S3_BUCKET is required"), out);
        assertFalse(out.contains("Exception"), out);
    }

    @Test
    void theSystemdUnitVerifies() throws Exception {
        Path analyze = Stream.of("/usr/bin/systemd-analyze", "/bin/systemd-analyze").map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
        if (analyze == null) {
            System.out.println("SKIPPED: systemd-analyze is not installed here; the unit is not verified");
            Assumptions.abort("systemd-analyze is not installed here");
        }
        // verify checks that ExecStart exists: point it at the unpacked launcher, keep everything else
        String unit = Files.readString(dist.resolve("systemd/facerec-edge-forwarder.service"));
        for (String want : List.of("User=", "Group=", "StateDirectory=facerec-edge-forwarder",
                "WorkingDirectory=/var/lib/facerec-edge-forwarder", "Environment=SPOOL_DIR=/var/lib/facerec-edge-forwarder/",
                "RestartPreventExitStatus=2", "ProtectSystem=strict", "ProtectHome=true", "NoNewPrivileges=true",
                "PrivateTmp=true", "ExecStart=/opt/facerec-edge-forwarder/bin/edge-forwarder\n")) {
            assertTrue(unit.contains(want), "the unit has " + want.strip());
        }
        Path copy = Files.createDirectories(tmp.resolve("units")).resolve("facerec-edge-forwarder.service");
        Files.writeString(copy, unit.replace("/opt/facerec-edge-forwarder/bin/edge-forwarder",
                dist.resolve("bin/edge-forwarder").toString()));
        Process p = new ProcessBuilder(analyze.toString(), "verify", copy.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        // it warns about unknown keys and bad values yet exits 0: any output is a failure
        assertEquals("", out.strip(), "systemd-analyze verify");
        assertEquals(0, p.exitValue(), out);
    }

    static List<S3Object> listFrames(S3Client s3) {
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("frames/distcam/")).contents().stream().toList();
    }

    /** Waits (bounded) until at least {@code n} frames are in the bucket; the forwarder's log on failure. */
    static void waitForFrames(S3Client s3, Process p, Path work, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (listFrames(s3).size() >= n) {
                return;
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(250);
        }
        fail("fewer than " + n + " frames in S3 (forwarder " + (p.isAlive() ? "running" : "exited " + p.exitValue())
                + "); its log:\n" + Files.readString(work.resolve("forwarder.log")));
    }

    /** The JVM's -cp entries, from its command line. */
    static List<String> classpath(long pid) throws IOException {
        Path cmdline = Path.of("/proc/" + pid + "/cmdline");
        Assumptions.assumeTrue(Files.isReadable(cmdline), "/proc is needed to see the forwarder's classpath");
        List<String> args = List.of(Files.readString(cmdline).split("\0"));
        int i = args.indexOf("-cp");
        assertTrue(i >= 0 && i + 1 < args.size(), "java -cp ...: " + args);
        return List.of(args.get(i + 1).split(":"));
    }

    /** The files the process has open (jars, native libraries, logs). */
    static List<String> openFiles(long pid) throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    files.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException gone) {
                    // closed while listing
                }
            }
        }
        files.addAll(Files.readAllLines(Path.of("/proc/" + pid + "/maps")).stream()
                .map(l -> l.replaceFirst("^(\\S+\\s+){5}", "").strip()).filter(s -> s.startsWith("/")).toList());
        return files;
    }

    /** Distinct small JPEGs (a moving block), so every upload can be matched to what the camera sent. */
    static List<byte[]> frames(int n) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(40 * i % 255, 90, 160));
            g.fillRect(0, 0, 160, 120);
            g.setColor(Color.WHITE);
            g.fillRect(10 + 20 * i, 30, 30, 40);
            g.dispose();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            ImageIO.write(img, "jpg", b);
            out.add(b.toByteArray());
        }
        return out;
    }
}
