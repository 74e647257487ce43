package io.facerec.recognizer.testing;

import io.facerec.recognizer.image.RgbImage;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** JPEG fixtures built in memory. */
public final class Jpegs {
    private Jpegs() {
    }

    public static byte[] encode(RgbImage img) throws IOException {
        return io.facerec.recognizer.image.JpegEncoder.encode(img, 0.75f); // ImageIO's default quality
    }

    /** Inserts an APP1 Exif segment holding only the orientation tag right after SOI. */
    public static byte[] withOrientation(byte[] jpeg, int orientation, boolean little) {
        ByteOrder order = little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4).order(order);
        byte mark = little ? (byte) 'I' : (byte) 'M';
        tiff.put(mark).put(mark).putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        byte[] t = tiff.array();
        int len = 2 + 6 + t.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, (byte) (len >> 8), (byte) len});
        out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
        out.writeBytes(t);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /**
     * The image as Photoshop saves a CMYK JPEG: four components stored inverted (0 = full ink) behind an
     * Adobe APP14 marker, transform 0 (CMYK) or 2 (YCCK: the C, M and Y inks carried as YCbCr). The
     * inks are the naive conversion C = 255 - R, M = 255 - G, Y = 255 - B, K = 0, so a decoder that
     * honours the marker gives back the RGB pixels.
     */
    public static byte[] adobeCmyk(RgbImage img, boolean ycck) throws IOException {
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, img.width(), img.height(), 4, null);
        byte[] p = img.pixels();
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int o = (y * img.width() + x) * 3;
                int red = p[o] & 0xff;
                int green = p[o + 1] & 0xff;
                int blue = p[o + 2] & 0xff;
                if (ycck) {
                    int c = 255 - red;
                    int m = 255 - green;
                    int k = 255 - blue;
                    r.setSample(x, y, 0, clamp(0.299 * c + 0.587 * m + 0.114 * k));
                    r.setSample(x, y, 1, clamp(128 - 0.168736 * c - 0.331264 * m + 0.5 * k));
                    r.setSample(x, y, 2, clamp(128 + 0.5 * c - 0.418688 * m - 0.081312 * k));
                } else {
                    r.setSample(x, y, 0, red); // inverted cyan
                    r.setSample(x, y, 1, green);
                    r.setSample(x, y, 2, blue);
                }
                r.setSample(x, y, 3, 255); // inverted black: no black ink
            }
        }
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(raw)) {
            w.setOutput(ios);
            w.write(null, new IIOImage(r, null, null), w.getDefaultWriteParam()); // four components as given
        } finally {
            w.dispose();
        }
        byte[] jpeg = raw.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0,
                (byte) (ycck ? 2 : 0)});
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
