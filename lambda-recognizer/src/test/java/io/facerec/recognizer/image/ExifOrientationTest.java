package io.facerec.recognizer.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import io.facerec.recognizer.testing.Jpegs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExifOrientationTest {
    /** A 3x2 image whose red channel numbers the pixels 1..6 row by row. */
    static RgbImage numbered() {
        byte[] p = new byte[3 * 2 * 3];
        for (int i = 0; i < 6; i++) {
            p[i * 3] = (byte) (i + 1);
        }
        return new RgbImage(3, 2, p);
    }

    static int[] reds(RgbImage img) {
        int[] r = new int[img.width() * img.height()];
        for (int i = 0; i < r.length; i++) {
            r[i] = img.pixels()[i * 3];
        }
        return r;
    }

    // stored   1 2 3      orientation 6 (rotate 90 CW to display):  4 1
    //          4 5 6                                                 5 2
    //                                                                6 3
    @ParameterizedTest
    @CsvSource({
        "1, 3, 1 2 3 4 5 6",
        "2, 3, 3 2 1 6 5 4",
        "3, 3, 6 5 4 3 2 1",
        "4, 3, 4 5 6 1 2 3",
        "5, 2, 1 4 2 5 3 6",
        "6, 2, 4 1 5 2 6 3",
        "7, 2, 6 3 5 2 4 1",
        "8, 2, 3 6 2 5 1 4"})
    void turnsPixelsUpright(int orientation, int width, String expected) {
        RgbImage out = ExifOrientation.apply(numbered(), orientation);
        assertEquals(width, out.width());
        int[] want = java.util.Arrays.stream(expected.split(" ")).mapToInt(Integer::parseInt).toArray();
        assertArrayEquals(want, reds(out));
    }

    @ParameterizedTest
    @CsvSource({"6, true", "8, false", "3, true"})
    void readsTagFromExifSegment(int orientation, boolean littleEndian) throws Exception {
        byte[] jpeg = Jpegs.withOrientation(plainJpeg(), orientation, littleEndian);
        assertEquals(orientation, ExifOrientation.read(jpeg));
    }

    @Test
    void noExifMeansUpright() throws Exception {
        assertEquals(1, ExifOrientation.read(plainJpeg()));
    }

    @Test
    void decoderAppliesTheTag() throws Exception {
        byte[] jpeg = Jpegs.withOrientation(plainJpeg(), 6, true);
        RgbImage img = new ImageDecoder().decode(jpeg, "phone.jpg");
        assertEquals(32, img.width(), "40x32 stored sideways shows as 32x40");
        assertEquals(40, img.height());
    }

    static byte[] plainJpeg() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(40, 32, BufferedImage.TYPE_INT_RGB), "jpg", out);
        return out.toByteArray();
    }
}
