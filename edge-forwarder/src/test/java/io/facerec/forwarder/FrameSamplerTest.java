package io.facerec.forwarder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.forwarder.sampling.FrameSampler;
import io.facerec.forwarder.sampling.FrameSampler.Decision;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
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
}
