package io.facerec.recognizer.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {
    final ImageDecoder decoder = new ImageDecoder();

    static byte[] encode(BufferedImage img, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    static BufferedImage colour(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | 0x40);
            }
        }
        return img;
    }

    @Test
    void decodesColourJpegAsRgb() throws Exception {
        RgbImage img = decoder.decode(encode(colour(64, 48, BufferedImage.TYPE_INT_RGB), "jpg"), "a.jpg");
        assertEquals(64, img.width());
        assertEquals(48, img.height());
        int last = (47 * 64 + 63) * 3;
        assertTrue((img.pixels()[last] & 0xff) > 200, "red grows to the right");
        assertTrue((img.pixels()[last + 1] & 0xff) > 200, "green grows downwards");
    }

    @Test
    void decodesGreyJpegIntoThreeEqualChannels() throws Exception {
        BufferedImage grey = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(5, 5, 0, 200);
        RgbImage img = decoder.decode(encode(grey, "jpg"), "g.jpg");
        byte[] p = img.pixels();
        for (int i = 0; i < p.length; i += 3) {
            assertEquals(p[i], p[i + 1]);
            assertEquals(p[i], p[i + 2]);
        }
    }

    @Test
    void decodesRgbaPngAndPngNamedJpgByContent() throws Exception {
        byte[] png = encode(colour(40, 20, BufferedImage.TYPE_INT_ARGB), "png");
        RgbImage img = decoder.decode(png, "photo.jpg");
        assertEquals(40, img.width());
        assertEquals(ImageDecoder.Format.PNG, ImageDecoder.sniff(png));
    }

    @Test
    void emptyFile() {
        assertEquals("x.jpg: empty file (0 bytes)",
                assertThrows(ImageDecodeException.class, () -> decoder.decode(new byte[0], "x.jpg")).getMessage());
    }

    @Test
    void textFile() {
        byte[] text = "hello, this is not an image\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("notes.jpg: not a JPEG or PNG image (it looks like text)",
                assertThrows(ImageDecodeException.class, () -> decoder.decode(text, "notes.jpg")).getMessage());
    }

    @Test
    void webpIsNamedAsUnsupported() {
        byte[] webp = "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("a.jpg: not a JPEG or PNG image (a WebP image; convert it to JPEG)",
                assertThrows(ImageDecodeException.class, () -> decoder.decode(webp, "a.jpg")).getMessage());
    }

    @Test
    void truncatedJpeg() throws Exception {
        byte[] full = encode(colour(64, 64, BufferedImage.TYPE_INT_RGB), "jpg");
        byte[] cut = Arrays.copyOf(full, full.length / 2);
        assertEquals("f.jpg: truncated JPEG (no end-of-image marker)",
                assertThrows(ImageDecodeException.class, () -> decoder.decode(cut, "f.jpg")).getMessage());
    }

    @Test
    void jpegPaddedAfterEndMarkerIsAccepted() throws Exception {
        byte[] full = encode(colour(64, 64, BufferedImage.TYPE_INT_RGB), "jpg");
        byte[] padded = Arrays.copyOf(full, full.length + 7);
        assertEquals(64, decoder.decode(padded, "p.jpg").width());
    }

    @Test
    void corruptJpegBodyGetsOneLineError() throws Exception {
        byte[] full = encode(colour(64, 64, BufferedImage.TYPE_INT_RGB), "jpg");
        byte[] bad = full.clone();
        // wreck the frame header and scan but keep SOI and EOI
        for (int i = 20; i < bad.length - 2; i++) {
            bad[i] = (byte) 0xFF;
        }
        var e = assertThrows(ImageDecodeException.class, () -> decoder.decode(bad, "bad.jpg"));
        assertTrue(e.getMessage().startsWith("bad.jpg: cannot decode JPEG"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void oneByOneImageIsTooSmall() throws Exception {
        byte[] png = encode(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "png");
        assertEquals("dot.png: image is 1x1, too small to hold a face (at least 16 pixels a side)",
                assertThrows(ImageDecodeException.class, () -> decoder.decode(png, "dot.png")).getMessage());
    }

    @Test
    void hugePngHeaderIsRefusedBeforeDecoding() {
        byte[] png = pngHeaderOnly(30000, 30000);
        var e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(ImageDecodeException.class, () -> decoder.decode(png, "bomb.png")));
        assertEquals("bomb.png: image is 30000x30000 = 900000000 pixels, over the limit of 40000000", e.getMessage());
    }

    @Test
    void hugeJpegHeaderIsRefusedBeforeDecoding() throws Exception {
        byte[] jpg = encode(colour(16, 16, BufferedImage.TYPE_INT_RGB), "jpg");
        // patch the SOF0 frame header's height and width to 30000
        for (int i = 2; i < jpg.length - 9; i++) {
            if ((jpg[i] & 0xff) == 0xFF && (jpg[i + 1] & 0xff) == 0xC0) {
                jpg[i + 5] = (byte) (30000 >> 8);
                jpg[i + 6] = (byte) 30000;
                jpg[i + 7] = (byte) (30000 >> 8);
                jpg[i + 8] = (byte) 30000;
                break;
            }
        }
        var e = assertThrows(ImageDecodeException.class, () -> decoder.decode(jpg, "bomb.jpg"));
        assertTrue(e.getMessage().contains("30000x30000"), e.getMessage());
    }

    /** A PNG signature and IHDR chunk with a valid CRC, and no image data. */
    static byte[] pngHeaderOnly(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + 17 + 4);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        b.putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        return b.array();
    }

    @Test
    void adobeCmykAndYcckJpegsDecodeWithTheirColours() throws Exception {
        RgbImage source = ImageDecoder.toRgb(colour(64, 48, BufferedImage.TYPE_INT_RGB));
        for (boolean ycck : new boolean[] {false, true}) {
            String name = ycck ? "ycck.jpg" : "cmyk.jpg";
            RgbImage img = decoder.decode(io.facerec.recognizer.testing.Jpegs.adobeCmyk(source, ycck), name);
            assertEquals(64, img.width(), name);
            int worst = 0;
            for (int i = 0; i < img.pixels().length; i++) {
                worst = Math.max(worst, Math.abs((img.pixels()[i] & 0xff) - (source.pixels()[i] & 0xff)));
            }
            // JPEG loses a little; a decoder that ignores the Adobe marker or inverts the inks is far off
            assertTrue(worst <= 16, name + ": a channel is off by " + worst);
        }
    }
}
