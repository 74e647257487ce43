package io.facerec.recognizer.engine;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.facerec.recognizer.image.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * fr_detect.onnx: the whole frame scaled to fit 320x240 with its aspect kept, at the top left, the
 * rest grey (127, which normalises to 0), RGB, (p - 127) / 128, NCHW. Stretching a frame of another
 * aspect (a 16:9 video frame, a portrait photo) distorts faces and textures alike: on the shared
 * photos it cost profile faces (0.77 -> 0.998 once kept) and raised lines of text to 0.83 (-> none).
 * A 4:3 frame, the ESP32-CAM's, fills the input either way. The model's {@code boxes} are already
 * decoded (normalised x1, y1, x2, y2 of the input), so no prior boxes are needed; column 1 of
 * {@code scores} is the face probability.
 */
public final class DetectorTranslator implements Translator<RgbImage, List<Detection>> {
    static final int WIDTH = 320;
    static final int HEIGHT = 240;
    static final float NMS_IOU = 0.4f;
    static final int NMS_TOP_K = 750;

    private final float minScore;

    public DetectorTranslator(float minScore) {
        this.minScore = minScore;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, RgbImage image) {
        float scale = Math.min((float) WIDTH / image.width(), (float) HEIGHT / image.height());
        int w = Math.clamp(Math.round(image.width() * scale), 1, WIDTH);
        int h = Math.clamp(Math.round(image.height() * scale), 1, HEIGHT);
        // input pixels -> frame pixels, per axis
        ctx.setAttachment("toFrame", new float[] {(float) image.width() / w, (float) image.height() / h});
        ctx.setAttachment("width", image.width());
        ctx.setAttachment("height", image.height());
        byte[] px = image.resizeBilinear(w, h).pixels();
        int plane = WIDTH * HEIGHT;
        float[] chw = new float[3 * plane]; // zero = the grey border
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * WIDTH + x;
                int p = (y * w + x) * 3;
                chw[i] = ((px[p] & 0xff) - 127f) / 128f;
                chw[plane + i] = ((px[p + 1] & 0xff) - 127f) / 128f;
                chw[2 * plane + i] = ((px[p + 2] & 0xff) - 127f) / 128f;
            }
        }
        return new NDList(ctx.getNDManager().create(chw, new Shape(1, 3, HEIGHT, WIDTH)));
    }

    @Override
    public List<Detection> processOutput(TranslatorContext ctx, NDList list) {
        int w = (Integer) ctx.getAttachment("width");
        int h = (Integer) ctx.getAttachment("height");
        float[] toFrame = (float[]) ctx.getAttachment("toFrame");
        float sx = WIDTH * toFrame[0];
        float sy = HEIGHT * toFrame[1];
        float[] scores = (list.get("scores") != null ? list.get("scores") : list.get(0)).toFloatArray();
        float[] boxes = (list.get("boxes") != null ? list.get("boxes") : list.get(1)).toFloatArray();
        List<Detection> candidates = new ArrayList<>();
        int n = scores.length / 2;
        for (int i = 0; i < n; i++) {
            float s = scores[2 * i + 1];
            if (s >= minScore) {
                Box b = new Box(boxes[4 * i] * sx, boxes[4 * i + 1] * sy, boxes[4 * i + 2] * sx, boxes[4 * i + 3] * sy);
                Box inFrame = b.clip(w, h); // a box may reach into the grey border
                if (inFrame.width() > 0 && inFrame.height() > 0) {
                    candidates.add(new Detection(inFrame, s));
                }
            }
        }
        return NonMaxSuppression.apply(candidates, NMS_IOU, NMS_TOP_K);
    }

    @Override
    public Batchifier getBatchifier() {
        return null; // the tensor already carries its batch dimension
    }
}
