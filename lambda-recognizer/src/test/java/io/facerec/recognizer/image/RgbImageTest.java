package io.facerec.recognizer.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RgbImageTest {
    static RgbImage gradient(int w, int h) {
        byte[] p = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                p[o] = (byte) (x * 10);
                p[o + 1] = (byte) (y * 10);
                p[o + 2] = (byte) 7;
            }
        }
        return new RgbImage(w, h, p);
    }

    @Test
    void halvingWithBilinearAveragesEachTwoByTwoBlockAsOpenCvDoes() {
        RgbImage half = gradient(4, 4).resizeBilinear(2, 2);
        // OpenCV INTER_LINEAR at exactly 2x samples between pixels: (0+10)/2 = 5, (20+30)/2 = 25
        assertEquals(5, half.pixels()[0] & 0xff);
        assertEquals(25, half.pixels()[3] & 0xff);
        assertEquals(25, half.pixels()[(1 * 2 + 0) * 3 + 1] & 0xff);
        assertEquals(7, half.pixels()[2] & 0xff);
    }

    @Test
    void upscalingClampsAtTheEdges() {
        RgbImage up = gradient(2, 1).resizeBilinear(4, 1);
        // sample points -0.25, 0.25, 0.75, 1.25 clamp to 0 and 1
        assertEquals(0, up.pixels()[0] & 0xff);
        assertEquals(3, up.pixels()[3] & 0xff); // 0.25 * 10 = 2.5 rounds to 3
        assertEquals(8, up.pixels()[6] & 0xff); // 7.5 rounds to 8
        assertEquals(10, up.pixels()[9] & 0xff);
    }

    @Test
    void shrinkingByTwoOrMoreAveragesWholePixels() {
        RgbImage third = gradient(6, 3).resize(2, 1);
        assertEquals(10, third.pixels()[0] & 0xff); // mean of 0, 10, 20
        assertEquals(10, third.pixels()[1] & 0xff); // mean of rows 0..2 = 10
    }
}
