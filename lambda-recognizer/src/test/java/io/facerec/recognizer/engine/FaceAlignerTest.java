package io.facerec.recognizer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.facerec.recognizer.image.RgbImage;
import org.junit.jupiter.api.Test;

class FaceAlignerTest {
    /** Applies [a -b tx; b a ty] to points. */
    static float[] transform(float[] pts, double scale, double angle, double tx, double ty) {
        double a = scale * Math.cos(angle);
        double b = scale * Math.sin(angle);
        float[] out = new float[pts.length];
        for (int i = 0; i < pts.length; i += 2) {
            out[i] = (float) (a * pts[i] - b * pts[i + 1] + tx);
            out[i + 1] = (float) (b * pts[i] + a * pts[i + 1] + ty);
        }
        return out;
    }

    @Test
    void recoversAnExactSimilarity() {
        // a face 3x the template size, turned 20 degrees, somewhere in a frame
        float[] src = transform(FaceAligner.TEMPLATE, 3.0, Math.toRadians(20), 200, 90);
        double[] m = FaceAligner.similarity(src, FaceAligner.TEMPLATE);
        float[] back = new float[src.length];
        for (int i = 0; i < src.length; i += 2) {
            back[i] = (float) (m[0] * src[i] + m[1] * src[i + 1] + m[2]);
            back[i + 1] = (float) (m[3] * src[i] + m[4] * src[i + 1] + m[5]);
        }
        for (int i = 0; i < back.length; i++) {
            assertEquals(FaceAligner.TEMPLATE[i], back[i], 1e-3);
        }
        assertEquals(1 / 3.0, Math.hypot(m[0], m[3]), 1e-6, "scale");
        assertEquals(Math.toRadians(-20), Math.atan2(m[3], m[0]), 1e-6, "rotation undone");
    }

    @Test
    void leastSquaresSplitsTheErrorOfNoisyPoints() {
        float[] noisy = FaceAligner.TEMPLATE.clone();
        noisy[0] += 2; // left eye off by 2 px
        double[] m = FaceAligner.similarity(noisy, FaceAligner.TEMPLATE);
        // a perfect fit is impossible: the eye moves back by less than the full 2 px
        double mapped = m[0] * noisy[0] + m[1] * noisy[1] + m[2];
        double err = mapped - FaceAligner.TEMPLATE[0];
        assertEquals(true, err > 0.5 && err < 2, "error " + err);
    }

    @Test
    void collapsedPointsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FaceAligner.similarity(new float[10], FaceAligner.TEMPLATE));
    }

    @Test
    void fivePointsAverageTheRightLandmarks() {
        float[] lm = new float[136];
        for (int i = 0; i < 68; i++) {
            lm[2 * i] = i;
            lm[2 * i + 1] = 100 + i;
        }
        float[] p = FaceAligner.fivePoints(lm);
        assertEquals((37 + 38 + 40 + 41) / 4f, p[0], 1e-6);
        assertEquals((43 + 44 + 46 + 47) / 4f, p[2], 1e-6);
        assertEquals(30f, p[4], 1e-6);
        assertEquals(130f, p[5], 1e-6);
        assertEquals((48 + 60) / 2f, p[6], 1e-6);
        assertEquals((54 + 64) / 2f, p[8], 1e-6);
    }

    @Test
    void warpPutsTheLandmarksOnTheTemplate() {
        // a 300x300 image with a bright dot at the left eye of a face placed 2x larger and shifted
        float[] src = transform(FaceAligner.TEMPLATE, 2.0, 0, 50, 40);
        byte[] px = new byte[300 * 300 * 3];
        int ex = Math.round(src[0]);
        int ey = Math.round(src[1]);
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                px[((ey + dy) * 300 + ex + dx) * 3] = (byte) 255;
            }
        }
        RgbImage aligned = FaceAligner.align(new RgbImage(300, 300, px), src);
        int tx = Math.round(FaceAligner.TEMPLATE[0]);
        int ty = Math.round(FaceAligner.TEMPLATE[1]);
        assertEquals(255, aligned.pixels()[(ty * 112 + tx) * 3] & 0xff, "dot lands on the template's left eye");
        assertEquals(0, aligned.pixels()[(ty * 112 + tx + 10) * 3] & 0xff);
    }

    @Test
    void borderOutsideTheImageIsBlack() {
        byte[] px = new byte[20 * 20 * 3];
        java.util.Arrays.fill(px, (byte) 200);
        // a tiny face in the corner: most of the 112x112 window falls outside the image
        float[] src = transform(FaceAligner.TEMPLATE, 0.1, 0, 10, 10);
        RgbImage aligned = FaceAligner.align(new RgbImage(20, 20, px), src);
        assertEquals(0, aligned.pixels()[(111 * 112 + 111) * 3] & 0xff);
    }
}
