package io.facerec.recognizer.unknown;

import io.facerec.model.result.FaceResult.FaceBox;
import io.facerec.model.result.ResultKeys;
import io.facerec.recognizer.image.ImageDecodeException;
import io.facerec.recognizer.image.ImageDecoder;
import io.facerec.recognizer.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One face crop per unknown track, at {@code unknown/<camera>/<crop id>.jpg}: the face with as much
 * around it again on every side, so that the detector finds it when a cluster is promoted and its
 * crops are enrolled. The bucket's lifecycle removes them (CDK rule {@code expire-unknown-crops}).
 */
public final class FaceCrops {
    /** Added on each side of the face box, as a fraction of its size. */
    static final double CONTEXT = 0.6;
    private final S3Client s3;
    private final String bucket;
    private final ImageDecoder decoder;

    public FaceCrops(S3Client s3, String bucket, ImageDecoder decoder) {
        this.s3 = s3;
        this.bucket = bucket;
        this.decoder = decoder;
    }

    public static String key(String cameraId, String cropId) {
        return ResultKeys.UNKNOWN_CROPS_PREFIX + cameraId + "/" + cropId + ".jpg";
    }

    /** Stores the crop of {@code box} from the frame's bytes; a repeat writes the same object again. */
    public String store(String cameraId, String cropId, byte[] frame, FaceBox box) throws ImageDecodeException {
        byte[] jpeg = crop(decoder.decode(frame, "crop of " + cropId), box);
        String key = key(cameraId, cropId);
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("image/jpeg"), RequestBody.fromBytes(jpeg));
        return key;
    }

    static byte[] crop(RgbImage img, FaceBox box) {
        int w = box.right() - box.left();
        int h = box.bottom() - box.top();
        int x0 = Math.max(0, (int) Math.floor(box.left() - CONTEXT * w));
        int y0 = Math.max(0, (int) Math.floor(box.top() - CONTEXT * h));
        int x1 = Math.min(img.width(), (int) Math.ceil(box.right() + CONTEXT * w));
        int y1 = Math.min(img.height(), (int) Math.ceil(box.bottom() + CONTEXT * h));
        BufferedImage out = new BufferedImage(Math.max(1, x1 - x0), Math.max(1, y1 - y0), BufferedImage.TYPE_INT_RGB);
        byte[] p = img.pixels();
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int o = (y * img.width() + x) * 3;
                out.setRGB(x - x0, y - y0, (p[o] & 0xff) << 16 | (p[o + 1] & 0xff) << 8 | (p[o + 2] & 0xff));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "jpg", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
