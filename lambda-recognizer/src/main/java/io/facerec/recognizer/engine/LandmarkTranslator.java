package io.facerec.recognizer.engine;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.facerec.recognizer.image.RgbImage;

/**
 * fr_landmark.onnx: a square crop of side = box height centred on the box, clipped to the image,
 * resized to 64x64 grey (0.299R + 0.587G + 0.114B, rounded) / 256. Returns the 68 iBUG points
 * in image pixels, as x0, y0, x1, y1, ...
 */
public final class LandmarkTranslator implements Translator<LandmarkTranslator.Input, float[]> {
    static final int SIZE = 64;

    /** The image and the detector's box of the face. */
    public record Input(RgbImage image, Box box) {
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Input in) {
        RgbImage img = in.image();
        Box b = in.box();
        float side = b.height();
        float cx = (b.left() + b.right()) / 2;
        float cy = (b.top() + b.bottom()) / 2;
        int x0 = Math.max(0, Math.round(cx - side / 2));
        int y0 = Math.max(0, Math.round(cy - side / 2));
        int x1 = Math.min(img.width(), Math.round(cx + side / 2));
        int y1 = Math.min(img.height(), Math.round(cy + side / 2));
        int cw = Math.max(1, x1 - x0);
        int ch = Math.max(1, y1 - y0);
        ctx.setAttachment("crop", new int[] {x0, y0, cw, ch});

        RgbImage crop = crop(img, x0, y0, cw, ch).resizeBilinear(SIZE, SIZE);
        byte[] px = crop.pixels();
        float[] grey = new float[SIZE * SIZE];
        for (int i = 0; i < grey.length; i++) {
            int r = px[i * 3] & 0xff;
            int g = px[i * 3 + 1] & 0xff;
            int bl = px[i * 3 + 2] & 0xff;
            grey[i] = Math.round(0.299f * r + 0.587f * g + 0.114f * bl) / 256f;
        }
        return new NDList(ctx.getNDManager().create(grey, new Shape(1, 1, SIZE, SIZE)));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        int[] c = (int[]) ctx.getAttachment("crop");
        float[] raw = list.get(0).toFloatArray();
        float[] pts = new float[raw.length];
        for (int i = 0; i < raw.length; i += 2) {
            pts[i] = raw[i] * c[2] + c[0];
            pts[i + 1] = raw[i + 1] * c[3] + c[1];
        }
        return pts;
    }

    static RgbImage crop(RgbImage img, int x0, int y0, int w, int h) {
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            System.arraycopy(img.pixels(), ((y0 + y) * img.width() + x0) * 3, out, y * w * 3, w * 3);
        }
        return new RgbImage(w, h, out);
    }

    @Override
    public Batchifier getBatchifier() {
        return null;
    }
}
