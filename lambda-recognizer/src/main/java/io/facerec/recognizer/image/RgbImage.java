package io.facerec.recognizer.image;

/** 8-bit RGB pixels, interleaved, row-major: the one image form every stage works on. */
public record RgbImage(int width, int height, byte[] pixels) {
    public RgbImage {
        if (width <= 0 || height <= 0 || (long) width * height * 3 != pixels.length) {
            throw new IllegalArgumentException("bad image " + width + "x" + height + " with " + pixels.length + " bytes");
        }
    }

    /** Bilinear sample of channel {@code c} at (x, y) in pixel-centre coordinates; 0 outside. */
    public float sample(float x, float y, int c) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        float fx = x - x0;
        float fy = y - y0;
        float top = (1 - fx) * at(x0, y0, c) + fx * at(x0 + 1, y0, c);
        float bottom = (1 - fx) * at(x0, y0 + 1, c) + fx * at(x0 + 1, y0 + 1, c);
        return (1 - fy) * top + fy * bottom;
    }

    private int at(int x, int y, int c) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            return 0;
        }
        return pixels[(y * width + x) * 3 + c] & 0xff;
    }

    /**
     * Resized copy for display-quality shrinking: by 2x or more it averages whole source pixels
     * (no aliasing), otherwise it interpolates bilinearly.
     */
    public RgbImage resize(int newWidth, int newHeight) {
        float sx = (float) width / newWidth;
        float sy = (float) height / newHeight;
        if (sx >= 2 && sy >= 2) {
            byte[] out = new byte[newWidth * newHeight * 3];
            areaAverage(out, newWidth, newHeight, sx, sy);
            return new RgbImage(newWidth, newHeight, out);
        }
        return resizeBilinear(newWidth, newHeight);
    }

    /**
     * Bilinear resize with half-pixel centres and clamped edges, exactly as OpenCV's INTER_LINEAR:
     * what the models were trained on, aliasing included.
     */
    public RgbImage resizeBilinear(int newWidth, int newHeight) {
        if (newWidth == width && newHeight == height) {
            return this;
        }
        byte[] out = new byte[newWidth * newHeight * 3];
        float sx = (float) width / newWidth;
        float sy = (float) height / newHeight;
        // the horizontal taps are the same for every row: work them out once
        int[] xa = new int[newWidth];
        int[] xb = new int[newWidth];
        float[] wx = new float[newWidth];
        for (int x = 0; x < newWidth; x++) {
            float fx = Math.max(0, Math.min(width - 1, (x + 0.5f) * sx - 0.5f));
            xa[x] = (int) fx * 3;
            xb[x] = Math.min(width - 1, (int) fx + 1) * 3;
            wx[x] = fx - (int) fx;
        }
        for (int y = 0; y < newHeight; y++) {
            float fy = Math.max(0, Math.min(height - 1, (y + 0.5f) * sy - 0.5f));
            int y0 = (int) fy;
            int r0 = y0 * width * 3;
            int r1 = Math.min(height - 1, y0 + 1) * width * 3;
            float wy = fy - y0;
            int o = y * newWidth * 3;
            for (int x = 0; x < newWidth; x++, o += 3) {
                float w = wx[x];
                for (int c = 0; c < 3; c++) {
                    float top = (pixels[r0 + xa[x] + c] & 0xff) + w * ((pixels[r0 + xb[x] + c] & 0xff) - (pixels[r0 + xa[x] + c] & 0xff));
                    float bottom = (pixels[r1 + xa[x] + c] & 0xff) + w * ((pixels[r1 + xb[x] + c] & 0xff) - (pixels[r1 + xa[x] + c] & 0xff));
                    out[o + c] = (byte) Math.round(top + wy * (bottom - top));
                }
            }
        }
        return new RgbImage(newWidth, newHeight, out);
    }

    private void areaAverage(byte[] out, int newWidth, int newHeight, float sx, float sy) {
        for (int y = 0; y < newHeight; y++) {
            int ya = (int) (y * sy);
            int yb = Math.max(ya + 1, Math.min(height, (int) ((y + 1) * sy)));
            for (int x = 0; x < newWidth; x++) {
                int xa = (int) (x * sx);
                int xb = Math.max(xa + 1, Math.min(width, (int) ((x + 1) * sx)));
                int r = 0;
                int g = 0;
                int b = 0;
                for (int yy = ya; yy < yb; yy++) {
                    int p = (yy * width + xa) * 3;
                    for (int xx = xa; xx < xb; xx++, p += 3) {
                        r += pixels[p] & 0xff;
                        g += pixels[p + 1] & 0xff;
                        b += pixels[p + 2] & 0xff;
                    }
                }
                int n = (yb - ya) * (xb - xa);
                int o = (y * newWidth + x) * 3;
                out[o] = (byte) ((r + n / 2) / n);
                out[o + 1] = (byte) ((g + n / 2) / n);
                out[o + 2] = (byte) ((b + n / 2) / n);
            }
        }
    }
}
