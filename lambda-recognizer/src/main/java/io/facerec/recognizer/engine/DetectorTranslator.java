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
 * fr_detect.onnx: the whole frame stretched to 320x240, RGB, (p - 127) / 128, NCHW. The model's
 * {@code boxes} are already decoded (normalised x1, y1, x2, y2), so no prior boxes are needed;
 * column 1 of {@code scores} is the face probability.
 */
public final class DetectorTranslator implements Translator<RgbImage, List<Detection>> {
    static final int WIDTH = 320;
    static final int HEIGHT = 240;
    private static final float NMS_IOU = 0.4f;
    private static final int NMS_TOP_K = 750;

    private final float minScore;

    public DetectorTranslator(float minScore) {
        this.minScore = minScore;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, RgbImage image) {
        ctx.setAttachment("width", image.width());
        ctx.setAttachment("height", image.height());
        RgbImage small = image.resizeBilinear(WIDTH, HEIGHT);
        byte[] px = small.pixels();
        int plane = WIDTH * HEIGHT;
        float[] chw = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            chw[i] = ((px[i * 3] & 0xff) - 127f) / 128f;
            chw[plane + i] = ((px[i * 3 + 1] & 0xff) - 127f) / 128f;
            chw[2 * plane + i] = ((px[i * 3 + 2] & 0xff) - 127f) / 128f;
        }
        return new NDList(ctx.getNDManager().create(chw, new Shape(1, 3, HEIGHT, WIDTH)));
    }

    @Override
    public List<Detection> processOutput(TranslatorContext ctx, NDList list) {
        int w = (Integer) ctx.getAttachment("width");
        int h = (Integer) ctx.getAttachment("height");
        float[] scores = (list.get("scores") != null ? list.get("scores") : list.get(0)).toFloatArray();
        float[] boxes = (list.get("boxes") != null ? list.get("boxes") : list.get(1)).toFloatArray();
        List<Detection> candidates = new ArrayList<>();
        int n = scores.length / 2;
        for (int i = 0; i < n; i++) {
            float s = scores[2 * i + 1];
            if (s >= minScore) {
                Box b = new Box(boxes[4 * i] * w, boxes[4 * i + 1] * h, boxes[4 * i + 2] * w, boxes[4 * i + 3] * h);
                if (b.width() > 0 && b.height() > 0) {
                    candidates.add(new Detection(b.clip(w, h), s));
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
