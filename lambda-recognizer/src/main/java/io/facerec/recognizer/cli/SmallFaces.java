package io.facerec.recognizer.cli;

import io.facerec.recognizer.engine.Box;
import io.facerec.recognizer.image.JpegEncoder;
import io.facerec.recognizer.image.RgbImage;
import java.io.IOException;
import java.util.Arrays;

/**
 * Camera frames made from a labelled photo for {@code face eval --face-height}: the photo scaled so
 * its face (the detector's box) is {@code height} pixels tall, pasted with the face in the middle of
 * a 640x480 grey frame, and sent through JPEG at quality 0.8, as an ESP32-CAM at VGA would send it.
 */
final class SmallFaces {
    static final int WIDTH = 640;
    static final int HEIGHT = 480;
    static final float JPEG_QUALITY = 0.8f;

    /** The JPEG bytes and where the face is in the frame. */
    record Frame(byte[] jpeg, Box face) {
    }

    private SmallFaces() {
    }

    static Frame frame(RgbImage photo, Box face, int height) throws IOException {
        double s = height / (double) face.height();
        int w = Math.max(1, (int) Math.round(photo.width() * s));
        int h = Math.max(1, (int) Math.round(photo.height() * s));
        // area-averaged when shrinking by 2 or more: a lens and sensor do not alias either
        RgbImage small = photo.resize(w, h);
        int ox = (int) Math.round(WIDTH / 2.0 - (face.left() + face.right()) / 2 * s);
        int oy = (int) Math.round(HEIGHT / 2.0 - (face.top() + face.bottom()) / 2 * s);
        byte[] px = new byte[WIDTH * HEIGHT * 3];
        Arrays.fill(px, (byte) 128);
        byte[] sp = small.pixels();
        for (int y = Math.max(0, oy); y < Math.min(HEIGHT, oy + h); y++) {
            int x0 = Math.max(0, ox);
            int x1 = Math.min(WIDTH, ox + w);
            if (x1 > x0) {
                System.arraycopy(sp, ((y - oy) * w + (x0 - ox)) * 3, px, (y * WIDTH + x0) * 3, (x1 - x0) * 3);
            }
        }
        Box at = new Box((float) (face.left() * s + ox), (float) (face.top() * s + oy), (float) (face.right() * s + ox),
                (float) (face.bottom() * s + oy));
        return new Frame(JpegEncoder.encode(new RgbImage(WIDTH, HEIGHT, px), JPEG_QUALITY), at);
    }
}
