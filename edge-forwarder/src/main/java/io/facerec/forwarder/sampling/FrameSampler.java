package io.facerec.forwarder.sampling;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;

/**
 * Decides which frames of one camera go to S3. In order: a frame without JPEG start and end markers
 * is corrupt; one whose header claims more than MAX_FRAME_PIXELS is too large (never decoded);
 * frames closer together than 1/SAMPLE_FPS are skipped without decoding (so decoding costs at most
 * SAMPLE_FPS frames a second); the rest are decoded strictly: a decoder warning or damage found in
 * the entropy-coded data ({@link JpegCheck}) makes the frame corrupt, since boards send frames whose
 * markers are intact but whose middle is not; a frame whose small grey thumbnail barely differs from
 * the last uploaded one is skipped, unless KEEPALIVE_S has passed; what is left is sent, re-encoded
 * only when DOWNSCALE is below 1.
 */
public final class FrameSampler {
    static final int THUMB_W = 32;
    static final int THUMB_H = 24;

    static {
        ImageIO.setUseCache(false);
    }

    public enum Decision { SAMPLED, RATE_CAPPED, NO_MOTION, CORRUPT, TOO_LARGE }

    /** The decision, and the bytes to upload when sampled. */
    public record Result(Decision decision, byte[] jpeg, double motion) {
    }

    private final long minIntervalMillis;
    private final double motionThreshold;
    private final long keepAliveMillis;
    private final double downscale;
    private final float quality;
    private final long maxPixels;
    private long lastEvaluated = Long.MIN_VALUE;
    private long lastSampled = Long.MIN_VALUE;
    private float[] lastThumb;

    public FrameSampler(double sampleFps, double motionThreshold, Duration keepAlive, double downscale, int jpegQuality) {
        this(sampleFps, motionThreshold, keepAlive, downscale, jpegQuality, 3840L * 2160);
    }

    public FrameSampler(double sampleFps, double motionThreshold, Duration keepAlive, double downscale, int jpegQuality,
                        long maxPixels) {
        this.maxPixels = maxPixels;
        this.minIntervalMillis = Math.round(1000 / sampleFps);
        this.motionThreshold = motionThreshold;
        this.keepAliveMillis = keepAlive.toMillis();
        this.downscale = downscale;
        this.quality = jpegQuality / 100f;
    }

    public Result offer(byte[] jpeg, long nowMillis) {
        if (!hasMarkers(jpeg)) {
            return new Result(Decision.CORRUPT, null, 0);
        }
        var size = JpegCheck.size(jpeg);
        if (size.isEmpty()) {
            return new Result(Decision.CORRUPT, null, 0);
        }
        if (size.get().pixels() > maxPixels) {
            return new Result(Decision.TOO_LARGE, null, 0);
        }
        if (lastEvaluated != Long.MIN_VALUE && nowMillis - lastEvaluated < minIntervalMillis) {
            return new Result(Decision.RATE_CAPPED, null, 0);
        }
        BufferedImage img;
        try {
            img = decode(jpeg);
        } catch (IOException | RuntimeException e) {
            return new Result(Decision.CORRUPT, null, 0);
        }
        if (img == null || JpegCheck.damage(jpeg).isPresent()) {
            return new Result(Decision.CORRUPT, null, 0);
        }
        lastEvaluated = nowMillis;
        float[] thumb = thumbnail(img);
        double motion = lastThumb == null ? 1 : difference(thumb, lastThumb);
        boolean keepAliveDue = lastSampled == Long.MIN_VALUE || nowMillis - lastSampled >= keepAliveMillis;
        if (motion < motionThreshold && !keepAliveDue) {
            return new Result(Decision.NO_MOTION, null, motion);
        }
        lastThumb = thumb;
        lastSampled = nowMillis;
        try {
            return new Result(Decision.SAMPLED, downscale < 1.0 ? reencode(img) : jpeg, motion);
        } catch (IOException e) {
            return new Result(Decision.CORRUPT, null, motion);
        }
    }

    /** A camera frame must start with FF D8 and end with FF D9 (trailing padding allowed). */
    public static boolean hasMarkers(byte[] b) {
        if (b.length < 4 || (b[0] & 0xff) != 0xFF || (b[1] & 0xff) != 0xD8) {
            return false;
        }
        int end = b.length;
        while (end > 2 && b[end - 1] == 0) {
            end--;
        }
        return (b[end - 2] & 0xff) == 0xFF && (b[end - 1] & 0xff) == 0xD9;
    }

    /** Decodes, with any decoder warning ("corrupt JPEG data", "premature end") an error. */
    private static BufferedImage decode(byte[] jpeg) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg");
            ImageReader r = it.next();
            List<String> warnings = new ArrayList<>();
            r.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            try {
                r.setInput(in, true, true);
                ImageReadParam p = r.getDefaultReadParam();
                BufferedImage img = r.read(0, p);
                if (!warnings.isEmpty()) {
                    throw new IOException("decoder warning: " + warnings.getFirst());
                }
                return img;
            } finally {
                r.dispose();
            }
        }
    }

    /** Mean grey of each cell of a 32x24 grid, 0..1. */
    static float[] thumbnail(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[] t = new float[THUMB_W * THUMB_H];
        int[] row = new int[w];
        int[] counts = new int[t.length];
        for (int y = 0; y < h; y += 2) {
            img.getRGB(0, y, w, 1, row, 0, w);
            int ty = Math.min(THUMB_H - 1, y * THUMB_H / h);
            for (int x = 0; x < w; x += 2) {
                int p = row[x];
                float grey = (0.299f * ((p >> 16) & 0xff) + 0.587f * ((p >> 8) & 0xff) + 0.114f * (p & 0xff)) / 255f;
                int i = ty * THUMB_W + Math.min(THUMB_W - 1, x * THUMB_W / w);
                t[i] += grey;
                counts[i]++;
            }
        }
        for (int i = 0; i < t.length; i++) {
            t[i] = counts[i] == 0 ? 0 : t[i] / counts[i];
        }
        return t;
    }

    /** Mean absolute difference of two thumbnails, 0..1. */
    static double difference(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s / a.length;
    }

    private byte[] reencode(BufferedImage img) throws IOException {
        int w = Math.max(1, (int) Math.round(img.getWidth() * downscale));
        int h = Math.max(1, (int) Math.round(img.getHeight() * downscale));
        BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = small.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(small, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
