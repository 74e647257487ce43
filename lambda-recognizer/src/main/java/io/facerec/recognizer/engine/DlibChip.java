package io.facerec.recognizer.engine;

import io.facerec.recognizer.image.RgbImage;

/**
 * The face chip dlib's face descriptor expects, cut as dlib 19.24's
 * {@code get_face_chip_details(shape, 150, 0.25)} and {@code extract_image_chips} cut it (Python
 * {@code face_recognition} calls them through {@code compute_face_descriptor}): a similarity
 * transform of dlib's 5-point shape onto its template, a 150x150 chip of that rectangle, and,
 * where the face is much larger than the chip, dlib's 5-tap Gaussian image pyramid first, so the
 * bilinear sampling does not alias. The pixel arithmetic (integer pyramid, truncating bilinear
 * interpolation, black outside the image) is dlib's, so the chips match its own to the pixel.
 */
public final class DlibChip {
    public static final int SIZE = 150;
    public static final double PADDING = 0.25;
    /** get_face_chip_details' template for the 5-point shape, x0, y0, ... in [0, 1]. */
    private static final double[] TEMPLATE = {
        0.8595674595992, 0.2134981538014, 0.6460604764104, 0.2289674387677, 0.1205750620789, 0.2137274526848,
        0.3340850613712, 0.2290642403242, 0.4901123135679, 0.6277975316475};
    /**
     * dlib's 5-point parts as iBUG 68-point indices (0-based): the outer and inner corner of the eye
     * on the image's right, the outer and inner corner of the other eye, the base of the nose. The
     * template above is dlib's mean 68-point face at exactly these indices.
     */
    private static final int[] PARTS = {45, 42, 36, 39, 33};

    /** Where the chip lies in the image: dlib's chip_details (rectangle and rotation in radians). */
    public record Details(double left, double top, double right, double bottom, double angle) {
    }

    private DlibChip() {
    }

    /** The 150x150 chip for a face with these 68 landmarks (x0, y0, ... in image pixels). */
    public static RgbImage cut(RgbImage image, float[] lm68) {
        return extract(image, details(fivePoints(lm68), SIZE, PADDING), SIZE);
    }

    /**
     * dlib's 5-point shape (parts 0..4, x, y each) taken from the 68 iBUG landmarks, rounded to whole
     * pixels as dlib's {@code full_object_detection} stores its parts ({@code floor(v + 0.5)}).
     */
    public static double[] fivePoints(float[] lm68) {
        if (lm68.length != 136) {
            throw new IllegalArgumentException("expected 68 landmarks, got " + lm68.length / 2);
        }
        double[] p = new double[10];
        for (int i = 0; i < PARTS.length; i++) {
            p[2 * i] = Math.floor(lm68[2 * PARTS[i]] + 0.5);
            p[2 * i + 1] = Math.floor(lm68[2 * PARTS[i] + 1] + 0.5);
        }
        return p;
    }

    /** get_face_chip_details for a 5-point shape. */
    public static Details details(double[] five, int size, double padding) {
        double[] chip = new double[10];
        for (int i = 0; i < 10; i++) {
            chip[i] = (padding + TEMPLATE[i]) / (2 * padding + 1) * size;
        }
        // chip -> image; a similarity is what dlib's Umeyama estimate gives for a face shape
        double[] m = FaceAligner.similarity(chip, five);
        double a = m[0];
        double b = m[3];
        double angle = Math.atan2(b, a);
        double scale = Math.sqrt(a * a + b * b);
        double half = size / 2.0;
        double cx = a * half + m[1] * half + m[2];
        double cy = b * half + m[4] * half + m[5];
        // centered_drect: dlib's rectangles include both edges
        double w = size * scale - 1;
        return new Details(cx - w / 2, cy - w / 2, cx + w / 2, cy + w / 2, angle);
    }

    /** extract_image_chips for one chip of {@code size} x {@code size} with bilinear interpolation. */
    public static RgbImage extract(RgbImage image, Details d, int size) {
        double[] rect = {d.left(), d.top(), d.right(), d.bottom()};
        long chipArea = (long) size * size;
        int depth = 0;
        double grow = 2;
        double[] r = down(rect);
        while (area(r) > chipArea) {
            r = down(r);
            depth++;
            grow = grow * 2 + 2;
        }
        double[] rot = rotatedBounds(rect, d.angle());
        // grow, clip to the image, round to whole pixels (dlib's drectangle -> rectangle)
        long bl = round(Math.max(rot[0] - grow, 0));
        long bt = round(Math.max(rot[1] - grow, 0));
        long br = round(Math.min(rot[2] + grow, image.width() - 1));
        long bb = round(Math.min(rot[3] + grow, image.height() - 1));
        byte[] out = new byte[size * size * 3];
        if (bl > br || bt > bb) {
            return new RgbImage(size, size, out); // the face lies outside the image: black, as dlib
        }
        Plane src = Plane.crop(image, (int) bl, (int) bt, (int) (br - bl + 1), (int) (bb - bt + 1));
        for (int i = 0; i < depth; i++) {
            src = src.pyramidDown();
        }
        double[] at = {rect[0] - bl, rect[1] - bt, rect[2] - bl, rect[3] - bt};
        while (area(down(at)) > chipArea) {
            at = down(at);
        }
        double cx = (at[0] + at[2]) / 2;
        double cy = (at[1] + at[3]) / 2;
        double cos = Math.cos(d.angle());
        double sin = Math.sin(d.angle());
        double[] tl = rotate(cx, cy, at[0], at[1], cos, sin);
        double[] tr = rotate(cx, cy, at[2], at[1], cos, sin);
        double[] blc = rotate(cx, cy, at[0], at[3], cos, sin);
        // the affine map of chip corners (0,0), (size-1,0), (0,size-1) onto those three corners
        double ux = (tr[0] - tl[0]) / (size - 1);
        double uy = (tr[1] - tl[1]) / (size - 1);
        double vx = (blc[0] - tl[0]) / (size - 1);
        double vy = (blc[1] - tl[1]) / (size - 1);
        int o = 0;
        for (int row = 0; row < size; row++) {
            for (int col = 0; col < size; col++, o += 3) {
                src.bilinear(tl[0] + col * ux + row * vx, tl[1] + col * uy + row * vy, out, o);
            }
        }
        return new RgbImage(size, size, out);
    }

    /** pyramid_down&lt;2&gt;::rect_down. */
    static double[] down(double[] r) {
        return new double[] {r[0] / 2.0 - 1.25, r[1] / 2.0 - 0.75, r[2] / 2.0 - 1.25, r[3] / 2.0 - 0.75};
    }

    /** drectangle::area: both edges included, zero when empty. */
    static double area(double[] r) {
        if (r[1] > r[3] || r[0] > r[2]) {
            return 0;
        }
        return (r[2] - r[0] + 1) * (r[3] - r[1] + 1);
    }

    private static long round(double v) {
        return (long) Math.floor(v + 0.5);
    }

    private static double[] rotate(double cx, double cy, double x, double y, double cos, double sin) {
        double px = x - cx;
        double py = y - cy;
        return new double[] {cos * px - sin * py + cx, sin * px + cos * py + cy};
    }

    private static double[] rotatedBounds(double[] r, double angle) {
        double cx = (r[0] + r[2]) / 2;
        double cy = (r[1] + r[3]) / 2;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double[] b = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (double[] c : new double[][] {{r[0], r[1]}, {r[2], r[1]}, {r[0], r[3]}, {r[2], r[3]}}) {
            double[] p = rotate(cx, cy, c[0], c[1], cos, sin);
            b[0] = Math.min(b[0], p[0]);
            b[1] = Math.min(b[1], p[1]);
            b[2] = Math.max(b[2], p[0]);
            b[3] = Math.max(b[3], p[1]);
        }
        return b;
    }

    /** RGB pixels that may be empty (a pyramid level of a tiny region is). */
    private record Plane(int width, int height, byte[] px) {
        static Plane crop(RgbImage img, int x0, int y0, int w, int h) {
            byte[] out = new byte[w * h * 3];
            for (int y = 0; y < h; y++) {
                System.arraycopy(img.pixels(), ((y0 + y) * img.width() + x0) * 3, out, y * w * 3, w * 3);
            }
            return new Plane(w, h, out);
        }

        /**
         * pyramid_down&lt;2&gt; for RGB: [1 4 6 4 1] along rows at every other column, the same down
         * the columns at every other row, integer sums divided by 256 (truncated).
         */
        Plane pyramidDown() {
            if (height <= 8 || width <= 8) {
                return new Plane(0, 0, new byte[0]);
            }
            int tw = (width - 3) / 2;
            int[] t = new int[height * tw * 3];
            for (int y = 0; y < height; y++) {
                int in = y * width * 3;
                int o = y * tw * 3;
                for (int x = 0; x < tw; x++, o += 3) {
                    int p = in + 2 * x * 3;
                    for (int c = 0; c < 3; c++) {
                        t[o + c] = (px[p + c] & 0xff) + 4 * (px[p + 3 + c] & 0xff) + 6 * (px[p + 6 + c] & 0xff)
                                + 4 * (px[p + 9 + c] & 0xff) + (px[p + 12 + c] & 0xff);
                    }
                }
            }
            int dh = (height - 3) / 2;
            byte[] out = new byte[dh * tw * 3];
            int row = tw * 3;
            int o = 0;
            for (int y = 2; y < height - 2; y += 2) {
                int base = y * row;
                for (int i = 0; i < row; i++, o++) {
                    int s = t[base - 2 * row + i] + 4 * t[base - row + i] + 6 * t[base + i] + 4 * t[base + row + i]
                            + t[base + 2 * row + i];
                    out[o] = (byte) (s / 256);
                }
            }
            return new Plane(tw, dh, out);
        }

        /** interpolate_bilinear: black when any of the four neighbours is outside; truncated. */
        void bilinear(double x, double y, byte[] out, int o) {
            long left = (long) Math.floor(x);
            long top = (long) Math.floor(y);
            if (!(left >= 0 && top >= 0 && left + 1 < width && top + 1 < height)) {
                return;
            }
            double lr = x - left;
            double tb = y - top;
            int i = (int) (top * width + left) * 3;
            int j = i + width * 3;
            for (int c = 0; c < 3; c++) {
                double tl = px[i + c] & 0xff;
                double tr = px[i + 3 + c] & 0xff;
                double bl = px[j + c] & 0xff;
                double br = px[j + 3 + c] & 0xff;
                double v = (1 - tb) * ((1 - lr) * tl + lr * tr) + tb * ((1 - lr) * bl + lr * br);
                out[o + c] = (byte) (int) v;
            }
        }
    }
}
