package io.facerec.recognizer.engine;

import io.facerec.recognizer.image.RgbImage;

/**
 * Five landmarks onto the 112x112 ArcFace template by a least-squares similarity transform
 * (rotation, uniform scale, translation; never a reflection or shear), then a bilinear warp with
 * a black border.
 */
public final class FaceAligner {
    public static final int SIZE = 112;
    /** left eye, right eye, nose tip, left and right mouth corners. */
    static final float[] TEMPLATE = {
        38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f, 71.7366f, 41.5493f, 92.3655f, 70.7299f, 92.2041f};

    private FaceAligner() {
    }

    /** The five points from the 68 iBUG landmarks, as MODELS.md defines them. */
    public static float[] fivePoints(float[] lm68) {
        float[] p = new float[10];
        meanOf(lm68, p, 0, 37, 38, 40, 41);
        meanOf(lm68, p, 1, 43, 44, 46, 47);
        meanOf(lm68, p, 2, 30);
        meanOf(lm68, p, 3, 48, 60);
        meanOf(lm68, p, 4, 54, 64);
        return p;
    }

    private static void meanOf(float[] lm, float[] out, int slot, int... idx) {
        float x = 0;
        float y = 0;
        for (int i : idx) {
            x += lm[2 * i];
            y += lm[2 * i + 1];
        }
        out[2 * slot] = x / idx.length;
        out[2 * slot + 1] = y / idx.length;
    }

    /**
     * The similarity {@code [a -b tx; b a ty]} that best maps {@code src} onto {@code dst} in the
     * least-squares sense (points as x0, y0, x1, y1, ...).
     */
    public static double[] similarity(float[] src, float[] dst) {
        double[] s = new double[src.length];
        double[] d = new double[dst.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = src[i];
            d[i] = dst[i];
        }
        return similarity(s, d);
    }

    /** {@link #similarity(float[], float[])} for points in double precision. */
    public static double[] similarity(double[] src, double[] dst) {
        int n = src.length / 2;
        double msx = 0, msy = 0, mdx = 0, mdy = 0;
        for (int i = 0; i < n; i++) {
            msx += src[2 * i];
            msy += src[2 * i + 1];
            mdx += dst[2 * i];
            mdy += dst[2 * i + 1];
        }
        msx /= n;
        msy /= n;
        mdx /= n;
        mdy /= n;
        double norm = 0, dotp = 0, cross = 0;
        for (int i = 0; i < n; i++) {
            double px = src[2 * i] - msx;
            double py = src[2 * i + 1] - msy;
            double qx = dst[2 * i] - mdx;
            double qy = dst[2 * i + 1] - mdy;
            norm += px * px + py * py;
            dotp += px * qx + py * qy;
            cross += px * qy - py * qx;
        }
        if (norm == 0) {
            throw new IllegalArgumentException("landmarks collapse to one point");
        }
        double a = dotp / norm;
        double b = cross / norm;
        double tx = mdx - (a * msx - b * msy);
        double ty = mdy - (b * msx + a * msy);
        return new double[] {a, -b, tx, b, a, ty};
    }

    /** The aligned 112x112 face for the given five points. */
    public static RgbImage align(RgbImage image, float[] fivePoints) {
        double[] m = similarity(fivePoints, TEMPLATE);
        double a = m[0];
        double b = m[3];
        double det = a * a + b * b;
        // inverse of the similarity: dst -> src
        double ia = a / det;
        double ib = b / det;
        byte[] out = new byte[SIZE * SIZE * 3];
        for (int v = 0; v < SIZE; v++) {
            for (int u = 0; u < SIZE; u++) {
                double du = u - m[2];
                double dv = v - m[5];
                float sx = (float) (ia * du + ib * dv);
                float sy = (float) (-ib * du + ia * dv);
                int o = (v * SIZE + u) * 3;
                for (int c = 0; c < 3; c++) {
                    out[o + c] = (byte) Math.round(image.sample(sx, sy, c));
                }
            }
        }
        return new RgbImage(SIZE, SIZE, out);
    }
}
