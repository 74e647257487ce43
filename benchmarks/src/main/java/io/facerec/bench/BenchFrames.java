package io.facerec.bench;

import io.facerec.recognizer.image.ImageDecoder;
import io.facerec.recognizer.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;

/** Camera-like frames made from the shared test photos. */
final class BenchFrames {
    private BenchFrames() {
    }

    static Path testdata() {
        String env = System.getenv("FACE_TESTDATA");
        Path p = env != null && !env.isBlank() ? Path.of(env) : Path.of("../shared/testdata");
        if (!Files.isDirectory(p.resolve("face_recognition"))) {
            throw new IllegalStateException("face test data not found at " + p.toAbsolutePath() + "; set FACE_TESTDATA");
        }
        return p;
    }

    /**
     * A 640x480 JPEG (quality 0.8, like an ESP32-CAM at VGA) with one face: a portrait photo scaled
     * so the face is about 160 px tall, pasted on a grey background.
     */
    static byte[] vgaFrameWithOneFace() throws Exception {
        byte[] photo = Files.readAllBytes(testdata().resolve("face_recognition/images/joe_biden/biden.jpg"));
        RgbImage img = new ImageDecoder().decode(photo, "biden.jpg");
        int h = 400;
        int w = Math.min(600, img.width() * h / img.height());
        RgbImage small = img.resize(w, h);
        BufferedImage frame = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                int sx = x - (640 - w) / 2;
                int sy = y - 40;
                int rgb = 0x808080;
                if (sx >= 0 && sy >= 0 && sx < w && sy < h) {
                    int o = (sy * w + sx) * 3;
                    byte[] p = small.pixels();
                    rgb = (p[o] & 0xff) << 16 | (p[o + 1] & 0xff) << 8 | (p[o + 2] & 0xff);
                }
                frame.setRGB(x, y, rgb);
            }
        }
        return jpeg(frame, 0.8f);
    }

    static byte[] jpeg(BufferedImage img, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
