package io.facerec.forwarder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.forwarder.sampling.FrameSampler;
import io.facerec.forwarder.sampling.FrameSampler.Decision;
import io.facerec.forwarder.sampling.JpegCheck;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import io.facerec.forwarder.simulator.SimulatedCamera;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class FrameSamplerTest {
    static byte[] jpeg(int squareX) throws Exception {
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, 320, 240);
        g.setColor(Color.WHITE);
        g.fillRect(squareX, 60, 120, 120);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }

    @Test
    void rateCapSkipsFramesWithoutDecodingThem() throws Exception {
        FrameSampler s = new FrameSampler(2, 0, Duration.ofSeconds(60), 1.0, 85);
        byte[] f = jpeg(10);
        assertEquals(Decision.SAMPLED, s.offer(f, 0).decision());
        assertEquals(Decision.RATE_CAPPED, s.offer(f, 100).decision());
        assertEquals(Decision.RATE_CAPPED, s.offer(f, 499).decision());
        assertEquals(Decision.SAMPLED, s.offer(f, 500).decision(), "0.5 s later at 2 fps");
    }

    @Test
    void motionGatingWithKeepAlive() throws Exception {
        FrameSampler s = new FrameSampler(10, 0.02, Duration.ofSeconds(5), 1.0, 85);
        byte[] still = jpeg(10);
        byte[] moved = jpeg(180);
        assertEquals(Decision.SAMPLED, s.offer(still, 0).decision(), "first frame");
        assertEquals(Decision.NO_MOTION, s.offer(still, 1000).decision());
        FrameSampler.Result r = s.offer(moved, 2000);
        assertEquals(Decision.SAMPLED, r.decision(), "motion " + r.motion());
        assertEquals(Decision.NO_MOTION, s.offer(moved, 3000).decision());
        assertEquals(Decision.SAMPLED, s.offer(moved, 7000).decision(), "keep-alive after 5 s without upload");
    }

    @Test
    void corruptFramesAreNeverSampled() throws Exception {
        FrameSampler s = new FrameSampler(10, 0, Duration.ofSeconds(5), 1.0, 85);
        byte[] good = jpeg(10);
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
        byte[] noStart = good.clone();
        noStart[0] = 0;
        byte[] garbage = good.clone();
        for (int i = 20; i < garbage.length - 2; i++) {
            garbage[i] = (byte) 0xFF;
        }
        assertEquals(Decision.CORRUPT, s.offer(truncated, 0).decision());
        assertEquals(Decision.CORRUPT, s.offer(noStart, 200).decision());
        assertEquals(Decision.CORRUPT, s.offer(garbage, 400).decision());
        assertEquals(Decision.SAMPLED, s.offer(good, 600).decision());
    }

    @Test
    void originalBytesUnlessDownscaled() throws Exception {
        byte[] f = jpeg(10);
        assertArrayEquals(f, new FrameSampler(1, 0, Duration.ofSeconds(5), 1.0, 85).offer(f, 0).jpeg(), "no re-encode");
        byte[] half = new FrameSampler(1, 0, Duration.ofSeconds(5), 0.5, 85).offer(f, 0).jpeg();
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(half));
        assertEquals(160, img.getWidth());
        assertEquals(120, img.getHeight());
        assertTrue(FrameSampler.hasMarkers(half));
    }

    /** Real frames: the ESP32 stream's JPEGs, the boards' own test shots, and the face photos. */
    static Map<String, byte[]> realFrames() throws Exception {
        Path td = TestFrames.testdata();
        Map<String, byte[]> frames = new LinkedHashMap<>();
        Path esp = td.resolve("esp32-mjpeg");
        byte[] body = Files.readAllBytes(esp.resolve("stream-body-dechunked.bin"));
        for (String line : Files.readAllLines(esp.resolve("stream-index.tsv")).subList(1, 6)) {
            String[] f = line.split("\t");
            int off = Integer.parseInt(f[4]);
            frames.put("esp32 stream frame " + f[0], java.util.Arrays.copyOfRange(body, off, off + Integer.parseInt(f[2])));
        }
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("no-faces", "face_recognition/images", "face_recognition/video/frames_5fps")) {
            try (Stream<Path> s = Files.walk(td.resolve(dir))) {
                s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.jpe?g")).sorted()
                        .forEach(files::add);
            }
        }
        for (Path p : files) {
            frames.put(td.relativize(p).toString(), Files.readAllBytes(p));
        }
        return frames;
    }

    @Test
    void framesWithDamagedEntropyCodedDataAreCorrupt() throws Exception {
        Map<String, byte[]> frames = realFrames();
        assertTrue(frames.size() > 70, frames.size() + " frames");
        List<String> missed = new ArrayList<>();
        for (var e : frames.entrySet()) {
            byte[] damaged = SimulatedCamera.damaged(e.getValue(), 64);
            assertTrue(FrameSampler.hasMarkers(damaged), "markers intact: " + e.getKey());
            // a fresh sampler each time: no rate cap or motion gate in the way
            assertEquals(Decision.SAMPLED, new FrameSampler(1, 0, Duration.ofSeconds(5), 1.0, 85)
                    .offer(e.getValue(), 0).decision(), "undamaged " + e.getKey());
            if (new FrameSampler(1, 0, Duration.ofSeconds(5), 1.0, 85).offer(damaged, 0).decision() != Decision.CORRUPT) {
                missed.add(e.getKey());
            }
        }
        assertEquals(List.of(), missed, "damaged frames taken for whole");
    }

    @Test
    void framesClaimingHugeDimensionsAreRefusedBeforeDecoding() throws Exception {
        byte[] f = jpeg(10);
        byte[] huge = f.clone();
        for (int i = 2; i + 9 < huge.length; i++) {
            if ((huge[i] & 0xff) == 0xFF && (huge[i + 1] & 0xff) == 0xC0) {
                // frame header: height and width 60000, a 10 GB raster if decoded
                huge[i + 5] = (byte) 0xEA;
                huge[i + 6] = (byte) 0x60;
                huge[i + 7] = (byte) 0xEA;
                huge[i + 8] = (byte) 0x60;
                break;
            }
        }
        assertEquals(new JpegCheck.Size(60000, 60000), JpegCheck.size(huge).orElseThrow());
        assertEquals(Decision.TOO_LARGE, new FrameSampler(1, 0, Duration.ofSeconds(5), 1.0, 85, 3840L * 2160)
                .offer(huge, 0).decision());
        assertEquals(Decision.TOO_LARGE, new FrameSampler(1, 0, Duration.ofSeconds(5), 1.0, 85, 320L * 240 - 1)
                .offer(f, 0).decision(), "one pixel over the cap");
        assertEquals(Decision.SAMPLED, new FrameSampler(1, 0, Duration.ofSeconds(5), 1.0, 85, 320L * 240)
                .offer(f, 0).decision(), "at the cap");
    }
}
