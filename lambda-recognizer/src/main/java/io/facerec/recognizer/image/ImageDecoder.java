package io.facerec.recognizer.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * JPEG and PNG bytes to {@link RgbImage}. The format is taken from the content, not the name. The
 * size is read from the header and checked before any pixel is allocated, so a tiny file that
 * claims 30000x30000 is refused instead of exhausting memory. EXIF orientation is applied. CMYK and
 * YCCK JPEGs (Adobe APP14) decode through TwelveMonkeys' reader, which ImageIO finds first on the path.
 */
public final class ImageDecoder {
    /** 40 megapixels: above any camera frame or phone photo, below what a small Lambda can hold. */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    public static final int DEFAULT_MIN_SIDE = 16;

    static {
        ImageIO.setUseCache(false); // no temp files: decode from memory only
    }

    private final long maxPixels;
    private final int minSide;

    public ImageDecoder() {
        this(DEFAULT_MAX_PIXELS, DEFAULT_MIN_SIDE);
    }

    public ImageDecoder(long maxPixels, int minSide) {
        this.maxPixels = maxPixels;
        this.minSide = minSide;
    }

    public enum Format { JPEG, PNG }

    /** The format by magic number, or null when the bytes are neither JPEG nor PNG. */
    public static Format sniff(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
            return Format.JPEG;
        }
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) {
            return Format.PNG;
        }
        return null;
    }

    public RgbImage decode(byte[] bytes, String source) throws ImageDecodeException {
        if (bytes.length == 0) {
            throw new ImageDecodeException(source + ": empty file (0 bytes)");
        }
        Format format = sniff(bytes);
        if (format == null) {
            throw new ImageDecodeException(source + ": not a JPEG or PNG image (" + describe(bytes) + ")");
        }
        if (format == Format.JPEG && !hasEndMarker(bytes)) {
            throw new ImageDecodeException(source + ": truncated JPEG (no end-of-image marker)");
        }
        BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.name());
            if (!readers.hasNext()) {
                throw new ImageDecodeException(source + ": no " + format + " decoder available");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if ((long) w * h > maxPixels) {
                    throw new ImageDecodeException(source + ": image is " + w + "x" + h + " = " + (long) w * h
                            + " pixels, over the limit of " + maxPixels);
                }
                if (w < minSide || h < minSide) {
                    throw new ImageDecodeException(source + ": image is " + w + "x" + h
                            + ", too small to hold a face (at least " + minSide + " pixels a side)");
                }
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // ImageIO reports corrupt data as IIOException or, for some streams, runtime exceptions
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new ImageDecodeException(source + ": cannot decode " + format + " (" + why + ")");
        }
        RgbImage rgb = toRgb(img);
        return format == Format.JPEG ? ExifOrientation.apply(rgb, ExifOrientation.read(bytes)) : rgb;
    }

    private static boolean hasEndMarker(byte[] b) {
        int end = b.length;
        // cameras and some encoders pad the frame after EOI
        while (end > 2 && (b[end - 1] == 0 || b[end - 1] == '\r' || b[end - 1] == '\n')) {
            end--;
        }
        return end >= 4 && (b[end - 2] & 0xff) == 0xFF && (b[end - 1] & 0xff) == 0xD9;
    }

    private static String describe(byte[] b) {
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return "a WebP image; convert it to JPEG";
        }
        int n = Math.min(b.length, 16);
        boolean text = true;
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c < 0x09 || (c > 0x0d && c < 0x20) || c == 0x7f) {
                text = false;
                break;
            }
        }
        if (text) {
            return "it looks like text";
        }
        StringBuilder hex = new StringBuilder("starts with");
        for (int i = 0; i < Math.min(n, 4); i++) {
            hex.append(String.format(" %02x", b[i] & 0xff));
        }
        return hex.toString();
    }

    static RgbImage toRgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h * 3];
        switch (img.getType()) {
            case BufferedImage.TYPE_3BYTE_BGR -> {
                byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
                if (bgr.length == out.length) {
                    for (int i = 0; i < out.length; i += 3) {
                        out[i] = bgr[i + 2];
                        out[i + 1] = bgr[i + 1];
                        out[i + 2] = bgr[i];
                    }
                    return new RgbImage(w, h, out);
                }
            }
            case BufferedImage.TYPE_BYTE_GRAY -> {
                byte[] grey = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
                if (grey.length == w * h) {
                    for (int i = 0, o = 0; i < grey.length; i++, o += 3) {
                        out[o] = out[o + 1] = out[o + 2] = grey[i];
                    }
                    return new RgbImage(w, h, out);
                }
            }
            default -> { }
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w); // any colour model, alpha dropped
            for (int x = 0, o = y * w * 3; x < w; x++, o += 3) {
                int p = row[x];
                out[o] = (byte) (p >> 16);
                out[o + 1] = (byte) (p >> 8);
                out[o + 2] = (byte) p;
            }
        }
        return new RgbImage(w, h, out);
    }
}
